import { sql } from 'drizzle-orm';
import { type Database, queryRows } from '../db/database.ts';
import type { ReconciliationDifference } from '../ledger/reconciliation-check.ts';
import { ok, type ProcessorResult } from '../processors/processor-result.ts';
import {
  type CheckoutSessionRecord,
  listCheckoutSessions,
  readCheckoutSession,
} from '../processors/stripe/stripe-checkout.ts';
import type { StripeProcessor } from '../processors/stripe/stripe-client.ts';
import { processorDifference } from './processor-difference.ts';
import { readEach } from './read-each.ts';

/** What TAS holds of one Checkout Session: the top-up that opened it, the ledger's credit for it. */
export type TopUpFacts = {
  sessionId: string;
  topUpId: string | null;
  topUpStatus: string | null;
  /** The `top_up:{session}` transfer and what it put on Stripe's cash account. */
  transferId: number | null;
  creditedMinor: number | null;
  creditedCurrency: string | null;
};

const paid = (s: CheckoutSessionRecord) =>
  s.paymentStatus === 'paid' || s.paymentStatus === 'no_payment_required';

/**
 * How the ledger's credit for one Checkout Session differs from the session at Stripe (null: Stripe
 * does not have it). A top-up is credited once Stripe says paid (billing/top-up-handlers.ts), for
 * the session's amount_total in its currency, on Stripe's cash account.
 */
export function topUpDifferences(
  facts: TopUpFacts,
  session: CheckoutSessionRecord | null,
): ReconciliationDifference[] {
  const ids = { processorRecordId: facts.sessionId, topUpId: facts.topUpId, transferId: facts.transferId };
  const said = (code: Parameters<typeof processorDifference>[1], message: string, extra = {}) => [
    processorDifference('stripe', code, message, { ...ids, ...extra }),
  ];
  const credited = facts.transferId !== null;
  if (session === null) {
    return said(
      'processor_record_missing',
      `Checkout Session ${facts.sessionId}${facts.topUpId ? ` (top-up ${facts.topUpId})` : ''} is ${credited ? 'credited in the ledger' : 'named by TAS'} but Stripe does not have it.`,
      { actualMinor: facts.creditedMinor },
    );
  }
  if (!credited) {
    if (!paid(session)) return [];
    if (facts.topUpId === null) {
      return said(
        'processor_unknown_record',
        `Stripe has a paid top-up session ${session.id} (${session.amountMinor} ${session.currency}) that TAS did not open.`,
        { expectedMinor: session.amountMinor },
      );
    }
    return said(
      'processor_status_mismatch',
      `Top-up ${facts.topUpId}: Stripe says session ${session.id} is paid (${session.amountMinor} ${session.currency}) but the ledger never credited it and the top-up is ${facts.topUpStatus} (was its webhook event received and processed? see processor_events).`,
      { expectedMinor: session.amountMinor, actualMinor: 0 },
    );
  }
  if (!paid(session)) {
    return said(
      'processor_status_mismatch',
      `Top-up ${facts.topUpId ?? '?'}: the ledger credited ${facts.creditedMinor} ${facts.creditedCurrency} for session ${session.id}, which Stripe says is ${session.paymentStatus}.`,
      { expectedMinor: 0, actualMinor: facts.creditedMinor },
    );
  }
  if (facts.creditedMinor !== session.amountMinor || facts.creditedCurrency !== session.currency) {
    return said(
      'processor_amount_mismatch',
      `Top-up ${facts.topUpId ?? '?'}: the ledger credited ${facts.creditedMinor} ${facts.creditedCurrency} for session ${session.id}, Stripe took ${session.amountMinor} ${session.currency}.`,
      { expectedMinor: session.amountMinor, actualMinor: facts.creditedMinor },
    );
  }
  return [];
}

/** Sessions TAS opened or credited since `since` (top-up rows, credits on Stripe's cash). */
async function sessionsSince(db: Database, since: Date): Promise<string[]> {
  const rows = await queryRows<{ session_id: string }>(
    db,
    sql`SELECT tu.checkout_session_id AS session_id FROM top_ups tu
        WHERE tu.checkout_session_id IS NOT NULL AND tu.created_at >= ${since.toISOString()}::timestamptz
        UNION
        SELECT substr(t.idempotency_key, 8) FROM ledger_accounts a
        JOIN ledger_entries e ON e.account_id = a.id
        JOIN ledger_transfers t ON t.id = e.transfer_id
        WHERE a.kind = 'processor_cash' AND a.owner_id = 'stripe' AND t.kind = 'top_up'
          AND t.idempotency_key LIKE 'top_up:%' AND t.created_at >= ${since.toISOString()}::timestamptz`,
  );
  return rows.map((r) => r.session_id);
}

/** What TAS holds of each session, whenever it was made (a session listed may predate the window). */
export async function topUpFacts(db: Database, sessionIds: readonly string[]): Promise<TopUpFacts[]> {
  const facts: TopUpFacts[] = [];
  for (let i = 0; i < sessionIds.length; i += 5000) {
    const rows = await queryRows<{
      session_id: string;
      top_up_id: string | null;
      top_up_status: string | null;
      transfer_id: number | string | null;
      credited_minor: number | string | null;
      credited_currency: string | null;
    }>(
      db,
      sql`SELECT s.session_id, tu.id AS top_up_id, tu.status::text AS top_up_status, t.id AS transfer_id,
                 c.amount AS credited_minor, c.currency AS credited_currency
          FROM unnest(${sql.param(sessionIds.slice(i, i + 5000))}::text[]) AS s(session_id)
          LEFT JOIN top_ups tu ON tu.checkout_session_id = s.session_id
          LEFT JOIN ledger_transfers t ON t.idempotency_key = 'top_up:' || s.session_id
          LEFT JOIN LATERAL (
            SELECT sum(e.amount_minor) AS amount, min(e.currency) AS currency
            FROM ledger_entries e JOIN ledger_accounts a ON a.id = e.account_id
            WHERE e.transfer_id = t.id AND a.kind = 'processor_cash' AND a.owner_id = 'stripe'
          ) c ON true`,
    );
    for (const r of rows) {
      facts.push({
        sessionId: r.session_id,
        topUpId: r.top_up_id,
        topUpStatus: r.top_up_status,
        transferId: r.transfer_id === null ? null : Number(r.transfer_id),
        creditedMinor: r.credited_minor === null ? null : Number(r.credited_minor),
        creditedCurrency: r.credited_currency?.trim() ?? null,
      });
    }
  }
  return facts;
}

/**
 * Top-ups against Stripe's Checkout Sessions, both ways: each session TAS opened or credited
 * since `since` as Stripe has it (listed, or read alone when the list does not hold it), and each
 * paid session Stripe lists with TAS's top-up metadata that TAS never opened.
 */
export async function reconcileStripeTopUps(
  db: Database,
  stripe: StripeProcessor,
  options: { since: Date; concurrency: number },
): Promise<ProcessorResult<ReconciliationDifference[]>> {
  const listed = await listCheckoutSessions(stripe.client, options.since);
  if (!listed.ok) return listed;
  const sessions = new Map(listed.value.filter((s) => s.purpose === 'top_up').map((s) => [s.id, s]));
  const ours = await sessionsSince(db, options.since);
  const facts = await topUpFacts(db, [...new Set([...ours, ...sessions.keys()])]);
  const unlisted = facts.map((f) => f.sessionId).filter((id) => !sessions.has(id));
  const read = await readEach(unlisted, options.concurrency, (id) => readCheckoutSession(stripe.client, id));
  if (!read.ok) return read;
  return ok(
    facts.flatMap((f) =>
      topUpDifferences(f, sessions.get(f.sessionId) ?? read.value.get(f.sessionId) ?? null),
    ),
  );
}
