import { and, asc, eq, gt, inArray, isNotNull, isNull, sql } from 'drizzle-orm';
import type { PaymentDetailsCipher } from '../crypto/payment-details-cipher.ts';
import { type Database, queryRows } from '../db/database.ts';
import {
  affiliatePayoutSettings,
  type Payout,
  type PayoutRun,
  payoutRuns,
  payouts,
} from '../db/schema/payouts.ts';
import { postTransfers } from '../ledger/post-transfer.ts';
import { createPayoutBatch } from '../processors/paypal/paypal-payouts.ts';
import type { ProcessorDeps } from '../processors/processor-deps.ts';
import type { ProcessorFailure } from '../processors/processor-result.ts';
import { transferToConnectedAccount } from '../processors/stripe/stripe-connect.ts';
import { type PayoutDecision, payoutDecisions } from './eligibility.ts';
import { payoutTransfer } from './payout-ledger.ts';
import {
  type NetworkPayoutSettings,
  type PayoutSchedule,
  readNetworkPayoutSettings,
} from './payout-settings.ts';
import { settlePayout } from './payout-settlement.ts';
import { uuidV7 } from './uuid-v7.ts';

export type PayoutRunDeps = {
  db: Database;
  processors: ProcessorDeps;
  cipher: PaymentDetailsCipher;
  now?: () => Date;
  /** Affiliates whose payables are locked and posted in one transaction. */
  postBatchSize?: number;
  /** Stripe transfers in flight at once. */
  stripeConcurrency?: number;
  /** Told how long each step of a run took (the benchmark prints it). */
  onStep?: (step: 'post' | 'bank' | 'stripe' | 'paypal', ms: number) => void;
};

export type RunRequest = {
  startedBy: string | null;
  /** Scheduled runs: the period's key (at most one run per key) and the schedule it pays. */
  periodKey?: string | null;
  schedule?: PayoutSchedule | null;
};

/** Who would be paid what by a run started now, and who is skipped and why. Moves nothing. */
export async function dryRun(
  deps: Pick<PayoutRunDeps, 'db' | 'now'>,
  request: Pick<RunRequest, 'schedule'> = {},
): Promise<{ cutoff: Date; decisions: PayoutDecision[] }> {
  const cutoff = deps.now?.() ?? new Date();
  const network = await readNetworkPayoutSettings(deps.db);
  const decisions = await payoutDecisions(deps.db, { cutoff, network, schedule: request.schedule ?? null });
  return { cutoff, decisions };
}

/**
 * Starts a run (decision 023): stores the run and one pending payout per affiliate and currency to
 * pay, in one transaction, then carries it out (continueRun). Null when a scheduled run of the
 * same period exists already.
 */
export async function startRun(
  deps: PayoutRunDeps,
  request: RunRequest,
): Promise<{ run: PayoutRun; decisions: PayoutDecision[] } | null> {
  const cutoff = deps.now?.() ?? new Date();
  const network = await readNetworkPayoutSettings(deps.db);
  const decisions = await payoutDecisions(deps.db, { cutoff, network, schedule: request.schedule ?? null });
  const runId = uuidV7(cutoff.getTime());
  const created = await deps.db.transaction(async (tx) => {
    const [run] = await tx
      .insert(payoutRuns)
      .values({
        id: runId,
        startedBy: request.startedBy,
        periodKey: request.periodKey ?? null,
        schedule: request.schedule ?? null,
        cutoff,
      })
      .onConflictDoNothing()
      .returning();
    if (!run) return null;
    const rows = decisions.flatMap((d) =>
      d.pay && d.method
        ? [
            {
              id: uuidV7(cutoff.getTime()),
              runId,
              affiliateId: d.affiliateId,
              currency: d.currency,
              amountMinor: d.amountMinor,
              method: d.method,
              coversUntil: d.coversUntil,
            },
          ]
        : [],
    );
    for (let i = 0; i < rows.length; i += 2000) await tx.insert(payouts).values(rows.slice(i, i + 2000));
    return run;
  });
  if (!created) return null;
  const run = await continueRun(deps, created.id, network);
  return { run, decisions };
}

/**
 * Carries a run to its end from wherever it stopped: posts the payouts not posted yet, then asks
 * each processor to pay the posted ones still pending. Every step is keyed by the payout's id
 * (ledger `payout:{id}`, Stripe's Idempotency-Key, PayPal's sender_item_id under the run's
 * sender_batch_id), so resuming a run that was interrupted anywhere pays nobody twice. A processor
 * that cannot be reached leaves the run `interrupted`, to be resumed.
 */
export async function continueRun(
  deps: PayoutRunDeps,
  runId: string,
  network?: NetworkPayoutSettings,
): Promise<PayoutRun> {
  const settings = network ?? (await readNetworkPayoutSettings(deps.db));
  const step = async <T>(name: 'post' | 'bank' | 'stripe' | 'paypal', work: () => Promise<T>) => {
    const start = performance.now();
    const result = await work();
    deps.onStep?.(name, performance.now() - start);
    return result;
  };
  await step('post', () => postPending(deps, runId, settings));
  const problems: string[] = [];
  await step('bank', () => sendBankTransfers(deps, runId));
  const stripe = await step('stripe', () => sendStripeTransfers(deps, runId));
  if (stripe) problems.push(stripe);
  const paypal = await step('paypal', () => sendPayPalBatch(deps, runId));
  if (paypal) problems.push(paypal);
  const now = deps.now?.() ?? new Date();
  const [run] = await deps.db
    .update(payoutRuns)
    .set(
      problems.length > 0
        ? { status: 'interrupted', lastError: problems.join(' ').slice(0, 2000) }
        : { status: 'completed', lastError: null, completedAt: now },
    )
    .where(eq(payoutRuns.id, runId))
    .returning();
  if (!run) throw new Error(`payout run ${runId} not found`);
  return run;
}

/**
 * Posts the run's unposted payouts, a batch of affiliates per transaction: their payable accounts
 * are locked FOR UPDATE in account id order (the ledger's fixed order, so two runs cannot
 * deadlock and cannot both take one balance), each amount is computed again from the ledger as
 * it is now, and `payable -> payouts_in_transit` is posted under `payout:{id}`. A payout no longer
 * due (a reversal since) is cancelled instead.
 */
async function postPending(deps: PayoutRunDeps, runId: string, network: NetworkPayoutSettings) {
  const size = deps.postBatchSize ?? 500;
  let after = 0;
  for (;;) {
    const affiliateIds = (
      await deps.db
        .selectDistinct({ affiliateId: payouts.affiliateId })
        .from(payouts)
        .where(
          and(
            eq(payouts.runId, runId),
            isNull(payouts.postedAt),
            eq(payouts.status, 'pending'),
            gt(payouts.affiliateId, after),
          ),
        )
        .orderBy(asc(payouts.affiliateId))
        .limit(size)
    ).map((r) => r.affiliateId);
    if (affiliateIds.length === 0) return;
    after = affiliateIds.at(-1) ?? after;
    await deps.db.transaction(async (tx) => {
      const run = await tx.select().from(payoutRuns).where(eq(payoutRuns.id, runId));
      const cutoff = run[0]?.cutoff ?? new Date();
      await queryRows(
        tx,
        sql`SELECT id FROM ledger_accounts
            WHERE kind = 'affiliate_payable' AND owner_id = ANY(${sql.param(affiliateIds.map(String))}::text[])
            ORDER BY id FOR UPDATE`,
      );
      const waiting = await tx
        .select()
        .from(payouts)
        .where(
          and(
            eq(payouts.runId, runId),
            inArray(payouts.affiliateId, affiliateIds),
            isNull(payouts.postedAt),
            eq(payouts.status, 'pending'),
          ),
        )
        .for('update');
      if (waiting.length === 0) return;
      const due = new Map(
        (await payoutDecisions(tx, { cutoff, network, affiliateIds })).map((d) => [
          `${d.affiliateId}|${d.currency}`,
          d,
        ]),
      );
      const now = deps.now?.() ?? new Date();
      const posting: Payout[] = [];
      const cancelled: string[] = [];
      for (const payout of waiting) {
        const decision = due.get(`${payout.affiliateId}|${payout.currency}`);
        if (decision?.pay) posting.push({ ...payout, amountMinor: decision.amountMinor });
        else cancelled.push(payout.id);
      }
      await postTransfers(
        tx,
        posting.map((p) => payoutTransfer(p, 'sent')),
      );
      if (posting.length > 0) {
        await tx.execute(sql`
          UPDATE payouts p SET amount_minor = v.amount, posted_at = ${now.toISOString()}::timestamptz,
                               updated_at = ${now.toISOString()}::timestamptz
          FROM unnest(${sql.param(posting.map((p) => p.id))}::uuid[], ${sql.param(posting.map((p) => p.amountMinor))}::bigint[])
            AS v(id, amount)
          WHERE p.id = v.id`);
      }
      if (cancelled.length > 0) {
        await tx
          .update(payouts)
          .set({ status: 'cancelled', failureReason: 'no longer due when posted', updatedAt: now })
          .where(inArray(payouts.id, cancelled));
      }
    });
  }
}

/** The run's posted payouts still waiting for a processor, of one method. */
function postedAndPending(db: Database, runId: string, method: Payout['method']) {
  return db
    .select()
    .from(payouts)
    .where(
      and(
        eq(payouts.runId, runId),
        eq(payouts.method, method),
        eq(payouts.status, 'pending'),
        isNotNull(payouts.postedAt),
      ),
    )
    .orderBy(asc(payouts.id));
}

/** Bank transfers leave by the admins' export: sent until an admin marks them paid. */
async function sendBankTransfers(deps: PayoutRunDeps, runId: string) {
  const now = deps.now?.() ?? new Date();
  await deps.db
    .update(payouts)
    .set({ status: 'sent', sentAt: now, updatedAt: now })
    .where(
      and(
        eq(payouts.runId, runId),
        eq(payouts.method, 'bank_transfer'),
        eq(payouts.status, 'pending'),
        isNotNull(payouts.postedAt),
      ),
    );
}

const describeFailure = (f: ProcessorFailure) => `${f.kind}${f.code ? ` (${f.code})` : ''}: ${f.message}`;

/**
 * One Connect transfer per payout, keyed by the payout's id: a transfer Stripe made before a
 * lost answer or a crash is answered again, not made again. A transfer made is the affiliate's
 * money (paid); a refusal sends the amount back to the payable (failed); Stripe unreachable stops
 * the run's Stripe part, to be resumed. Returns the problem that stopped it, if any.
 */
async function sendStripeTransfers(deps: PayoutRunDeps, runId: string): Promise<string | null> {
  const waiting = await postedAndPending(deps.db, runId, 'stripe_connect');
  if (waiting.length === 0) return null;
  const stripe = deps.processors.stripe;
  if (!stripe) return 'Stripe is not configured (STRIPE_SECRET_KEY): Stripe payouts wait.';
  const accounts = await accountsOf(deps.db, waiting);
  let stopped: string | null = null;
  const queue = [...waiting];
  const worker = async () => {
    for (let payout = queue.shift(); payout && stopped === null; payout = queue.shift()) {
      const accountId = accounts.get(payout.affiliateId)?.stripeAccountId;
      const result = accountId
        ? await transferToConnectedAccount(stripe.client, {
            accountId,
            amountMinor: payout.amountMinor,
            currency: payout.currency,
            idempotencyKey: payout.id,
            transferGroup: `payout_run_${runId}`,
            metadata: { payout_id: payout.id, affiliate_id: String(payout.affiliateId) },
          })
        : null;
      const id = payout.id;
      if (result === null) {
        await deps.db.transaction((tx) =>
          settlePayout(tx, id, { kind: 'failed', reason: 'no Stripe connected account' }, deps.now?.()),
        );
      } else if (result.ok) {
        const reference = result.value.id;
        await deps.db.transaction((tx) => settlePayout(tx, id, { kind: 'paid', reference }, deps.now?.()));
      } else if (result.failure.retryable) {
        stopped = `Stripe: ${describeFailure(result.failure)}`;
      } else {
        const reason = describeFailure(result.failure);
        await deps.db.transaction((tx) => settlePayout(tx, id, { kind: 'failed', reason }, deps.now?.()));
      }
    }
  };
  await Promise.all(Array.from({ length: deps.stripeConcurrency ?? 8 }, worker));
  return stopped;
}

/**
 * One PayPal Payouts batch per run: sender_batch_id is the run's id, each item's sender_item_id
 * its payout's. Every PayPal payout of the run is posted before the batch is sent, so a resumed
 * run sends the same batch, which PayPal answers with the one it has (`replayed`). Items are sent
 * until PayPal's webhooks say each is paid, failed or returned.
 */
async function sendPayPalBatch(deps: PayoutRunDeps, runId: string): Promise<string | null> {
  const waiting = await postedAndPending(deps.db, runId, 'paypal');
  if (waiting.length === 0) return null;
  const paypal = deps.processors.paypal;
  if (!paypal) return 'PayPal is not configured (PAYPAL_CLIENT_ID): PayPal payouts wait.';
  const accounts = await accountsOf(deps.db, waiting);
  const items = [];
  const unreadable: string[] = [];
  for (const payout of waiting) {
    const stored = accounts.get(payout.affiliateId)?.paypalReceiverEncrypted;
    if (!stored) {
      unreadable.push(payout.id);
      continue;
    }
    items.push({
      senderItemId: payout.id,
      receiver: { type: 'EMAIL' as const, value: deps.cipher.decrypt(payout.affiliateId, stored) },
      amountMinor: payout.amountMinor,
      currency: payout.currency,
    });
  }
  for (const id of unreadable) {
    await deps.db.transaction((tx) =>
      settlePayout(tx, id, { kind: 'failed', reason: 'no PayPal receiver' }, deps.now?.()),
    );
  }
  if (items.length === 0) return null;
  const result = await createPayoutBatch(paypal, {
    senderBatchId: runId,
    emailSubject: 'You have a payout',
    items,
  });
  const now = deps.now?.() ?? new Date();
  const ids = items.map((i) => i.senderItemId);
  if (result.ok) {
    await deps.db.transaction(async (tx) => {
      await tx
        .update(payoutRuns)
        .set({ paypalBatchId: result.value.batchId })
        .where(eq(payoutRuns.id, runId));
      await tx
        .update(payouts)
        .set({ status: 'sent', sentAt: now, updatedAt: now, processorReference: result.value.batchId })
        .where(and(inArray(payouts.id, ids), eq(payouts.status, 'pending')));
    });
    return null;
  }
  if (result.failure.retryable) return `PayPal: ${describeFailure(result.failure)}`;
  const reason = describeFailure(result.failure);
  for (const id of ids) {
    await deps.db.transaction((tx) => settlePayout(tx, id, { kind: 'failed', reason }, deps.now?.()));
  }
  return null;
}

async function accountsOf(db: Database, list: readonly Payout[]) {
  const rows = await db
    .select()
    .from(affiliatePayoutSettings)
    .where(inArray(affiliatePayoutSettings.affiliateId, [...new Set(list.map((p) => p.affiliateId))]));
  return new Map(rows.map((r) => [r.affiliateId, r]));
}
