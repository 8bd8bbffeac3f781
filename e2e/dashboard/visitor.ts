import { chromium } from 'playwright-core';
import { CHROMIUM_PATH } from '../browser.ts';
import { BROWSER_UA } from '../e2e-stack.ts';
import { SHOP_HOST } from './advertiser-site.ts';

export type Visit = { clickId: string; landedOn: URL };

/**
 * A visitor on another computer follows a tracking link in their own Chromium, whose resolver
 * sends the shop's host name to the local shop; the redirect is the edge's, followed for real.
 * The browser says it is Chrome: the edge rightly counts HeadlessChrome as a bot.
 */
export async function followLink(link: string, shopAddress: string): Promise<Visit> {
  const browser = await chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      `--host-resolver-rules=MAP ${SHOP_HOST} ${shopAddress}`,
    ],
  });
  try {
    const page = await browser.newPage({ userAgent: BROWSER_UA });
    await page.goto(link);
    const clickId = ((await page.locator('#click-id').textContent()) ?? '').trim();
    return { clickId, landedOn: new URL(page.url()) };
  } finally {
    await browser.close();
  }
}
