/**
 * `pnpm --filter @tas/control-plane exec tsx bench/reconciliation.ts`: the ledger's reconciliation
 * at size (decision 021). Loads approved conversions and the ledger rows the ingest would have
 * posted for them by bulk SQL (as bench/payout-run.ts does), pays them in one run against the local
 * Stripe and PayPal fakes (half the affiliates on Stripe Connect, 40% on PayPal, 10% by bank), has
 * advertisers top up through Checkout (credited by the real webhook handler), then times each
 * check of the reconciliation on its own and the whole. Prints figures; asserts nothing but that
 * the reconciliation is clean and complete.
 *
 * BENCH_AFFILIATES (10000), BENCH_CONVERSIONS (1000000), BENCH_TOP_UPS (2000), BENCH_DATABASE_URL
 * (default: a throwaway PostgreSQL 15 started here).
 */
import { sql } from 'drizzle-orm';
import { createUser } from '../src/accounts/account-service.ts';
import { createAdvertiser } from '../src/advertisers/advertiser-service.ts';
import type { Principal } from '../src/auth/principal.ts';
import { registerTopUpHandlers } from '../src/billing/top-up-handlers.ts';
import { openTopUp } from '../src/billing/top-ups.ts';
import { createPaymentDetailsCipher } from '../src/crypto/payment-details-cipher.ts';
import { connectPostgres, queryRows } from '../src/db/database.ts';
import { affiliatePayoutSettings } from '../src/db/schema/payouts.ts';
import { RECONCILIATION_CHECKS, reconcileLedger } from '../src/ledger/reconciliation.ts';
import { createOffer } from '../src/offers/offer-service.ts';
import { startRun } from '../src/payouts/payout-run.ts';
import {
  DEFAULT_NETWORK_PAYOUT_SETTINGS,
  saveNetworkPayoutSettings,
} from '../src/payouts/payout-settings.ts';
import { registerPayoutWebhooks } from '../src/payouts/payout-webhooks.ts';
import { createPayPalProcessor } from '../src/processors/paypal/paypal-client.ts';
import { receiveProcessorEvent } from '../src/processors/processor-event-store.ts';
import { createStripeProcessor } from '../src/processors/stripe/stripe-client.ts';
import { createExpressAccount } from '../src/processors/stripe/stripe-connect.ts';
import { createWebhookHandlers } from '../src/processors/webhook-handlers.ts';
import { startEphemeralPostgres } from '../test/ephemeral-postgres.ts';
import { startPayPalFake } from '../test/fakes/paypal-fake.ts';
import { startStripeFake } from '../test/fakes/stripe-fake.ts';
import { acceptingEdge } from '../test/fixtures.ts';
import { fmt, timed } from './bench-timing.ts';

const AFFILIATES = Number(process.env.BENCH_AFFILIATES ?? 10_000);
const CONVERSIONS = Number(process.env.BENCH_CONVERSIONS ?? 1_000_000);
const TOP_UPS = Number(process.env.BENCH_TOP_UPS ?? 2_000);
const CHUNK = 100_000;

async function main() {
  const server = process.env.BENCH_DATABASE_URL ? null : await startEphemeralPostgres();
  const url = process.env.BENCH_DATABASE_URL ?? server?.url() ?? '';
  const database = connectPostgres(url, { driver: 'pg' });
  const stripeFake = await startStripeFake({ platformBalance: { usd: 1e15 } });
  const paypalFake = await startPayPalFake();
  try {
    await database.migrate();
    const db = database.db;
    const advertiser = await createAdvertiser(db, { companyName: 'Bench' });
    const offer = await createOffer(
      { db, edge: acceptingEdge },
      {
        advertiserId: advertiser.id,
        name: 'O',
        payoutType: 'cpa',
        payoutMinor: 150,
        revenueMinor: 250,
        status: 'active',
        destinationUrl: 'https://adv.example/',
      },
    );
    console.log(
      `loading ${fmt(AFFILIATES)} affiliates and ${fmt(CONVERSIONS)} approved conversions with their ledger`,
    );
    await db.execute(sql`INSERT INTO affiliates (company_name, status)
                         SELECT 'Affiliate ' || g, 'active' FROM generate_series(1, ${AFFILIATES}::int) g`);
    const [range] = await queryRows<{ lo: number }>(db, sql`SELECT min(id) AS lo FROM affiliates`);
    const lo = range?.lo ?? 1;
    await db.execute(sql`
      INSERT INTO ledger_accounts (kind, owner_id, currency)
      SELECT 'advertiser'::ledger_account_kind, ${String(advertiser.id)}::text, 'USD' UNION ALL
      SELECT 'network_revenue'::ledger_account_kind, 'network', 'USD' UNION ALL
      SELECT 'affiliate_payable'::ledger_account_kind, id::text, 'USD' FROM affiliates`);
    // Bulk load without the commit-time check per entry; the reconciliation checks balance below.
    await db.execute(sql`ALTER TABLE ledger_entries DISABLE TRIGGER ledger_entries_balance`);
    await timed('conversions and ledger loaded', async () => {
      for (let from = 1; from <= CONVERSIONS; from += CHUNK) {
        const to = Math.min(CONVERSIONS, from + CHUNK - 1);
        const ids = sql`(SELECT md5('bench-conversion-' || g)::uuid FROM generate_series(${from}::int, ${to}::int) g)`;
        await db.transaction(async (tx) => {
          await tx.execute(sql`
            INSERT INTO conversions (id, click_id, clicked_at, occurred_at, offer_id, affiliate_id, event, status,
                                     payout_minor, revenue_minor, payout_currency, source, received_at)
            SELECT md5('bench-conversion-' || g)::uuid, 'click-' || g, now() - interval '40 days', now() - interval '40 days',
                   ${offer.id}::int, ${lo}::int + (g % ${AFFILIATES}::int), 'sale', 'approved', 150, 250, 'USD', 'bench',
                   now() - interval '40 days'
            FROM generate_series(${from}::int, ${to}::int) g`);
          await tx.execute(sql`
            INSERT INTO ledger_transfers (idempotency_key, kind, conversion_id, created_at)
            SELECT 'conversion:' || v.id || ':1', 'post', v.id, v.received_at FROM conversions v WHERE v.id IN ${ids}`);
          await tx.execute(sql`
            INSERT INTO ledger_entries (transfer_id, account_id, layer, amount_minor, currency)
            SELECT t.id, a.id, 'posted', leg.amount, 'USD'
            FROM ledger_transfers t JOIN conversions v ON v.id = t.conversion_id
            CROSS JOIN LATERAL (VALUES ('advertiser', ${String(advertiser.id)}, v.revenue_minor),
                                       ('affiliate_payable', v.affiliate_id::text, -v.payout_minor),
                                       ('network_revenue', 'network', -(v.revenue_minor - v.payout_minor)))
              AS leg(kind, owner_id, amount)
            JOIN ledger_accounts a ON a.kind = leg.kind::ledger_account_kind AND a.owner_id = leg.owner_id AND a.currency = 'USD'
            WHERE t.conversion_id IN ${ids}`);
        });
      }
    });
    await db.execute(sql`ALTER TABLE ledger_entries ENABLE TRIGGER ledger_entries_balance`);
    await db.execute(sql`ANALYZE`);

    const cipher = createPaymentDetailsCipher(Buffer.alloc(32, 3).toString('base64'));
    const handlers = createWebhookHandlers();
    registerTopUpHandlers(handlers);
    registerPayoutWebhooks(handlers);
    const processors = {
      stripe: createStripeProcessor({
        secretKey: stripeFake.secretKey,
        apiBase: stripeFake.url,
        maxNetworkRetries: 0,
      }),
      paypal: createPayPalProcessor({
        apiBase: paypalFake.url,
        clientId: paypalFake.clientId,
        clientSecret: paypalFake.clientSecret,
      }),
      webhookHandlers: handlers,
    };
    await timed('payout methods', async () => {
      const rows = [];
      for (let i = 0; i < AFFILIATES; i++) {
        const affiliateId = lo + i;
        if (i % 10 < 5) {
          const account = await createExpressAccount(processors.stripe.client, { affiliateId });
          if (!account.ok) throw new Error(account.failure.message);
          stripeFake.completeOnboarding(account.value.id);
          rows.push({
            affiliateId,
            method: 'stripe_connect' as const,
            stripeAccountId: account.value.id,
            stripePayoutsEnabled: true,
          });
        } else if (i % 10 < 9) {
          rows.push({
            affiliateId,
            method: 'paypal' as const,
            paypalReceiverEncrypted: cipher.encrypt(affiliateId, `payee-${affiliateId}@paypal.example`),
          });
        } else rows.push({ affiliateId, method: 'bank_transfer' as const });
      }
      for (let i = 0; i < rows.length; i += 2000)
        await db.insert(affiliatePayoutSettings).values(rows.slice(i, i + 2000));
    });
    await saveNetworkPayoutSettings(db, { ...DEFAULT_NETWORK_PAYOUT_SETTINGS, defaultMinimumMinor: 1 });
    const run = await timed('payout run', () => startRun({ db, processors, cipher }, { startedBy: null }));
    console.log(`  ${run?.run.status}; ${fmt(stripeFake.transfers.size)} Stripe transfers`);
    await timed('PayPal items settled (webhooks)', async () => {
      for (const event of paypalFake.settle()) {
        await receiveProcessorEvent(db, handlers, {
          processor: 'paypal',
          eventId: event.id,
          type: event.event_type,
          objectId: null,
          occurredAt: new Date(),
          payload: event,
        });
      }
    });
    const user = await createUser(
      { db },
      { email: 'bench@tas.test', password: 'a long enough password', role: 'admin' },
    );
    const admin: Principal = {
      userId: user.id,
      email: user.email,
      role: 'admin',
      advertiserId: null,
      affiliateId: null,
      via: { kind: 'session', sessionId: '00000000-0000-4000-8000-00000000000b' },
    };
    await timed(`${fmt(TOP_UPS)} top-ups opened, paid and credited (every fourth left open)`, async () => {
      for (let i = 0; i < TOP_UPS; i++) {
        const topUp = await openTopUp({ db, processors }, admin, {
          advertiserId: advertiser.id,
          amountMinor: 10_000 + i,
          currency: 'USD',
        });
        if (i % 4 === 3) continue;
        const event = stripeFake.completeCheckout(topUp.checkoutSessionId ?? '');
        await receiveProcessorEvent(db, handlers, {
          processor: 'stripe',
          eventId: event.id,
          type: event.type,
          objectId: topUp.checkoutSessionId,
          occurredAt: new Date(),
          payload: event,
        });
      }
    });
    const [size] = await queryRows<{ transfers: number; entries: number; payouts: number }>(
      db,
      sql`SELECT (SELECT count(*) FROM ledger_transfers)::int AS transfers, (SELECT count(*) FROM ledger_entries)::int AS entries,
                 (SELECT count(*) FROM payouts)::int AS payouts`,
    );
    console.log(
      `ledger: ${fmt(size?.transfers ?? 0)} transfers, ${fmt(size?.entries ?? 0)} entries; ${fmt(size?.payouts ?? 0)} payouts`,
    );

    for (const check of RECONCILIATION_CHECKS) {
      const before = stripeFake.requests.length;
      const result = await timed(`  check ${check.name}`, () =>
        reconcileLedger(db, { processors, checks: [check] }),
      );
      if (check.name === 'processors')
        console.log(
          `    ${fmt(stripeFake.requests.length - before)} Stripe requests; ${result.differencesTotal} differences`,
        );
    }
    const whole = await timed('whole reconciliation', () => reconcileLedger(db, { processors }));
    console.log(`  clean ${whole.clean}, complete ${whole.complete}, ${whole.differencesTotal} differences`);
    if (!whole.clean || !whole.complete) {
      console.log(whole.differences.slice(0, 10));
      process.exitCode = 1;
    }
  } finally {
    await database.close();
    await stripeFake.close();
    await paypalFake.close();
    server?.stop();
  }
}

await main();
