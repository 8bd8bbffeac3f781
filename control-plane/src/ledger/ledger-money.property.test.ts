import { and, eq, inArray, sql } from 'drizzle-orm';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type PayPalFake, startPayPalFake } from '../../test/fakes/paypal-fake.ts';
import { type StripeFake, startStripeFake } from '../../test/fakes/stripe-fake.ts';
import { acceptingEdge } from '../../test/fixtures.ts';
import { setPayoutMethod, testCipher } from '../../test/payout-setup.ts';
import { noMail } from '../../test/test-app.ts';
import { openTestPglite } from '../../test/test-databases.ts';
import { clickEvent, conversionEvent } from '../../test/tracking-events.ts';
import { createUser } from '../accounts/account-service.ts';
import { createAdvertiser } from '../advertisers/advertiser-service.ts';
import type { Principal } from '../auth/principal.ts';
import { registerTopUpHandlers } from '../billing/top-up-handlers.ts';
import { openTopUp } from '../billing/top-ups.ts';
import { changeConversions } from '../conversions/conversion-changes.ts';
import type { ConversionChangeRequest } from '../conversions/conversion-schemas.ts';
import { type DatabaseHandle, queryRows } from '../db/database.ts';
import { affiliates } from '../db/schema/affiliates.ts';
import { type Payout, payoutRuns, payouts } from '../db/schema/payouts.ts';
import { topUps } from '../db/schema/top-ups.ts';
import { ingestEvents } from '../ingest/ingest-events.ts';
import { createOffer } from '../offers/offer-service.ts';
import { continueRun, dryRun, type PayoutRunDeps, startRun } from '../payouts/payout-run.ts';
import { DEFAULT_NETWORK_PAYOUT_SETTINGS, saveNetworkPayoutSettings } from '../payouts/payout-settings.ts';
import { registerPayoutWebhooks } from '../payouts/payout-webhooks.ts';
import { createPayPalProcessor } from '../processors/paypal/paypal-client.ts';
import type { ProcessorDeps } from '../processors/processor-deps.ts';
import { type IncomingProcessorEvent, receiveProcessorEvent } from '../processors/processor-event-store.ts';
import { createStripeProcessor } from '../processors/stripe/stripe-client.ts';
import { createExpressAccount } from '../processors/stripe/stripe-connect.ts';
import { createWebhookHandlers } from '../processors/webhook-handlers.ts';
import { readConversionPositions } from './conversion-ledger.ts';
import { conversionDifferences, reconcileLedger } from './reconciliation.ts';

/*
 * Decision 021's promise with money moving: whatever conversions, status changes, top-ups, payout
 * runs (interrupted and resumed), PayPal settlements, Stripe reversals and webhook replays happen,
 * in any order, every transfer balances, no conversion's money reaches an affiliate twice, top-ups
 * are credited once, and the ledger equals the conversions, the payouts and the processors' own
 * records. Each sequence has its own advertiser and affiliates (retired after it), so a
 * counterexample shrinks to its own steps.
 */

const outcome = fc.constantFrom('SUCCESS', 'RETURNED', 'FAILED', 'UNCLAIMED') as fc.Arbitrary<
  'SUCCESS' | 'RETURNED' | 'FAILED' | 'UNCLAIMED'
>;
const step = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.record({
      op: fc.constant('ingest' as const),
      affiliate: fc.nat(1),
      // Mostly approved: approved conversions are what runs pay.
      statuses: fc.array(
        fc.constantFrom('approved', 'approved', 'pending', 'rejected') as fc.Arbitrary<'approved'>,
        {
          minLength: 1,
          maxLength: 3,
        },
      ),
    }),
  },
  {
    weight: 3,
    arbitrary: fc.record({
      op: fc.constant('change' as const),
      action: fc.constantFrom('approve', 'pend', 'reject', 'reverse', 'adjust') as fc.Arbitrary<
        ConversionChangeRequest['action']
      >,
      targets: fc.array(fc.nat(), { minLength: 1, maxLength: 2 }),
      payoutMinor: fc.integer({ min: 0, max: 5_000 }),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      op: fc.constant('topUp' as const),
      amountMinor: fc.integer({ min: 1, max: 100_000 }),
      paid: fc.boolean(),
      replays: fc.nat(2),
      alsoAsync: fc.boolean(),
    }),
  },
  { weight: 3, arbitrary: fc.record({ op: fc.constant('run' as const), outage: fc.boolean() }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('resume' as const) }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('settlePayPal' as const), outcome }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('reverseTransfer' as const), target: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('replay' as const), target: fc.nat() }) },
);

describe('the ledger with money moving, under any sequence (PGlite)', () => {
  let handle: DatabaseHandle;
  let stripe: StripeFake;
  let paypal: PayPalFake;
  let processors: ProcessorDeps;
  let admin: Principal;
  const handlers = createWebhookHandlers();

  beforeAll(async () => {
    handle = await openTestPglite();
    stripe = await startStripeFake({ platformBalance: { usd: 1e12 } });
    paypal = await startPayPalFake();
    registerTopUpHandlers(handlers);
    registerPayoutWebhooks(handlers);
    processors = {
      stripe: createStripeProcessor({
        secretKey: stripe.secretKey,
        apiBase: stripe.url,
        maxNetworkRetries: 0,
      }),
      paypal: createPayPalProcessor({
        apiBase: paypal.url,
        clientId: paypal.clientId,
        clientSecret: paypal.clientSecret,
      }),
      webhookHandlers: handlers,
    };
    const user = await createUser(
      { db: handle.db },
      { email: 'money-admin@tas.test', password: 'a long enough password', role: 'admin' },
    );
    admin = {
      userId: user.id,
      email: user.email,
      role: 'admin',
      advertiserId: null,
      affiliateId: null,
      via: { kind: 'session', sessionId: '00000000-0000-4000-8000-00000000000b' },
    };
    // No hold and a minimum of one cent: whatever is payable is paid, so every run is a real test.
    await saveNetworkPayoutSettings(handle.db, {
      ...DEFAULT_NETWORK_PAYOUT_SETTINGS,
      holdDays: 0,
      defaultMinimumMinor: 1,
    });
  });
  afterAll(async () => {
    await Promise.all([stripe.close(), paypal.close()]);
    await handle.close();
  });

  /** A fresh advertiser with a CPA offer, an affiliate paid by Stripe Connect and one by PayPal. */
  async function newWorld(n: number) {
    const db = handle.db;
    const advertiser = await createAdvertiser(db, { companyName: `Money ${n}` });
    const offer = await createOffer(
      { db, edge: acceptingEdge, now: () => new Date('2026-11-01T00:00:00Z') },
      {
        advertiserId: advertiser.id,
        name: 'O',
        status: 'active',
        destinationUrl: 'https://adv.example/',
        payoutType: 'cpa',
        payoutMinor: 1500,
        revenueMinor: 2500,
      },
    );
    const [a, b] = await db
      .insert(affiliates)
      .values([{ companyName: `Stripe ${n}` }, { companyName: `PayPal ${n}` }])
      .returning({ id: affiliates.id });
    const stripeAffiliate = a?.id ?? 0;
    const paypalAffiliate = b?.id ?? 0;
    const account = await createExpressAccount(processors.stripe!.client, { affiliateId: stripeAffiliate });
    if (!account.ok) throw new Error(account.failure.message);
    stripe.completeOnboarding(account.value.id);
    await setPayoutMethod(db, stripeAffiliate, 'stripe_connect', {
      stripeAccountId: account.value.id,
      stripePayoutsEnabled: true,
    });
    const email = `payee-${paypalAffiliate}@paypal.example`;
    await setPayoutMethod(db, paypalAffiliate, 'paypal', { paypalEmail: email });
    return {
      advertiserId: advertiser.id,
      offerId: offer.id,
      affiliateIds: [stripeAffiliate, paypalAffiliate],
      email,
    };
  }

  /** Each affiliate's posted payable, credit-positive. */
  async function payables(affiliateIds: number[]): Promise<Map<number, number>> {
    const rows = await queryRows<{ owner_id: string; balance: number | string }>(
      handle.db,
      sql`SELECT a.owner_id, coalesce(-sum(e.amount_minor), 0) AS balance
          FROM ledger_accounts a LEFT JOIN ledger_entries e ON e.account_id = a.id AND e.layer = 'posted'
          WHERE a.kind = 'affiliate_payable' AND a.owner_id = ANY(${sql.param(affiliateIds.map(String))}::text[])
          GROUP BY a.owner_id`,
    );
    const found = new Map(affiliateIds.map((id) => [id, 0]));
    for (const r of rows) found.set(Number(r.owner_id), Number(r.balance));
    return found;
  }

  const payoutsOf = (affiliateIds: number[]) =>
    handle.db.select().from(payouts).where(inArray(payouts.affiliateId, affiliateIds));

  it('keeps transfers balanced, pays no conversion twice, credits top-ups once, and equals conversions, payouts and processors', async () => {
    let n = 0;
    const runDeps = (): PayoutRunDeps => ({
      db: handle.db,
      processors,
      cipher: testCipher,
      // Later than every conversion: nothing is held back by time.
      now: () => new Date(Date.now() + 60_000),
    });
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 8, maxLength: 30 }), async (steps) => {
        const db = handle.db;
        const world = await newWorld(n++);
        const ours = world.affiliateIds;
        const conversions: string[] = [];
        const delivered: IncomingProcessorEvent[] = [];
        const toppedUp = new Map<string, number>();
        const pick = <T>(list: readonly T[], i: number) => list[i % list.length];
        const deliver = async (event: IncomingProcessorEvent) => {
          const result = await receiveProcessorEvent(db, handlers, event);
          expect(result.outcome, result.error).not.toBe('failed');
          delivered.push(event);
        };
        const stripeEvent = (e: { id: string; type: string; data: { object: { id: string } } }) => ({
          processor: 'stripe' as const,
          eventId: e.id,
          type: e.type,
          objectId: e.data.object.id,
          occurredAt: new Date(),
          payload: e,
        });

        for (const s of steps) {
          if (s.op === 'ingest') {
            const events = [];
            for (const status of s.statuses) {
              const click = await clickEvent({ offerId: world.offerId, affiliateId: ours[s.affiliate]! });
              events.push(conversionEvent(click, { advertiserStatus: status }));
            }
            await ingestEvents(db, { events });
            conversions.push(...events.map((e) => e.id));
          } else if (s.op === 'change' && conversions.length > 0) {
            await changeConversions({ db, edge: acceptingEdge, mailer: noMail }, admin, {
              action: s.action,
              conversionIds: [...new Set(s.targets.map((t) => pick(conversions, t)!))],
              ...(s.action === 'adjust' ? { payoutMinor: s.payoutMinor } : {}),
              reason: 'property',
              dryRun: false,
            });
          } else if (s.op === 'topUp') {
            const opened = await openTopUp({ db, processors }, admin, {
              advertiserId: world.advertiserId,
              amountMinor: s.amountMinor,
              currency: 'USD',
            });
            const sessionId = opened.checkoutSessionId ?? '';
            if (s.paid) {
              const paidEvent = stripe.completeCheckout(sessionId) as unknown as Parameters<
                typeof stripeEvent
              >[0];
              for (let i = 0; i <= s.replays; i++) await deliver(stripeEvent(paidEvent));
              // Stripe's other "paid" event for the same session: a second event, the same credit.
              if (s.alsoAsync) {
                await deliver(
                  stripeEvent({
                    ...paidEvent,
                    id: `evt_async_${sessionId}`,
                    type: 'checkout.session.async_payment_succeeded',
                  }),
                );
              }
              toppedUp.set(sessionId, s.amountMinor);
            }
          } else if (s.op === 'run') {
            const before = await payables(ours);
            const due = (await dryRun(runDeps())).decisions.filter(
              (d) => d.pay && ours.includes(d.affiliateId),
            );
            if (s.outage && due.length > 0) {
              // The first processor the run calls for these affiliates is down.
              if (due.some((d) => d.method === 'stripe_connect')) stripe.failNext(1);
              else paypal.failNext(1);
            }
            const started = await startRun(runDeps(), { startedBy: null });
            const made = (await payoutsOf(ours)).filter((p) => p.runId === started?.run.id);
            // Each payout is what was payable then, never more, never out of a balance at or below zero.
            for (const p of made) {
              const payable = before.get(p.affiliateId) ?? 0;
              expect(payable).toBeGreaterThan(0);
              expect(p.amountMinor).toBe(payable);
            }
            const after = await payables(ours);
            for (const id of ours) {
              const paid = made.find(
                (p) =>
                  p.affiliateId === id &&
                  (p.status === 'pending' || p.status === 'sent' || p.status === 'paid'),
              );
              expect(after.get(id)).toBe((before.get(id) ?? 0) - (paid?.amountMinor ?? 0));
            }
            // A second run with nothing new pays these affiliates nothing.
            const again = await startRun(runDeps(), { startedBy: null });
            expect((await payoutsOf(ours)).filter((p) => p.runId === again?.run.id)).toEqual([]);
          } else if (s.op === 'resume') {
            const runIds = [...new Set((await payoutsOf(ours)).map((p) => p.runId))];
            const interrupted = runIds.length
              ? await db
                  .select()
                  .from(payoutRuns)
                  .where(and(inArray(payoutRuns.id, runIds), eq(payoutRuns.status, 'interrupted')))
              : [];
            for (const run of interrupted)
              expect((await continueRun(runDeps(), run.id)).status).toBe('completed');
          } else if (s.op === 'settlePayPal') {
            paypal.setOutcome(world.email, s.outcome);
            for (const e of paypal.settle()) {
              await deliver({
                processor: 'paypal',
                eventId: e.id,
                type: e.event_type,
                objectId: null,
                occurredAt: new Date(),
                payload: e,
              });
            }
          } else if (s.op === 'reverseTransfer') {
            const paid = (await payoutsOf(ours)).filter(
              (p) => p.method === 'stripe_connect' && p.status === 'paid',
            );
            const payout = pick(paid, s.target);
            if (payout?.processorReference) {
              const reversed = stripe.reverseTransfer(payout.processorReference);
              await deliver(stripeEvent(reversed as unknown as Parameters<typeof stripeEvent>[0]));
            }
          } else if (s.op === 'replay' && delivered.length > 0) {
            const again = await receiveProcessorEvent(db, handlers, pick(delivered, s.target)!);
            expect(again.outcome).toBe('duplicate');
          }
        }

        // Every transfer balances, and the ledger equals the conversions, the payouts and both
        // processors' records (a reversal after payment included: the clawback is a negative payable).
        const result = await reconcileLedger(db, { processors, maxDifferences: 20 });
        expect(result.differences).toEqual([]);
        expect(result).toMatchObject({ clean: true, complete: true });
        const positions = await readConversionPositions(db, conversions);
        expect(positions.flatMap(conversionDifferences)).toEqual([]);

        // No conversion's money paid twice: what the affiliate is owed is what its approved
        // conversions earned less what is on its way or paid (a failed or returned payout is
        // owed again, once); and no payout has two transfers or two PayPal items.
        const earned = await queryRows<{ affiliate_id: number; earned: number | string }>(
          db,
          sql`SELECT affiliate_id, sum(payout_minor) AS earned FROM conversions
              WHERE status = 'approved' AND id = ANY(${sql.param(conversions)}::uuid[]) GROUP BY affiliate_id`,
        );
        const all = await payoutsOf(ours);
        const owed = await payables(ours);
        for (const id of ours) {
          const out = all
            .filter((p: Payout) => p.affiliateId === id && p.postedAt !== null)
            .filter((p) => p.status === 'pending' || p.status === 'sent' || p.status === 'paid')
            .reduce((sum, p) => sum + p.amountMinor, 0);
          const gross = Number(earned.find((e) => e.affiliate_id === id)?.earned ?? 0);
          expect(owed.get(id)).toBe(gross - out);
        }
        const keys = [...stripe.transfers.values()].map((t) => (t.metadata as { tas_key?: string }).tas_key);
        for (const p of all) expect(keys.filter((k) => k === p.id).length).toBeLessThanOrEqual(1);

        // Top-ups: credited once each, however often their events came; unpaid ones not at all.
        const [advertiser] = await queryRows<{ balance: number | string }>(
          db,
          sql`SELECT coalesce(-sum(e.amount_minor), 0) AS balance FROM ledger_entries e
              JOIN ledger_transfers t ON t.id = e.transfer_id
              JOIN ledger_accounts a ON a.id = e.account_id
              WHERE a.kind = 'advertiser' AND a.owner_id = ${String(world.advertiserId)} AND t.kind = 'top_up'`,
        );
        expect(Number(advertiser?.balance ?? 0)).toBe([...toppedUp.values()].reduce((a, b) => a + b, 0));
        const rows = await db.select().from(topUps).where(eq(topUps.advertiserId, world.advertiserId));
        for (const t of rows)
          expect(t.status).toBe(toppedUp.has(t.checkoutSessionId ?? '') ? 'paid' : 'open');

        // Retired: later sequences' runs leave these affiliates alone.
        await db.update(affiliates).set({ status: 'suspended' }).where(inArray(affiliates.id, ours));
      }),
      { numRuns: 25 },
    );
  }, 240_000);
});
