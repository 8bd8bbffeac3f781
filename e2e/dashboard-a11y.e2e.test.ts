import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumAvailable, launchChromium } from './browser.ts';
import { type UnnamedControl, unnamedControls } from './dashboard/accessible-names.ts';
import { type A11yFinding, axeFindings, formatFindings } from './dashboard/axe.ts';
import { type DashboardStack, startDashboardStack } from './dashboard/dashboard-stack.ts';
import { describeFocus, focused, tabUntil } from './dashboard/keyboard.ts';
import { mainPages, openPage, pageLanded } from './dashboard/main-pages.ts';
import { DEMO, freshPage, logIn, type Role } from './dashboard/session.ts';

/** The signed-out pages: everyone's first contact. */
const PUBLIC_PAGES = [
  '/login',
  '/signup',
  '/forgot-password',
  '/verify-email?token=x',
  '/reset-password?token=x',
];

type Audit = { where: string; blocking: A11yFinding[]; minor: A11yFinding[]; unnamed: UnnamedControl[] };

async function audit(page: Page, where: string): Promise<Audit> {
  const [{ blocking, minor }, unnamed] = [await axeFindings(page), await unnamedControls(page)];
  return { where, blocking, minor, unnamed };
}

/** Prints what was found (minor findings too, for the page owners) and fails on what blocks. */
function expectClean(audits: Audit[]) {
  const minor = formatFindings(audits.map((a) => ({ where: a.where, findings: a.minor })));
  if (minor) console.log(`minor and moderate axe findings (not failing):\n${minor}`);
  const blocking = formatFindings(audits.map((a) => ({ where: a.where, findings: a.blocking })));
  const unnamed = audits.flatMap((a) => a.unnamed.map((u) => `${a.where}: ${u.role} ${u.element}`));
  expect.soft(blocking === '', `serious or critical axe violations:\n${blocking}`).toBe(true);
  expect
    .soft(unnamed.length === 0, `form controls without an accessible name:\n${unnamed.join('\n')}`)
    .toBe(true);
}

/**
 * Accessibility of the dashboard in Chromium: axe-core finds no serious or critical violation on
 * any main page of any role (nor on the signed-out pages, nor with the command palette open),
 * every form control has an accessible name as Chromium computes it, and the dashboard works from
 * the keyboard alone.
 */
describe.runIf(chromiumAvailable())('dashboard accessibility', () => {
  let env: DashboardStack;
  let browser: Browser;

  beforeAll(async () => {
    [env, browser] = await Promise.all([startDashboardStack(), launchChromium()]);
    const { buildMs, built, startMs } = env.timings;
    console.log(
      `dashboard a11y: build ${built ? `${(buildMs / 1000).toFixed(1)} s` : 'reused'}, stack ${(startMs / 1000).toFixed(1)} s (${env.url})`,
    );
  });
  afterAll(async () => {
    await browser?.close();
    await env?.stop();
  });

  it('signed-out pages: no serious or critical axe violation, every input named', async () => {
    const page = await freshPage(browser);
    const audits: Audit[] = [];
    for (const path of PUBLIC_PAGES) {
      const visit = await openPage(page, `${env.url}${path}`);
      expect(visit.status, path).toBe(200);
      audits.push(await audit(page, path));
    }
    // The form's errors, as a person who sends it empty sees them.
    await openPage(page, `${env.url}/signup`);
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.getByText('Enter your company name').waitFor();
    audits.push(await audit(page, '/signup with errors'));
    expectClean(audits);
  });

  for (const role of ['admin', 'advertiser', 'affiliate'] as const satisfies Role[]) {
    it(`${role}: no serious or critical axe violation on the main pages, every input named`, async () => {
      const page = await logIn(browser, env.url, DEMO[role]);
      const audits: Audit[] = [];
      const skipped: string[] = [];
      for (const main of mainPages(role)) {
        if (!pageLanded(env.routeIds, main.path)) {
          skipped.push(main.path);
          continue;
        }
        const visit = await openPage(page, `${env.url}${main.path}`);
        expect(visit.status, main.path).toBe(200);
        audits.push(await audit(page, `${role} ${main.path}`));
      }
      // The command palette and the account menu, open.
      await openPage(page, `${env.url}/dashboard`);
      await page.keyboard.press('Control+k');
      await page.getByRole('dialog').waitFor();
      await page.keyboard.type('of');
      await page.getByRole('option').first().waitFor();
      audits.push(await audit(page, `${role} command palette`));
      await page.keyboard.press('Escape');
      await page.getByRole('button', { name: 'Account menu' }).click();
      await page.getByRole('menu').waitFor();
      audits.push(await audit(page, `${role} account menu`));
      if (skipped.length) console.log(`${role}: pages not landed yet, not audited: ${skipped.join(', ')}`);
      expectClean(audits);
      await page.context().close();
    }, 240_000);
  }

  it('keyboard only: log in with Enter, reach the main navigation, search with Ctrl-K', async () => {
    const page = await freshPage(browser);
    await openPage(page, `${env.url}/login`);

    // The login form: focus starts in Email, Tab to Password, Enter sends it.
    expect(describeFocus(await focused(page))).toMatch(/^<input/);
    await page.keyboard.type(DEMO.advertiser.email);
    await page.keyboard.press('Tab');
    await page.keyboard.type(DEMO.advertiser.password);
    await page.keyboard.press('Enter');
    await page.waitForURL(`${env.url}/dashboard`);
    // The address changes as the navigation commits; the page follows in a render of its own.
    await page.getByRole('heading', { level: 1, name: 'Dashboard' }).waitFor();

    // Tab from the top of the page into the main navigation; every stop shows where focus is.
    const stops = await tabUntil(
      page,
      (f) => f.inMainNav && f.name === 'Offers',
      'the Offers link in the main navigation',
    );
    const unseen = stops.filter((f) => !f.indicated).map(describeFocus);
    expect(unseen, 'focus stops without a visible focus indicator').toEqual([]);
    await page.keyboard.press('Enter');
    await page.waitForURL(`${env.url}/offers`);
    await page.getByRole('heading', { level: 1, name: 'Offers' }).waitFor();

    // A filter that takes Enter: the search box of the offers list.
    await tabUntil(page, (f) => f.tag === 'input' && /search/i.test(f.name), 'the offers search box');
    await page.keyboard.type('revenue share');
    await page.keyboard.press('Enter');
    await page.waitForURL(/[?&]q=revenue\+share/);
    await page.getByRole('row').filter({ hasText: 'Acme Shop - revenue share' }).waitFor();
    await expect.poll(() => page.getByRole('row').filter({ hasText: 'first order' }).count()).toBe(0);

    // Ctrl-K opens the command palette with focus in its search; Enter on a page goes there.
    await page.keyboard.press('Control+k');
    const dialog = page.getByRole('dialog');
    await dialog.waitFor();
    expect(await page.evaluate(() => document.activeElement?.getAttribute('aria-label'))).toBe('Search');
    await page.keyboard.type('campaigns');
    await dialog.getByRole('option', { name: /Campaigns/ }).waitFor();
    await page.keyboard.press('Enter');
    await page.waitForURL(`${env.url}/campaigns`);
    await dialog.waitFor({ state: 'detached' });

    // Escape closes it.
    await page.keyboard.press('Control+k');
    await dialog.waitFor();
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    await page.context().close();
  });
});
