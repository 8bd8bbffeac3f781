import type { Browser, Page } from 'playwright-core';
import { linkTo, waitForMail } from './outbox.ts';
import { type Credentials, freshPage } from './session.ts';

export type SignUp = Credentials & { role: 'advertiser' | 'affiliate'; company: string };

/**
 * Signs up through the dashboard's form, opens the verification link the control plane mailed
 * (read from its outbox folder) and confirms with the password: the page ends signed in on the
 * dashboard.
 */
export async function signUpThroughUi(
  browser: Browser,
  baseUrl: string,
  stateDir: string,
  who: SignUp,
): Promise<Page> {
  const page = await freshPage(browser);
  await page.goto(`${baseUrl}/signup`);
  await page
    .getByRole('radio', { name: who.role === 'affiliate' ? 'An affiliate' : 'An advertiser' })
    .check();
  await page.getByLabel('Company').fill(who.company);
  await page.getByLabel('Work email').fill(who.email);
  await page.getByLabel('Password').fill(who.password);
  await page.getByRole('button', { name: 'Create account' }).click();
  await page.getByRole('heading', { name: 'Check your email' }).waitFor();

  const mail = await waitForMail(stateDir, who.email, /confirm your email/i);
  await page.goto(linkTo(mail, baseUrl, '/verify-email'));
  await page.getByLabel('Password').fill(who.password);
  await page.getByRole('button', { name: 'Confirm and log in' }).click();
  await page.waitForURL(`${baseUrl}/dashboard`);
  return page;
}
