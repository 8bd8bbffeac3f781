/**
 * `pnpm --filter @tas/control-plane exec tsx bench/payout-run.ts`: the payout run at size (issue
 * 10: 10,000 affiliates, 1,000,000 conversions). Loads approved conversions and the ledger rows
 * the ingest would have posted for them (one `post` transfer `conversion:{id}:1` with its three
 * posted entries) by bulk SQL, then times a dry run and an applied run against the local Stripe
 * and PayPal fakes (half the affiliates on Stripe Connect, 40% on PayPal, 10% by bank transfer;
 * a seventh of the conversions approved within the 30 days' hold). Prints figures; asserts nothing.
 *
 * BENCH_AFFILIATES (10000), BENCH_CONVERSIONS (1000000), BENCH_DATABASE_URL (default: a
 * throwaway PostgreSQL 15 started here).
 */
import { sql } from 'drizzle-orm';
import { createAdvertiser } from '../src/advertisers/advertiser-service.ts';
import { createPaymentDetailsCipher } from '../src/crypto/payment-details-cipher.ts';
import { connectPostgres, queryRows } from '../src/db/database.ts';
import { affiliatePayoutSettings } from '../src/db/schema/payouts.ts';
import { createOffer } from '../src/offers/offer-service.ts';
import { dryRun, startRun } from '../src/payouts/payout-run.ts';
import {
  DEFAULT_NETWORK_PAYOUT_SETTINGS,
  saveNetworkPayoutSettings,
} from '../src/payouts/payout-settings.ts';
import { createPayPalProcessor } from '../src/processors/paypal/paypal-client.ts';
import { createStripeProcessor } from '../src/processors/stripe/stripe-client.ts';
import { createExpressAccount } from '../src/processors/stripe/stripe-connect.ts';
import { createWebhookHandlers } from '../src/processors/webhook-handlers.ts';
import { startEphemeralPostgres } from '../test/ephemeral-postgres.ts';
import { startPayPalFake } from '../test/fakes/paypal-fake.ts';
import { startStripeFake } from '../test/fakes/stripe-fake.ts';
import { acceptingEdge } from '../test/fixtures.ts';
import { fmt, seconds, timed } from './bench-timing.ts';

const AFFILIATES = Number(process.env.BENCH_AFFILIATES ?? 10_000);
const CONVERSIONS = Number(process.env.BENCH_CONVERSIONS ?? 1_000_000);
const OFFERS = 20;
const CHUNK = 100_000;
const DAY_MS = 86_400_000;

async function main() {
  const server = process.env.BENCH_DATABASE_URL ? null : await startEphemeralPostgres();
  const url = process.env.BENCH_DATABASE_URL ?? server?.url() ?? '';
  const database = connectPostgres(url, { driver: 'pg' });
  const stripeFake = await startStripeFake({ platformBalance: { usd: 1e15 } });
  const paypalFake = await startPayPalFake();
  try {
    await database.migrate();
    const db = database.db;
    const now = Date.now();
    const advertiser = await createAdvertiser(db, { companyName: 'Bench' });
    const offers: number[] = [];
    for (let i = 0; i < OFFERS; i++) {
      const offer = await createOffer(
        { db, edge: acceptingEdge, now: () => new Date(now - 60 * DAY_MS) },
        {
          advertiserId: advertiser.id,
          name: `O${i}`,
          payoutType: 'cpa',
          payoutMinor: 150 + i,
          revenueMinor: 250 + i,
          status: 'active',
          destinationUrl: 'https://adv.example/',
        },
      );
      offers.push(offer.id);
    }
    console.log(
      `loading ${fmt(AFFILIATES)} affiliates and ${fmt(CONVERSIONS)} approved conversions with their ledger`,
    );
    await timed('affiliates', () =>
      db.execute(sql`INSERT INTO affiliates (company_name, status)
                     SELECT 'Affiliate ' || g, 'active' FROM generate_series(1, ${AFFILIATES}::int) g`),
    );
    const [range] = await queryRows<{ lo: number }>(db, sql`SELECT min(id) AS lo FROM affiliates`);
    const lo = range?.lo ?? 1;
    // The accounts the ingest would have opened: the advertiser's, the network's, each payable.
    await db.execute(sql`
      INSERT INTO ledger_accounts (kind, owner_id, currency)
      SELECT 'advertiser'::ledger_account_kind, ${String(advertiser.id)}::text, 'USD' UNION ALL
      SELECT 'network_revenue'::ledger_account_kind, 'network', 'USD' UNION ALL
      SELECT 'affiliate_payable'::ledger_account_kind, id::text, 'USD' FROM affiliates`);
    // Bulk load: the rows are the ingest's, the commit-time balance check per entry is skipped
    // here and the balance is checked once, set-based, below.
    await db.execute(sql`ALTER TABLE ledger_entries DISABLE TRIGGER ledger_entries_balance`);
    const load = performance.now();
    for (let from = 1; from <= CONVERSIONS; from += CHUNK) {
      const to = Math.min(CONVERSIONS, from + CHUNK - 1);
      await db.transaction(async (tx) => {
        // Approved 40 days ago (paid now), a seventh within the hold (3 days ago).
        await tx.execute(sql`
          INSERT INTO conversions (id, click_id, clicked_at, occurred_at, offer_id, affiliate_id, event, status,
                                   payout_minor, revenue_minor, payout_currency, source, received_at)
          SELECT md5('bench-conversion-' || g)::uuid, 'click-' || g, t, t, o.id, ${lo}::int + (g % ${AFFILIATES}::int),
                 'sale', 'approved', 150 + (g % ${OFFERS}::int), 250 + (g % ${OFFERS}::int), 'USD', 'bench', t
          FROM generate_series(${from}::int, ${to}::int) g
          CROSS JOIN LATERAL (SELECT now() - CASE WHEN g % 7 = 0 THEN interval '3 days' ELSE interval '40 days' END
                                           + (g % 1000) * interval '1 second' AS t) times
          JOIN LATERAL (SELECT (${sql.param(offers)}::int[])[1 + g % ${OFFERS}::int] AS id) o ON true`);
        await tx.execute(sql`
          INSERT INTO ledger_transfers (idempotency_key, kind, conversion_id, memo, created_at)
          SELECT 'conversion:' || v.id || ':1', 'post', v.id, 'conversion approved', v.received_at
          FROM conversions v
          WHERE v.id IN (SELECT md5('bench-conversion-' || g)::uuid FROM generate_series(${from}::int, ${to}::int) g)`);
        await tx.execute(sql`
          INSERT INTO ledger_entries (transfer_id, account_id, layer, amount_minor, currency)
          SELECT t.id, a.id, 'posted', leg.amount, 'USD'
          FROM ledger_transfers t
          JOIN conversions v ON v.id = t.conversion_id
          CROSS JOIN LATERAL (VALUES ('advertiser', ${String(advertiser.id)}, v.revenue_minor),
                                     ('affiliate_payable', v.affiliate_id::text, -v.payout_minor),
                                     ('network_revenue', 'network', -(v.revenue_minor - v.payout_minor)))
            AS leg(kind, owner_id, amount)
          JOIN ledger_accounts a ON a.kind = leg.kind::ledger_account_kind AND a.owner_id = leg.owner_id AND a.currency = 'USD'
          WHERE t.conversion_id IN (SELECT md5('bench-conversion-' || g)::uuid FROM generate_series(${from}::int, ${to}::int) g)`);
      });
      process.stdout.write(`  ${fmt(to)} conversions\r`);
    }
    await db.execute(sql`ALTER TABLE ledger_entries ENABLE TRIGGER ledger_entries_balance`);
    await db.execute(sql`ANALYZE`);
    console.log(`conversions and ledger loaded: ${seconds(performance.now() - load)}`);
    const [check] = await queryRows<{ unbalanced: number; entries: number }>(
      db,
      sql`SELECT (SELECT count(*) FROM (SELECT transfer_id FROM ledger_entries GROUP BY transfer_id HAVING sum(amount_minor) <> 0) u)::int AS unbalanced,
                 (SELECT count(*) FROM ledger_entries)::int AS entries`,
    );
    console.log(
      `ledger: ${fmt(check?.entries ?? 0)} entries, ${check?.unbalanced ?? -1} unbalanced transfers`,
    );

    // Methods: Stripe Connect (onboarded accounts at the fake), PayPal, bank transfer.
    const cipher = createPaymentDetailsCipher(Buffer.alloc(32, 3).toString('base64'));
    const stripe = createStripeProcessor({
      secretKey: stripeFake.secretKey,
      apiBase: stripeFake.url,
      maxNetworkRetries: 0,
    });
    const paypal = createPayPalProcessor({
      apiBase: paypalFake.url,
      clientId: paypalFake.clientId,
      clientSecret: paypalFake.clientSecret,
    });
    await timed('payout methods (Stripe accounts opened and onboarded at the fake)', async () => {
      const rows = [];
      for (let i = 0; i < AFFILIATES; i++) {
        const affiliateId = lo + i;
        if (i % 10 < 5) {
          const account = await createExpressAccount(stripe.client, { affiliateId });
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

    const deps = {
      db,
      processors: { stripe, paypal, webhookHandlers: createWebhookHandlers() },
      cipher,
      onStep: (step: string, ms: number) => console.log(`  step ${step}: ${seconds(ms)}`),
    };
    // A minimum of 10.00: every affiliate is paid, as at the end of a busy month.
    await saveNetworkPayoutSettings(db, { ...DEFAULT_NETWORK_PAYOUT_SETTINGS, defaultMinimumMinor: 1000 });
    const dry = await timed('dry run', () => dryRun(deps));
    const paying = dry.decisions.filter((d) => d.pay);
    const total = paying.reduce((s, d) => s + (d.pay ? d.amountMinor : 0), 0);
    console.log(
      `  ${fmt(paying.length)} payouts of ${fmt(total)} minor units, ${fmt(dry.decisions.length - paying.length)} skipped`,
    );
    const reasons = new Map<string, number>();
    for (const d of dry.decisions) if (!d.pay) reasons.set(d.reason, (reasons.get(d.reason) ?? 0) + 1);
    if (reasons.size > 0)
      console.log(`  skipped: ${[...reasons].map(([r, n]) => `${r} ${fmt(n)}`).join(', ')}`);
    const before = stripeFake.requests.length;
    const applied = await timed('applied run (post, Stripe transfers, PayPal batch, bank)', () =>
      startRun(deps, { startedBy: null }),
    );
    const [status] = await queryRows<{ paid: number; sent: number; other: number }>(
      db,
      sql`SELECT count(*) FILTER (WHERE status = 'paid')::int AS paid, count(*) FILTER (WHERE status = 'sent')::int AS sent,
                 count(*) FILTER (WHERE status NOT IN ('paid', 'sent'))::int AS other FROM payouts`,
    );
    console.log(
      `  run ${applied?.run.status}: ${fmt(status?.paid ?? 0)} paid (Stripe), ${fmt(status?.sent ?? 0)} sent (PayPal, bank), ` +
        `${status?.other ?? 0} other; ${fmt(stripeFake.transfers.size)} Stripe transfers in ${fmt(stripeFake.requests.length - before)} requests`,
    );
    const again = await timed('second applied run (nothing left to pay)', () =>
      startRun(deps, { startedBy: null }),
    );
    const [count] = await queryRows<{ n: number }>(
      db,
      sql`SELECT count(*)::int AS n FROM payouts WHERE run_id = ${again?.run.id ?? ''}::uuid`,
    );
    console.log(
      `  ${count?.n ?? 0} payouts in the second run; Stripe transfers still ${fmt(stripeFake.transfers.size)}`,
    );
  } finally {
    await database.close();
    await stripeFake.close();
    await paypalFake.close();
    await server?.stop();
  }
}

await main();
