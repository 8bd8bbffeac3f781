import { createServer, type Server } from 'node:http';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD, DEMO_USERS } from '../control-plane/src/demo/seed-demo.ts';
import { chromiumAvailable, launchChromium } from './browser.ts';
import { BROWSER_UA, eventually, startE2EStack } from './e2e-stack.ts';

/**
 * An offer that requires consent for storage (docs/privacy-tracking.md), in Chromium: the redirect
 * sets the click cookie only when the link carries consent, and /t.js keeps nothing on the
 * advertiser's page without it; every click is recorded either way, with its consent signals.
 */
describe.runIf(chromiumAvailable())('the click cookie and consent in Chromium', () => {
  let env: Awaited<ReturnType<typeof startE2EStack>>;
  let browser: Browser;
  let landing: Server;
  let landingUrl: string;
  let offerId: number;

  beforeAll(async () => {
    env = await startE2EStack();
    browser = await launchChromium();
    const edge = env.stack.urls.edge;
    landing = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(`<!doctype html><html><head><title>Shop</title></head><body>
<script src="${edge}/t.js"></script>
<script>
  (async () => {
    var offer = new URLSearchParams(location.search).get('offer_id');
    // Waits for /r/ to answer (it registers the click whether or not the id may be kept).
    for (let i = 0; i < 40 && !window.TAS.clickId(offer); i++) await new Promise((r) => setTimeout(r, 50));
    if (window.TAS.clickId(offer)) window.TAS.conversion(offer, { txid: 'CONSENT-' + offer });
    document.body.dataset.done = '1';
  })();
</script></body></html>`);
    });
    await new Promise<void>((resolve) => landing.listen(0, '127.0.0.1', resolve));
    const address = landing.address();
    landingUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;

    const login = await fetch(`${env.stack.urls.api}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: DEMO_USERS.admin, password: DEMO_PASSWORD }),
    });
    const token = ((await login.json()) as { tokens: { accessToken: string } }).tokens.accessToken;
    const created = await fetch(`${env.stack.urls.api}/api/v1/offers`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({
        advertiserId: 1,
        name: 'Consent required',
        payoutType: 'cpa',
        payoutMinor: 600,
        revenueMinor: 1000,
        status: 'active',
        destinationUrl: 'https://shop.example/land?c={click_id}',
        privacy: { consentRequired: true },
      }),
    });
    expect(created.status).toBe(201);
    offerId = ((await created.json()) as { id: number }).id;
  });
  afterAll(async () => {
    await browser?.close();
    await new Promise((resolve) => landing?.close(resolve));
    await env?.stop();
  });

  it('sets the cookie only with consent, and records every click with its signals', async () => {
    const edge = env.stack.urls.edge;
    const cookieAfter = async (query: string) => {
      const context = await browser.newContext({ userAgent: BROWSER_UA });
      const page = await context.newPage();
      // The shop (shop.example) does not resolve here; the cookie comes with the 302 before it.
      const error = await page.goto(`${edge}/c/${offerId}?aff_id=1${query}`).then(
        () => null,
        (e: Error) => e.message,
      );
      expect(error).toContain('ERR_NAME_NOT_RESOLVED');
      const cookies = await context.cookies(edge);
      await context.close();
      return cookies.find((c) => c.name === `tas_c${offerId}`)?.value ?? null;
    };
    expect(await cookieAfter('&sub1=none')).toBeNull();
    expect(await cookieAfter('&sub1=denied&consent=denied')).toBeNull();
    const granted = await cookieAfter('&sub1=granted&consent=granted&ad_user_data=granted');
    expect(granted).toMatch(/^[A-Za-z0-9_-]{44}$/);

    const rows = await eventually(
      async () =>
        (
          await env.db.query(
            'SELECT id, sub1, consent, ad_user_data FROM clicks WHERE offer_id = $1 ORDER BY sub1',
            [offerId],
          )
        ).rows,
      (r) => r.length >= 3,
    );
    expect(rows.map((r) => [r.sub1, r.consent, r.ad_user_data])).toEqual([
      ['denied', 'denied', null],
      ['granted', 'granted', 'granted'],
      ['none', null, null],
    ]);
    expect(rows.find((r) => r.sub1 === 'granted')?.id).toBe(granted);
  });

  it('/t.js keeps no click id on the page without consent, and keeps it with consent', async () => {
    const stored = async (query: string) => {
      const context = await browser.newContext({ userAgent: BROWSER_UA });
      const page = await context.newPage();
      await page.goto(`${landingUrl}/?aff_id=1&offer_id=${offerId}${query}`);
      await page.waitForSelector('body[data-done="1"]', { state: 'attached', timeout: 15_000 });
      const kept = await page.evaluate(
        (key) => ({ local: window.localStorage.getItem(key), cookie: document.cookie.includes(`${key}=`) }),
        `tas_c${offerId}`,
      );
      await context.close();
      return kept;
    };
    expect(await stored('&sub1=script-none')).toEqual({ local: null, cookie: false });
    const kept = await stored('&sub1=script-granted&consent=granted&ad_user_data=granted');
    expect(kept.local).toMatch(/^[A-Za-z0-9_-]{44}$/);
    expect(kept.cookie).toBe(true);
    const rows = await eventually(
      async () =>
        (
          await env.db.query(
            "SELECT sub1, source, consent FROM clicks WHERE offer_id = $1 AND source = 'script' ORDER BY sub1",
            [offerId],
          )
        ).rows,
      (r) => r.length >= 2,
    );
    expect(rows).toEqual([
      { sub1: 'script-granted', source: 'script', consent: 'granted' },
      { sub1: 'script-none', source: 'script', consent: null },
    ]);
    // The stored click id's conversion, with the page's consent (none for the visit without it).
    const conversions = await eventually(
      async () =>
        (
          await env.db.query('SELECT txid, consent, ad_user_data FROM conversions WHERE offer_id = $1', [
            offerId,
          ])
        ).rows,
      (r) => r.length >= 1,
    );
    expect(conversions).toEqual([
      { txid: `CONSENT-${offerId}`, consent: 'granted', ad_user_data: 'granted' },
    ]);
  });
});
