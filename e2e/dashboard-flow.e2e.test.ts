import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect } from 'vitest';
import { chromiumAvailable, launchChromium } from './browser.ts';
import { SHOP_HOST, startAdvertiserSite } from './dashboard/advertiser-site.ts';
import { type Api, apiAs, type Schemas } from './dashboard/api.ts';
import { type DashboardStack, startDashboardStack } from './dashboard/dashboard-stack.ts';
import { CHURN_LIMIT, mainPages, openPage, pageLanded, renderChurn } from './dashboard/main-pages.ts';
import { startPostbackReceiver } from './dashboard/postback-receiver.ts';
import { type Screenshots, screenshotFolder } from './dashboard/screenshots.ts';
import { DEMO, logIn, type Role } from './dashboard/session.ts';
import { signUpThroughUi } from './dashboard/signup.ts';
import { storySteps } from './dashboard/steps.ts';
import { followLink } from './dashboard/visitor.ts';
import { eventually } from './e2e-stack.ts';

/**
 * Issue 9's story, in Chromium against the real stack: an advertiser publishes an offer with a
 * cap; a new affiliate signs up (email link from the outbox), is approved by the admin, applies
 * to the offer and is approved by the advertiser, builds a link and sets its postback; a visitor
 * follows the link and the advertiser's server posts the sale back; the affiliate sees the
 * conversion and the postback TAS sent it; the advertiser reverses it and both see the change.
 * The demo affiliate sees none of it. Every main page of each role is saved as a screenshot.
 *
 * Every step goes through the dashboard, as its user would; the API is used only to read back
 * what the step stored (and what another account must not see).
 */
describe.runIf(chromiumAvailable())('dashboard: offer to reversed conversion, as each role sees it', () => {
  const step = storySteps();
  let env: DashboardStack;
  let browser: Browser;
  let shots: Screenshots;
  let receiver: Awaited<ReturnType<typeof startPostbackReceiver>>;
  let shop: Awaited<ReturnType<typeof startAdvertiserSite>>;
  const run = Date.now().toString(36);
  const offerName = `E2E capped offer ${run}`;
  const newAffiliate = {
    role: 'affiliate' as const,
    company: `E2E Media ${run}`,
    email: `e2e-affiliate-${run}@example.com`,
    password: 'e2e-affiliate-password',
  };
  // Filled in as the story goes.
  const pages = {} as Record<'advertiser' | 'affiliate' | 'other' | 'admin', Page>;
  const api = {} as Record<'advertiser' | 'affiliate' | 'other' | 'admin', Api>;
  let offer: Schemas['Offer'];
  let affiliateId: number;
  let trackingLink: string;
  let clickId: string;
  let conversionId: string;
  const txid = `E2E-ORDER-${run}`;
  const landed = (path: string) => pageLanded(env.routeIds, path);
  /** Whether a page has stopped re-rendering; one that never does is a failure of its own. */
  const settles = async (page: Page, where: string) => {
    const churn = await renderChurn(page);
    expect
      .soft(churn, `${where} keeps re-rendering: ${churn} nodes added or removed a second while idle`)
      .toBeLessThan(CHURN_LIMIT);
    return churn < CHURN_LIMIT;
  };

  beforeAll(async () => {
    const started = performance.now();
    [env, browser, receiver, shop] = await Promise.all([
      startDashboardStack(),
      launchChromium(),
      startPostbackReceiver(),
      startAdvertiserSite(),
    ]);
    shots = screenshotFolder('dashboard-flow');
    const { buildMs, built, startMs } = env.timings;
    console.log(
      `dashboard flow: build ${built ? `${(buildMs / 1000).toFixed(1)} s` : 'reused'}, stack ${(startMs / 1000).toFixed(1)} s, ready after ${((performance.now() - started) / 1000).toFixed(1)} s (${env.url})`,
    );
    [api.advertiser, api.admin, api.other] = await Promise.all([
      apiAs(env.stack.urls.api, DEMO.advertiser.email, DEMO.advertiser.password),
      apiAs(env.stack.urls.api, DEMO.admin.email, DEMO.admin.password),
      apiAs(env.stack.urls.api, DEMO.affiliate.email, DEMO.affiliate.password),
    ]);
  });
  afterAll(async () => {
    await browser?.close();
    await receiver?.close();
    await shop?.close();
    await env?.stop();
  });

  step('the advertiser logs in and publishes an offer with a conversion cap', async () => {
    const page = await logIn(browser, env.url, DEMO.advertiser);
    pages.advertiser = page;
    await openPage(page, `${env.url}/offers/new`);
    await page.getByRole('textbox', { name: 'Name', exact: true }).fill(offerName);
    await page.getByLabel('Status', { exact: true }).selectOption('active');
    await page.getByLabel('Visibility', { exact: true }).selectOption('approval_required');
    await page.getByLabel('Payout type').selectOption('cpa');
    await page.getByRole('textbox', { name: 'Affiliate payout', exact: true }).fill('12.00');
    await page.getByRole('textbox', { name: 'Advertiser revenue', exact: true }).fill('20.00');
    await page
      .getByRole('textbox', { name: 'Destination URL', exact: true })
      .fill(`${shop.url}/land?click_id={click_id}&sub1={sub1}`);
    await page.getByRole('textbox', { name: 'Fallback URL', exact: true }).fill(`${shop.url}/`);
    await page
      .getByRole('group', { name: /Whole offer/ })
      .getByLabel('Daily conversions')
      .fill('5');
    await shots.take(page, 'advertiser-new-offer-form');
    await page.getByRole('button', { name: 'Create offer' }).click();
    // A server action that publishes to the edge: slow while the machine builds and runs the other suite.
    await page.waitForURL(/\/offers\/\d+$/, { timeout: 30_000 });
    const id = Number(new URL(page.url()).pathname.split('/').pop());
    offer = await api.advertiser.get<Schemas['Offer']>(`/api/v1/offers/${id}`);
    // What the form sent is what the API stored.
    expect(offer).toMatchObject({
      name: offerName,
      status: 'active',
      visibility: 'approval_required',
      payoutType: 'cpa',
      payoutMinor: 1200,
      revenueMinor: 2000,
      currency: 'USD',
      caps: { offer: { dailyConversions: 5, dailyClicks: null } },
    });
    await openPage(page, `${env.url}/offers/${offer.id}`);
    await page.getByRole('heading', { level: 1, name: offerName }).waitFor();
    await shots.take(page, 'advertiser-offer-detail');
    await openPage(page, `${env.url}/offers`);
    const row = page.getByRole('row').filter({ hasText: offerName });
    await expect.poll(() => row.count()).toBe(1);
    expect(await row.textContent()).toMatch(/Active/);
    expect(await row.textContent()).toMatch(/\$12\.00/);
    await shots.take(page, 'advertiser-offers-with-new-offer');
  });

  step('a new affiliate signs up with the emailed link, and the admin approves the account', async () => {
    pages.affiliate = await signUpThroughUi(browser, env.url, env.stateDir, newAffiliate);
    await shots.take(pages.affiliate, 'affiliate-first-dashboard');
    api.affiliate = await apiAs(env.stack.urls.api, newAffiliate.email, newAffiliate.password);
    const me = await api.affiliate.get<Schemas['User']>('/api/v1/auth/me');
    expect(me.role).toBe('affiliate');
    affiliateId = me.affiliateId!;
    pages.admin = await logIn(browser, env.url, DEMO.admin);
    const admin = pages.admin;
    await openPage(admin, `${env.url}/affiliates/${affiliateId}`);
    await admin.getByRole('heading', { level: 1, name: newAffiliate.company }).waitFor();
    await shots.take(admin, 'admin-affiliate-pending');
    await admin.getByRole('button', { name: 'Approve', exact: true }).click();
    await admin.getByRole('dialog').getByRole('button', { name: 'Approve affiliate' }).click();
    await admin.getByRole('dialog').waitFor({ state: 'detached' });
    await expect
      .poll(
        async () => (await api.admin.get<Schemas['Affiliate']>(`/api/v1/affiliates/${affiliateId}`)).status,
      )
      .toBe('active');
  });

  step('the affiliate applies to the offer and the advertiser approves it', async () => {
    const page = pages.affiliate;
    await openPage(page, `${env.url}/offers`);
    const row = page.getByRole('row').filter({ hasText: offerName });
    await expect.poll(() => row.count()).toBe(1);
    const apply = row.getByRole('button', { name: `Apply to run ${offerName}` });
    await apply.waitFor();
    await settles(page, 'affiliate /offers');
    await apply.click();
    await row.getByText('Pending').waitFor();
    const review = pages.advertiser;
    await openPage(review, `${env.url}/applications`);
    await shots.take(review, 'advertiser-applications-pending');
    await settles(review, 'advertiser /applications');
    const request = review.getByRole('row').filter({ hasText: offerName });
    await request.getByRole('button', { name: /^Approve / }).click();
    await expect.poll(() => review.getByRole('row').filter({ hasText: offerName }).count()).toBe(0);
    await openPage(page, `${env.url}/offers`);
    await row.getByText('Approved').waitFor();
    // The cap the advertiser set shows to the affiliate, none used yet.
    await expect.poll(() => row.textContent()).toMatch(/0\/5/);
    await shots.take(page, 'affiliate-offers-approved');
  });

  step('the affiliate builds a tracking link and sets up its postback', async () => {
    const page = pages.affiliate;
    await openPage(page, `${env.url}/links?offerId=${offer.id}`);
    await page.getByLabel('Sub 1').fill('e2e-sub');
    const link = page.getByTestId('tracking-link');
    await expect.poll(() => link.textContent()).toMatch(/sub1=e2e-sub/);
    trackingLink = ((await link.textContent()) ?? '').trim();
    expect(trackingLink).toContain(env.stack.urls.edge);
    await shots.take(page, 'affiliate-link-builder');
    const postbackUrl = `${receiver.url}/pb?click_id={click_id}&status={status}&payout={payout}&txid={txid}`;
    await openPage(page, `${env.url}/postbacks/new?offerId=${offer.id}`);
    await page.getByLabel('Postback URL').fill(postbackUrl);
    await shots.take(page, 'affiliate-new-postback');
    await page.getByRole('button', { name: 'Create postback' }).click();
    await page.waitForURL((url) => url.pathname !== '/postbacks/new', { timeout: 30_000 });
    const configs = await api.affiliate.get<{ data: Schemas['PostbackConfig'][] }>(
      '/api/v1/postback-configs',
    );
    expect(configs.data.map((c) => [c.offerId, c.url, c.fireOn, c.isActive])).toEqual([
      [offer.id, postbackUrl, 'approved', true],
    ]);
  });

  step("a visitor follows the link, and the advertiser's server posts the sale back", async () => {
    const visit = await followLink(trackingLink, shop.address);
    clickId = visit.clickId;
    expect(clickId).toMatch(/^[A-Za-z0-9_-]{44}$/);
    expect(visit.landedOn.host).toBe(SHOP_HOST);
    expect(visit.landedOn.searchParams.get('sub1')).toBe('e2e-sub');
    const answer = await fetch(
      `${env.stack.urls.edge}/postback?click_id=${clickId}&amount=49.90&txid=${txid}`,
    );
    const body = (await answer.json()) as { status: string; conversion_id: string };
    expect(body.status).toBe('accepted');
    conversionId = body.conversion_id;
    const rows = await eventually(
      async () =>
        (await env.db.query('SELECT status FROM conversions WHERE id = $1', [conversionId])).rows as {
          status: string;
        }[],
      (r) => r.length === 1,
    );
    expect(rows).toEqual([{ status: 'approved' }]);
    const delivered = await eventually(
      async () => receiver.received.filter((p) => p.url.searchParams.get('click_id') === clickId),
      (r) => r.length >= 1,
    );
    expect(delivered[0]?.url.searchParams.get('status')).toBe('approved');
    expect(delivered[0]?.url.searchParams.get('payout')).toBe('12.00');
  });

  step('the affiliate sees the conversion in its report and its postback in the delivery log', async () => {
    const page = pages.affiliate;
    await openPage(page, `${env.url}/conversions`);
    const row = page.getByRole('row').filter({ hasText: txid });
    await expect.poll(() => row.count()).toBe(1);
    expect(await row.textContent()).toMatch(/approved/i);
    expect(await row.textContent()).toContain('$12.00');
    expect(await row.textContent()).toContain('e2e-sub');
    // An affiliate never sees what the advertiser pays.
    expect(await page.getByRole('columnheader', { name: 'Revenue' }).count()).toBe(0);
    await shots.take(page, 'affiliate-conversions-approved');
    const conversions = await api.affiliate.get<{ data: Schemas['Conversion'][] }>(
      `/api/v1/conversions?offerId=${offer.id}`,
    );
    expect(conversions.data.map((c) => [c.id, c.status, c.payoutMinor, c.sub1])).toEqual([
      [conversionId, 'approved', 1200, 'e2e-sub'],
    ]);
    expect(conversions.data[0]).not.toHaveProperty('revenueMinor');
    const report = await todayReport(api.affiliate, offer.id);
    expect(report).toMatchObject({ clicks: 1, conversions: 1, payoutMinor: 1200 });
    expect(report).not.toHaveProperty('revenueMinor');
    await openPage(page, `${env.url}${TODAY_BY_OFFER}`);
    const reportRow = page.getByRole('row').filter({ hasText: offerName });
    await expect.poll(() => reportRow.textContent()).toContain('$12.00');
    await shots.take(page, 'affiliate-report-today');
    const deliveries = await eventually(
      () =>
        api.affiliate.get<{ data: Schemas['PostbackDelivery'][] }>(
          `/api/v1/postback-deliveries?conversionId=${conversionId}`,
        ),
      (d) => d.data.some((x) => x.state === 'delivered'),
    );
    expect(deliveries.data.map((d) => d.state)).toEqual(['delivered']);
    await openPage(page, `${env.url}/postbacks/deliveries`);
    const deliveryRow = page.getByRole('row').filter({ hasText: conversionId.slice(0, 8) });
    await expect.poll(() => deliveryRow.textContent()).toMatch(/delivered/i);
    await shots.take(page, 'affiliate-postback-deliveries');
    // The cap counts the conversion, as the edge counted it.
    await openPage(page, `${env.url}/offers`);
    const offerRow = page.getByRole('row').filter({ hasText: offerName });
    await expect.poll(() => offerRow.textContent()).toMatch(/1\/5/);
    await openPage(page, `${env.url}/dashboard`);
    await shots.take(page, 'affiliate-dashboard-after-sale');
  });

  step('the advertiser reverses the conversion and both see it change', async () => {
    const page = pages.advertiser;
    const before = await api.advertiser.get<{ data: Schemas['Conversion'][] }>(
      `/api/v1/conversions?offerId=${offer.id}`,
    );
    expect(before.data.map((c) => [c.id, c.status, c.revenueMinor])).toEqual([
      [conversionId, 'approved', 2000],
    ]);
    expect(before.data[0]).not.toHaveProperty('payoutMinor');
    await openPage(page, `${env.url}/conversions?offerId=${offer.id}`);
    const row = page.getByRole('row').filter({ hasText: txid });
    await expect.poll(() => row.textContent()).toMatch(/approved/i);
    // An advertiser never sees what the affiliate earns.
    expect(await page.getByRole('columnheader', { name: 'Payout' }).count()).toBe(0);
    await row.getByRole('checkbox', { name: `Select conversion ${txid}` }).click();
    await page
      .getByRole('region', { name: 'Review selected conversions' })
      .getByRole('button', { name: 'Reverse' })
      .click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel(/Reason/).fill('refunded (e2e)');
    await dialog.getByRole('button', { name: 'Check what changes' }).click();
    await dialog.getByText('1 conversion will change.').waitFor();
    await shots.take(page, 'advertiser-reverse-dry-run');
    await dialog.getByRole('button', { name: /^Reverse 1 conversion/ }).click();
    await dialog.waitFor({ state: 'detached' });
    await expect.poll(() => row.textContent()).toMatch(/rejected/i);
    await shots.take(page, 'advertiser-conversions-reversed');
    await openPage(pages.affiliate, `${env.url}/conversions`);
    const affiliateRow = pages.affiliate.getByRole('row').filter({ hasText: txid });
    await expect.poll(() => affiliateRow.textContent()).toMatch(/rejected/i);
    await shots.take(pages.affiliate, 'affiliate-conversions-reversed');
    for (const who of ['advertiser', 'affiliate'] as const) {
      const after = await eventually(
        () => api[who].get<{ data: Schemas['Conversion'][] }>(`/api/v1/conversions?offerId=${offer.id}`),
        (r) => r.data[0]?.status === 'rejected',
      );
      expect(after.data.map((c) => [c.id, c.status])).toEqual([[conversionId, 'rejected']]);
      const report = await todayReport(api[who], offer.id);
      expect(report).toMatchObject({ clicks: 1, conversions: 0 });
      await openPage(pages[who], `${env.url}${TODAY_BY_OFFER}`);
      const row = pages[who].getByRole('row').filter({ hasText: offerName });
      await expect.poll(() => row.count()).toBe(1);
      expect(await row.textContent()).not.toContain(who === 'affiliate' ? '$12.00' : '$20.00');
      await shots.take(pages[who], `${who}-report-after-reversal`);
    }
  });

  step('the other affiliate sees none of it', async () => {
    const page = await logIn(browser, env.url, DEMO.affiliate);
    pages.other = page;
    await openPage(page, `${env.url}/offers`);
    const row = page.getByRole('row').filter({ hasText: offerName });
    // The offer needs approval: listed for it, not runnable, no link.
    await row.getByRole('button', { name: `Apply to run ${offerName}` }).waitFor();
    await shots.take(page, 'other-affiliate-offers');
    await openPage(page, `${env.url}/links?offerId=${offer.id}`);
    await page.getByText(`You cannot run offer #${offer.id} yet`).waitFor();
    expect(await page.getByTestId('tracking-link').count()).toBe(0);
    await shots.take(page, 'other-affiliate-link-builder-refused');
    await openPage(page, `${env.url}/conversions`);
    expect(await page.getByText(txid).count()).toBe(0);
    await shots.take(page, 'other-affiliate-conversions');
    for (const path of ['/dashboard', TODAY_BY_OFFER, '/postbacks/deliveries']) {
      await openPage(page, `${env.url}${path}`);
      // The offer may be named in a filter (it is in the marketplace); no row of it shows.
      expect(await page.getByRole('row').filter({ hasText: offerName }).count(), path).toBe(0);
      expect(await page.getByRole('row').filter({ hasText: txid }).count(), path).toBe(0);
      await shots.take(page, `other-affiliate-${path.slice(1).replace(/\?.*/, '')}`);
    }
    const conversions = await api.other.get<{ data: Schemas['Conversion'][] }>('/api/v1/conversions');
    expect(conversions.data.filter((c) => c.id === conversionId || c.clickId === clickId)).toEqual([]);
    expect(
      (await api.other.get<{ data: Schemas['Conversion'][] }>(`/api/v1/conversions?offerId=${offer.id}`))
        .data,
    ).toEqual([]);
    expect(await todayReport(api.other, offer.id)).toBeUndefined();
    const deliveries = await api.other.get<{ data: Schemas['PostbackDelivery'][] }>(
      '/api/v1/postback-deliveries',
    );
    expect(deliveries.data.filter((d) => d.conversionId === conversionId)).toEqual([]);
  });

  step(
    'every main page of each role renders, saved as a screenshot',
    async () => {
      const missing: string[] = [];
      const who: [string, Role, Page][] = [
        ['admin', 'admin', pages.admin],
        ['advertiser', 'advertiser', pages.advertiser],
        ['affiliate', 'affiliate', pages.affiliate],
      ];
      // The three roles side by side, each in its own browser context, as three people would.
      await Promise.all(
        who.map(async ([name, role, page]) => {
          for (const main of mainPages(role)) {
            if (!landed(main.path)) {
              missing.push(`${name} ${main.path}`);
              continue;
            }
            const visit = await openPage(page, `${env.url}${main.path}`);
            expect.soft(visit.status, `${name} ${main.path}`).toBe(200);
            await settles(page, `${name} ${main.path}`);
            await shots.take(page, `${name}-${main.path.slice(1)}`);
          }
        }),
      );
      console.log(`screenshots: ${shots.taken.length} in ${shots.dir}`);
      // The sidebar links only to pages that exist.
      expect(missing, 'main pages missing from the build').toEqual([]);
    },
    240_000,
  );
});

/** The reports page: today, in UTC, one row an offer. */
const TODAY_BY_OFFER = '/reports?tz=UTC&range=today&granularity=total&groupBy=offer';

/** Today's totals of one offer, as the caller may see them (undefined: no row, nothing of it visible). */
async function todayReport(api: Api, offerId: number): Promise<Schemas['ReportRow'] | undefined> {
  const today = new Date().toISOString().slice(0, 10);
  const report = await api.get<{ data: Schemas['ReportRow'][] }>(
    `/api/v1/reports?from=${today}&to=${today}&timezone=UTC&granularity=total&groupBy=offer`,
  );
  return report.data.find((row) => row.offerId === offerId);
}
