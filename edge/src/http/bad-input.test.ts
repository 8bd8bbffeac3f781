import { SELF } from 'cloudflare:test';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EDGE, offerConfig, publishOfferAndAffiliate } from '../../test/fixtures.ts';
import { parseClickParams } from '../click/click-params.ts';
import { readPostbackParams } from '../postback/postback-params.ts';
import { ApiError } from './api-error.ts';

const ENDPOINTS = ['/c/1', '/c/1/7', '/r/1', '/postback', '/p/1.gif', '/p/1.js', '/c/abc'];

describe('bad input never gets a 500', () => {
  it('parses any query string without throwing', () => {
    fc.assert(
      fc.property(
        fc.string(),
        fc.option(fc.string(), { nil: undefined }),
        fc.string(),
        (offer, affiliate, query) => {
          const parsed = parseClickParams(offer, affiliate, Object.fromEntries(new URLSearchParams(query)));
          if (parsed.offerId !== null) expect(Number.isInteger(parsed.offerId)).toBe(true);
          for (const value of [parsed.sub1, parsed.sub2, parsed.sub3, parsed.sub4, parsed.sub5]) {
            expect(value === null || value.length <= 255).toBe(true);
          }
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('reads any postback body as parameters or a coded 4xx', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.string({ maxLength: 300 }),
        fc.constantFrom('application/json', 'application/x-www-form-urlencoded', 'text/plain', ''),
        async (body, type) => {
          const request = new Request(`${EDGE}/postback`, {
            method: 'POST',
            headers: type ? { 'content-type': type } : {},
            body,
          });
          try {
            await readPostbackParams(request);
          } catch (error) {
            expect(error).toBeInstanceOf(ApiError);
            expect((error as ApiError).status).toBeLessThan(500);
          }
        },
      ),
      { numRuns: 500 },
    );
  });

  it('answers random paths and queries on every endpoint with a status below 500 and JSON errors', async () => {
    await publishOfferAndAffiliate(offerConfig({ id: 1 }));
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...ENDPOINTS),
        fc.array(
          fc.tuple(
            fc.constantFrom(
              'aff_id',
              'affiliate_id',
              'sub1',
              'click_id',
              'transaction_id',
              'amount',
              'currency',
              'event',
              'txid',
              'status',
              'url',
              'creative_id',
              'x',
            ),
            fc.oneof(
              fc.string(),
              fc.string({ unit: 'binary' }),
              fc.nat().map(String),
              fc.constant('%ff%fe'),
              fc.constant('%'),
            ),
          ),
          { maxLength: 6 },
        ),
        async (path, pairs) => {
          const query = pairs
            .map(([k, v]) => `${k}=${v.includes('%') ? v : encodeURIComponent(v.toWellFormed())}`)
            .join('&');
          const response = await SELF.fetch(`${EDGE}${path}?${query}`, { redirect: 'manual' });
          expect(response.status, `${path}?${query}`).toBeLessThan(500);
          if (response.status >= 400) {
            const body = (await response.json()) as { error: { code: string } };
            expect(body.error.code).toMatch(/^[a-z_]+$/);
          } else {
            await response.arrayBuffer();
          }
        },
      ),
      { numRuns: 150 },
    );
  });

  it('refuses overlong URLs with 414, invalid UTF-8 without harm, and unknown endpoints with 404', async () => {
    const long = await SELF.fetch(`${EDGE}/c/1?aff_id=7&sub1=${'x'.repeat(9000)}`);
    expect(long.status).toBe(414);
    expect(((await long.json()) as { error: { code: string } }).error.code).toBe('uri_too_long');
    const invalid = await SELF.fetch(`${EDGE}/c/1?aff_id=7&sub1=%C3%28%ff`, { redirect: 'manual' });
    expect(invalid.status).toBe(302);
    const unknown = await SELF.fetch(`${EDGE}/nope`);
    expect(unknown.status).toBe(404);
  });
});
