import { createServer, type Server } from 'node:http';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumAvailable, launchChromium } from './browser.ts';
import { BROWSER_UA, eventually, startE2EStack } from './e2e-stack.ts';

/**
 * Redirectless tracking in a real browser: an advertiser's landing page, reached directly with
 * aff_id and offer_id, loads /t.js from the edge, which registers the click; the page then reports
 * a sale with TAS.conversion(), and Postgres ends up with the click and its conversion.
 */
describe.runIf(chromiumAvailable())('redirectless tracking with /t.js in Chromium', () => {
  let env: Awaited<ReturnType<typeof startE2EStack>>;
  let browser: Browser;
  let landing: Server;
  let landingUrl: string;

  beforeAll(async () => {
    env = await startE2EStack();
    browser = await launchChromium();
    const edge = env.stack.urls.edge;
    landing = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(`<!doctype html><html><head><title>Acme Shop</title></head><body>
<script src="${edge}/t.js"></script>
<script>
  (async () => {
    for (let i = 0; i < 200 && !window.TAS.clickId(1); i++) await new Promise((r) => setTimeout(r, 50));
    document.body.dataset.clickId = window.TAS.clickId(1) || '';
    window.TAS.conversion(1, { txid: 'BROWSER-1', amount: '10.00', event: 'conversion' });
    document.body.dataset.done = '1';
  })();
</script></body></html>`);
    });
    await new Promise<void>((resolve) => landing.listen(0, '127.0.0.1', resolve));
    const address = landing.address();
    landingUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  });
  afterAll(async () => {
    await browser?.close();
    await new Promise((resolve) => landing?.close(resolve));
    await env?.stop();
  });

  it('registers the click, keeps it first-party, and attributes the pixel conversion to it', async () => {
    // Headless Chromium says "HeadlessChrome", which the edge rightly treats as a bot.
    const page = await browser.newPage({ userAgent: BROWSER_UA });
    await page.goto(`${landingUrl}/?aff_id=1&offer_id=1&sub1=browser`);
    await page.waitForSelector('body[data-done="1"]', { state: 'attached', timeout: 15_000 });
    const clickId = await page.evaluate(() => document.body.dataset.clickId ?? '');
    expect(clickId).toMatch(/^[A-Za-z0-9_-]{44}$/);
    expect(await page.evaluate(() => window.localStorage.getItem('tas_c1'))).toBe(clickId);

    const rows = await eventually(
      async () => {
        const clicks = await env.db.query('SELECT id, source, sub1 FROM clicks');
        const conversions = await env.db.query(
          'SELECT click_id, txid, source, amount_minor FROM conversions',
        );
        return { clicks: clicks.rows, conversions: conversions.rows };
      },
      (r) => r.clicks.length >= 1 && r.conversions.length >= 1,
    );
    expect(rows.clicks).toEqual([{ id: clickId, source: 'script', sub1: 'browser' }]);
    expect(rows.conversions).toEqual([
      { click_id: clickId, txid: 'BROWSER-1', source: 'pixel', amount_minor: '1000' },
    ]);

    // A second visit to the page keeps the stored click instead of registering another.
    await page.reload();
    await page.waitForSelector('body[data-done="1"]', { state: 'attached' });
    await new Promise((r) => setTimeout(r, 2500));
    const { rows: clicksAfter } = await env.db.query('SELECT id FROM clicks');
    expect(clicksAfter).toHaveLength(1);
  });
});
