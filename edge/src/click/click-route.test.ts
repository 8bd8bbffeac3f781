import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  affiliateConfig,
  click,
  type ErrorBody,
  offerConfig,
  publishOfferAndAffiliate,
} from '../../test/fixtures.ts';
import { captureIngest, eventually } from '../../test/ingest-capture.ts';
import { CHROME_WINDOWS } from '../../test/user-agents.ts';

describe('GET /c/{offer}', () => {
  let ingest: ReturnType<typeof captureIngest>;
  beforeEach(() => {
    ingest = captureIngest();
  });
  afterEach(() => ingest.restore());

  it('redirects to the destination with macros encoded, sets the cookie and queues one click event', async () => {
    await publishOfferAndAffiliate();
    const response = await click('/c/10?aff_id=7&sub1=a%20b&aff_sub2=x%26y&source_id=fb', {
      headers: {
        'user-agent': CHROME_WINDOWS,
        'cf-connecting-ip': '203.0.113.9',
        referer: 'https://pub.test/',
      },
    });
    expect(response.status).toBe(302);
    expect(response.headers.get('cache-control')).toBe('no-store');
    const location = new URL(response.headers.get('location')!);
    expect(location.origin + location.pathname).toBe('https://adv.test/land');
    const clickId = location.searchParams.get('cid')!;
    expect(clickId).toMatch(/^[A-Za-z0-9_-]{44}$/);
    expect(Object.fromEntries(location.searchParams)).toEqual({
      cid: clickId,
      o: '10',
      a: '7',
      s1: 'a b',
      s2: 'x&y',
      src: 'fb',
    });
    expect(response.headers.get('set-cookie')).toBe(
      `tas_c10=${clickId}; Max-Age=2592000; Path=/; HttpOnly; SameSite=None; Secure`,
    );

    const events = await eventually(ingest.eventsOf(10), (e) => e.length >= 1);
    expect(events).toEqual([
      expect.objectContaining({
        type: 'click',
        id: clickId,
        offerId: 10,
        affiliateId: 7,
        sub1: 'a b',
        sub2: 'x&y',
        sourceId: 'fb',
        ip: '203.0.113.9',
        userAgent: CHROME_WINDOWS,
        device: 'desktop',
        os: 'windows',
        unique: true,
        source: 'redirect',
        referrer: 'https://pub.test/',
        outcome: 'redirect',
        reason: null,
      }),
    ]);
  });

  it('accepts the short form /c/{offer}/{affiliate} and the affiliate_id alias', async () => {
    await publishOfferAndAffiliate();
    for (const path of ['/c/10/7', '/c/10?affiliate_id=7']) {
      const response = await click(path);
      expect(response.status, path).toBe(302);
      expect(new URL(response.headers.get('location')!).searchParams.get('a')).toBe('7');
    }
  });

  it('sends a paused offer and an unapproved affiliate to the fallback and records why', async () => {
    await publishOfferAndAffiliate(offerConfig({ id: 11, status: 'paused' }));
    await publishOfferAndAffiliate(
      offerConfig({ id: 12, visibility: 'private', approvedAffiliateIds: [99] }),
    );
    await publishOfferAndAffiliate(offerConfig({ id: 13, visibility: 'private', approvedAffiliateIds: [7] }));
    await publishOfferAndAffiliate(offerConfig({ id: 14, status: 'paused', fallbackUrl: null }));
    expect((await click('/c/11?aff_id=7')).headers.get('location')).toBe('https://fallback.test/');
    expect((await click('/c/12?aff_id=7')).headers.get('location')).toBe('https://fallback.test/');
    expect((await click('/c/13?aff_id=7')).headers.get('location')).toMatch(/^https:\/\/adv\.test\/land/);
    expect((await click('/c/14?aff_id=7')).headers.get('location')).toBe('https://example.com/');

    const events = await eventually(
      () => [11, 12, 13, 14].flatMap((id) => ingest.eventsOf(id)()),
      (e) => e.length >= 4,
    );
    const byOffer = Object.fromEntries(
      events.map((e) => [e.offerId, e.type === 'click' ? [e.outcome, e.reason] : null]),
    );
    expect(byOffer).toEqual({
      11: ['fallback', 'offer_paused'],
      12: ['fallback', 'affiliate_not_approved'],
      13: ['redirect', null],
      14: ['fallback', 'offer_paused'],
    });
  });

  it('never redirects to a URL from the query', async () => {
    await publishOfferAndAffiliate();
    const response = await click(
      '/c/10?aff_id=7&url=https://evil.test/&redirect=https://evil.test/&sub1=https://evil.test/',
    );
    expect(new URL(response.headers.get('location')!).host).toBe('adv.test');
  });

  it('answers 404 with a code for an unknown offer or affiliate, 400 without an affiliate, and records nothing', async () => {
    const offer = offerConfig({ id: 20 });
    await publishOfferAndAffiliate(offer);
    await publishOfferAndAffiliate(offer, affiliateConfig({ id: 8, status: 'suspended' }));
    const cases: [string, number, string][] = [
      ['/c/999?aff_id=7', 404, 'unknown_offer'],
      ['/c/abc?aff_id=7', 404, 'unknown_offer'],
      ['/c/0020?aff_id=7', 404, 'unknown_offer'],
      ['/c/99999999999?aff_id=7', 404, 'unknown_offer'],
      ['/c/20?aff_id=999', 404, 'unknown_affiliate'],
      ['/c/20?aff_id=-1', 404, 'unknown_affiliate'],
      ['/c/20?aff_id=8', 404, 'unknown_affiliate'],
      ['/c/20', 400, 'invalid_parameter'],
    ];
    for (const [path, status, code] of cases) {
      const response = await click(path);
      expect(response.status, path).toBe(status);
      const body = (await response.json()) as ErrorBody;
      expect(body.error.code, path).toBe(code);
      expect(body.error.message.length).toBeGreaterThan(0);
    }
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect([...ingest.eventsOf(20)(), ...ingest.eventsOf(999)()]).toEqual([]);
  });

  it('cuts overlong subs instead of losing the click', async () => {
    await publishOfferAndAffiliate(offerConfig({ id: 21 }));
    const response = await click(`/c/21?aff_id=7&sub1=${'x'.repeat(5000)}`);
    expect(response.status).toBe(302);
    const [event] = await eventually(ingest.eventsOf(21), (e) => e.length >= 1);
    expect(event?.type === 'click' && event.sub1?.length).toBe(255);
  });
});
