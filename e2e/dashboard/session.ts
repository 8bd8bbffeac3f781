import type { Browser, Page } from 'playwright-core';
import { DEMO_PASSWORD, DEMO_USERS } from '../../control-plane/src/demo/seed-demo.ts';

export type Role = keyof typeof DEMO_USERS;
export type Credentials = { email: string; password: string };

/** The demo users `npm start` seeds, one a role. */
export const DEMO: Record<Role, Credentials> = {
  admin: { email: DEMO_USERS.admin, password: DEMO_PASSWORD },
  advertiser: { email: DEMO_USERS.advertiser, password: DEMO_PASSWORD },
  affiliate: { email: DEMO_USERS.affiliate, password: DEMO_PASSWORD },
};

/** A desktop window: the sidebar shows from 1024 px. */
export const VIEWPORT = { width: 1280, height: 860 };

/** A page in a browser context of its own (its own cookies), as one person at one computer. */
export async function freshPage(browser: Browser): Promise<Page> {
  const context = await browser.newContext({ viewport: VIEWPORT, reducedMotion: 'reduce' });
  const page = await context.newPage();
  page.setDefaultTimeout(10_000);
  return page;
}

/** Logs in through the login form, as a person would, and waits for the signed-in dashboard. */
export async function logIn(browser: Browser, baseUrl: string, who: Credentials): Promise<Page> {
  const page = await freshPage(browser);
  await page.goto(`${baseUrl}/login`);
  await page.getByLabel('Email').fill(who.email);
  await page.getByLabel('Password').fill(who.password);
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.waitForURL(`${baseUrl}/dashboard`);
  return page;
}
