import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminSession, call, type Session, signUp } from '../../test/api-client.ts';
import { startEdgeRecorder } from '../../test/edge-recorder.ts';
import { runDeps } from '../../test/invoice-setup.ts';
import { apiOffer } from '../../test/offer-setup.ts';
import { type ProcessorFakes, startProcessorFakes } from '../../test/processor-setup.ts';
import { sentMail, testApp } from '../../test/test-app.ts';
import { testDatabases } from '../../test/test-databases.ts';
import { clickEvent, conversionEvent, signedIngest } from '../../test/tracking-events.ts';
import type { DatabaseHandle } from '../db/database.ts';
import { runInvoicing } from '../invoices/invoice-run.ts';
import type { BillingTerms } from './billing-settings.ts';
import { advertisersToSweep } from './funds-candidates.ts';
import { syncFundsState } from './funds-stop.ts';

const TERMS: BillingTerms = {
  mode: 'postpaid',
  creditLimitByCurrency: {},
  lowBalanceByCurrency: {},
  invoicePeriod: 'monthly',
  netTermsDays: 30,
};

type Funds = { currency: string; state: string; availableMinor: number | null; stoppedAtEdge: boolean };

describe.each(testDatabases)(
  "advertisers' offers stop at the edge when their money runs out, on $name",
  ({ open }) => {
    let handle: DatabaseHandle;
    let recorder: Awaited<ReturnType<typeof startEdgeRecorder>>;
    let fakes: ProcessorFakes;
    let app: ReturnType<typeof testApp>;
    let admin: Session;
    let affiliateId: number;

    beforeAll(async () => {
      handle = await open();
      recorder = await startEdgeRecorder();
      fakes = await startProcessorFakes();
      app = testApp(handle.db, { edge: recorder.edge, processors: fakes.processors() });
      admin = await adminSession(app, handle.db);
      const affiliate = await signUp(app, 'affiliate');
      affiliateId = affiliate.affiliateId!;
      await call(app, 'PATCH', `/api/v1/affiliates/${affiliateId}`, {
        token: admin.accessToken,
        body: { status: 'active' },
      });
    });
    afterAll(async () => {
      await fakes.close();
      await recorder.close();
      await handle.close();
    });

    /** Every config of the offer the edge accepted, oldest first: whether each had it stopped. */
    const publishedStops = (offerId: number) =>
      recorder.received
        .flatMap((p) => p.upsert?.offers ?? [])
        .filter((o) => o.id === offerId)
        .map((o) => o.fundsStopped);
    const stoppedAtEdge = (offerId: number) => publishedStops(offerId).at(-1);

    const setTerms = async (advertiserId: number, terms: Partial<BillingTerms>) => {
      const response = await call(app, 'PUT', `/api/v1/advertisers/${advertiserId}/billing`, {
        token: admin.accessToken,
        body: { ...TERMS, ...terms },
      });
      expect(response.status, await response.clone().text()).toBe(200);
      return (await response.json()) as { funds: Funds[] };
    };
    const funds = async (session: Session) => {
      const response = await call(app, 'GET', `/api/v1/advertisers/${session.advertiserId}/billing`, {
        token: session.accessToken,
      });
      expect(response.status).toBe(200);
      return ((await response.json()) as { funds: Funds[] }).funds;
    };

    /** A paid Stripe Checkout top-up, credited by its signed webhook as in production. */
    async function topUp(session: Session, amountMinor: number, currency = 'USD') {
      const opened = await call(app, 'POST', '/api/v1/top-ups', {
        token: session.accessToken,
        body: { amountMinor, currency },
      });
      expect(opened.status).toBe(201);
      const { checkoutUrl } = (await opened.json()) as { checkoutUrl: string };
      const sessionId = /\/pay\/(cs_[A-Za-z0-9_]+)/.exec(checkoutUrl)?.[1] ?? '';
      const { body, headers } = fakes.stripe.signed(fakes.stripe.completeCheckout(sessionId));
      expect((await app.request('/webhooks/stripe', { method: 'POST', body, headers })).status).toBe(200);
    }

    /** Conversions of the offer (revenue 25.00 each) as the edge sends them: one ingest batch. */
    async function convert(offerId: number, n: number, advertiserStatus: 'approved' | null = 'approved') {
      const click = await clickEvent({
        offerId,
        affiliateId,
        occurredAt: new Date(Date.now() - 3600_000).toISOString(),
      });
      const conversions = Array.from({ length: n }, () =>
        conversionEvent(click, { occurredAt: new Date().toISOString(), advertiserStatus }),
      );
      const response = await app.request(
        '/internal/ingest',
        await signedIngest({ events: [click, ...conversions] }),
      );
      expect(response.status).toBe(200);
      return conversions.map((c) => c.id);
    }

    it('stops a prepaid advertiser whose conversions use up its top-up, emails once, and serves again once topped up', async () => {
      const advertiser = await signUp(app, 'advertiser');
      const offer = await apiOffer(app, advertiser, { visibility: 'public' });
      const other = await apiOffer(app, advertiser, { visibility: 'public', currency: 'EUR' });
      await topUp(advertiser, 10_000);
      await topUp(advertiser, 5_000, 'EUR');
      const mailBefore = sentMail(app).length;

      // 100.00 prepaid, warned below 60.00.
      const saved = await setTerms(advertiser.advertiserId!, {
        mode: 'prepaid',
        lowBalanceByCurrency: { USD: 6000 },
      });
      expect(saved.funds.find((f) => f.currency === 'USD')).toMatchObject({
        state: 'available',
        availableMinor: 10_000,
        stoppedAtEdge: false,
      });

      // 2 x 25.00: 50.00 left, below the threshold; still serving.
      await convert(offer.id, 2);
      expect((await funds(advertiser)).find((f) => f.currency === 'USD')).toMatchObject({
        state: 'low',
        availableMinor: 5000,
      });
      expect(stoppedAtEdge(offer.id)).toBe(false);
      // A pending conversion holds its revenue: 25.00 left after it.
      await convert(offer.id, 1, null);
      expect((await funds(advertiser)).find((f) => f.currency === 'USD')?.availableMinor).toBe(2500);
      // The last 25.00: nothing left. The USD offer stops; the EUR one, with its own money, serves.
      await convert(offer.id, 1);
      expect(stoppedAtEdge(offer.id)).toBe(true);
      expect((await funds(advertiser)).find((f) => f.currency === 'USD')).toMatchObject({
        state: 'exhausted',
        availableMinor: 0,
        stoppedAtEdge: true,
      });
      expect(publishedStops(other.id).every((stopped) => stopped === false)).toBe(true);

      // Conversions of clicks sent before the stop still arrive and count; nothing is said twice.
      const publishesBefore = publishedStops(offer.id).length;
      await convert(offer.id, 1);
      expect((await funds(advertiser)).find((f) => f.currency === 'USD')?.availableMinor).toBe(-2500);
      expect(publishedStops(offer.id)).toHaveLength(publishesBefore);
      const swept: string[] = [];
      await syncFundsState(
        { db: handle.db, edge: recorder.edge, mailer: { send: async (m) => void swept.push(m.subject) } },
        await advertisersToSweep(handle.db),
        new Date(),
      );
      expect(swept).toEqual([]);

      const mail = sentMail(app).slice(mailBefore);
      const to = mail.map((m) => m.to);
      expect(new Set(to).size).toBe(1);
      expect(to[0]).toMatch(/^advertiser-/);
      expect(mail.map((m) => m.subject)).toEqual([
        'Your USD balance is running low',
        'Your USD offers are stopped: balance exhausted',
      ]);
      expect(mail[0]?.text).toContain('50.00 USD');

      // A paid top-up of 100.00: with 25.00 still held, 75.00 is available, above the threshold.
      await topUp(advertiser, 10_000);
      expect(stoppedAtEdge(offer.id)).toBe(false);
      expect((await funds(advertiser)).find((f) => f.currency === 'USD')).toMatchObject({
        state: 'available',
        availableMinor: 7500,
        stoppedAtEdge: false,
      });
      // Recovered above the threshold: a later fall below it is news again.
      await convert(offer.id, 1);
      expect(
        sentMail(app)
          .slice(mailBefore)
          .map((m) => m.subject),
      ).toEqual([
        'Your USD balance is running low',
        'Your USD offers are stopped: balance exhausted',
        'Your USD balance is running low',
      ]);
    });

    it('stops a postpaid advertiser at its credit limit, pending conversions included, and serves again when a conversion is rejected', async () => {
      const advertiser = await signUp(app, 'advertiser');
      const offer = await apiOffer(app, advertiser, { visibility: 'public' });
      await setTerms(advertiser.advertiserId!, { creditLimitByCurrency: { USD: 5000 } });
      expect(stoppedAtEdge(offer.id)).toBe(false);
      const mailBefore = sentMail(app).length;

      const [first] = await convert(offer.id, 1, null);
      expect(stoppedAtEdge(offer.id)).toBe(false);
      await convert(offer.id, 1);
      expect(stoppedAtEdge(offer.id)).toBe(true);
      expect((await funds(advertiser)).find((f) => f.currency === 'USD')).toMatchObject({
        state: 'exhausted',
        availableMinor: 0,
      });
      expect(
        sentMail(app)
          .slice(mailBefore)
          .map((m) => m.subject),
      ).toEqual(['Your USD offers are stopped: credit limit reached']);

      const rejected = await call(app, 'POST', '/api/v1/conversions/changes', {
        token: admin.accessToken,
        body: { action: 'reject', conversionIds: [first], reason: 'fraud', dryRun: false },
      });
      expect(rejected.status, await rejected.clone().text()).toBe(200);
      expect(stoppedAtEdge(offer.id)).toBe(false);
      expect((await funds(advertiser)).find((f) => f.currency === 'USD')).toMatchObject({
        state: 'available',
        availableMinor: 2500,
      });

      // Raising or removing the limit restarts at once too; lowering it under what is owed stops.
      await setTerms(advertiser.advertiserId!, { creditLimitByCurrency: { USD: 2000 } });
      expect(stoppedAtEdge(offer.id)).toBe(true);
      await setTerms(advertiser.advertiserId!, {});
      expect(stoppedAtEdge(offer.id)).toBe(false);
    });

    it('serves a postpaid advertiser stopped at its credit limit again as soon as its invoice is paid', async () => {
      const advertiser = await signUp(app, 'advertiser');
      const offer = await apiOffer(app, advertiser, { visibility: 'public' });
      await setTerms(advertiser.advertiserId!, { creditLimitByCurrency: { USD: 5000 } });
      await convert(offer.id, 2);
      expect(stoppedAtEdge(offer.id)).toBe(true);

      // The month ends; its invoice asks the 50.00 owed, and the advertiser pays it at Stripe.
      const run = await runInvoicing(runDeps(handle.db, fakes.processors()), {
        dryRun: false,
        advertiserId: advertiser.advertiserId!,
      });
      const invoice = run.issued[0]?.invoice;
      expect(invoice).toMatchObject({ amountMinor: 5000, status: 'open' });
      const { body, headers } = fakes.stripe.signed(
        fakes.stripe.payInvoiceOnline(invoice?.stripeInvoiceId ?? ''),
      );
      expect((await app.request('/webhooks/stripe', { method: 'POST', body, headers })).status).toBe(200);

      expect(stoppedAtEdge(offer.id)).toBe(false);
      expect((await funds(advertiser)).find((f) => f.currency === 'USD')).toMatchObject({
        state: 'available',
        availableMinor: 5000,
      });
    });

    it('never stops an advertiser without terms, however much it owes', async () => {
      const advertiser = await signUp(app, 'advertiser');
      const offer = await apiOffer(app, advertiser, { visibility: 'public' });
      await convert(offer.id, 20);
      expect(publishedStops(offer.id).every((stopped) => stopped === false)).toBe(true);
      expect(await advertisersToSweep(handle.db)).not.toContain(advertiser.advertiserId);
      expect((await funds(advertiser)).find((f) => f.currency === 'USD')).toMatchObject({
        state: 'available',
        availableMinor: null,
        stoppedAtEdge: false,
      });
    });

    it('marks nothing while the edge is unreachable, and the sweep publishes the stop once it is back', async () => {
      const advertiser = await signUp(app, 'advertiser');
      const offer = await apiOffer(app, advertiser, { visibility: 'public' });
      await setTerms(advertiser.advertiserId!, { creditLimitByCurrency: { USD: 2500 } });
      const mailBefore = sentMail(app).length;
      recorder.fail(true);
      try {
        await convert(offer.id, 1);
      } finally {
        recorder.fail(false);
      }
      expect(stoppedAtEdge(offer.id)).toBe(false);
      expect((await funds(advertiser)).find((f) => f.currency === 'USD')).toMatchObject({
        state: 'exhausted',
        stoppedAtEdge: false,
      });
      expect(sentMail(app).length).toBe(mailBefore);

      await syncFundsState(
        { db: handle.db, edge: recorder.edge, mailer: { send: async () => {} } },
        await advertisersToSweep(handle.db),
        new Date(),
      );
      expect(stoppedAtEdge(offer.id)).toBe(true);
      expect((await funds(advertiser)).find((f) => f.currency === 'USD')?.stoppedAtEdge).toBe(true);
    });
  },
);
