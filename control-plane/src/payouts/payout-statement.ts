import { and, desc, eq, gt, inArray, isNotNull, lt, sql } from 'drizzle-orm';
import { type Database, queryRows } from '../db/database.ts';
import { affiliates } from '../db/schema/affiliates.ts';
import { type Payout, payouts } from '../db/schema/payouts.ts';
import { type Statement, statementSchema } from '../statements/statement.ts';

const METHOD_LABEL = { stripe_connect: 'Stripe', paypal: 'PayPal', bank_transfer: 'bank transfer' } as const;
const day = (d: Date) => d.toISOString().slice(0, 10);

/**
 * The statement of a payout (decision 023): the conversions and reversals it covers, per offer
 * and day, from the ledger's credits and debits on the affiliate's payable made after the previous
 * payout's cover and up to this one's (its cutoff less the hold); a summary; and the amount paid.
 * What else moved the payable (an earlier clawback, a failed payout returned) is the difference.
 */
export async function payoutStatement(
  db: Database,
  payout: Payout,
  options: { networkName?: string; issuedAt?: Date } = {},
): Promise<Statement> {
  const currency = payout.currency.trim();
  const [previous] = await db
    .select({ coversUntil: payouts.coversUntil })
    .from(payouts)
    .where(
      and(
        eq(payouts.affiliateId, payout.affiliateId),
        eq(payouts.currency, payout.currency),
        lt(payouts.id, payout.id),
        isNotNull(payouts.postedAt),
        inArray(payouts.status, ['pending', 'sent', 'paid']),
        gt(payouts.coversUntil, new Date(0)),
      ),
    )
    .orderBy(desc(payouts.id))
    .limit(1);
  const from = previous?.coversUntil ?? new Date(0);
  const rows = await queryRows<{
    offer_id: number | null;
    offer_name: string | null;
    day: string;
    earned: number | string;
    reversed: number | string;
    conversions: number | string;
    reversals: number | string;
  }>(
    db,
    sql`
    SELECT v.offer_id, o.name AS offer_name, to_char(t.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS day,
           sum(CASE WHEN e.amount_minor < 0 THEN -e.amount_minor ELSE 0 END) AS earned,
           sum(CASE WHEN e.amount_minor > 0 THEN -e.amount_minor ELSE 0 END) AS reversed,
           count(DISTINCT t.conversion_id) FILTER (WHERE e.amount_minor < 0) AS conversions,
           count(DISTINCT t.conversion_id) FILTER (WHERE e.amount_minor > 0) AS reversals
    FROM ledger_accounts a
    JOIN ledger_entries e ON e.account_id = a.id AND e.layer = 'posted'
    JOIN ledger_transfers t ON t.id = e.transfer_id AND t.conversion_id IS NOT NULL
    LEFT JOIN conversions v ON v.id = t.conversion_id
    LEFT JOIN offers o ON o.id = v.offer_id
    WHERE a.kind = 'affiliate_payable' AND a.owner_id = ${String(payout.affiliateId)} AND a.currency = ${currency}
      AND t.created_at > ${from.toISOString()}::timestamptz AND t.created_at <= ${payout.coversUntil.toISOString()}::timestamptz
    GROUP BY v.offer_id, o.name, 3
    ORDER BY 3, v.offer_id`,
  );
  const lines = rows.flatMap((r) => {
    const offer = r.offer_name ? `${r.offer_name} (offer ${r.offer_id})` : `Offer ${r.offer_id ?? 'unknown'}`;
    const out = [];
    if (Number(r.earned) !== 0)
      out.push({
        date: r.day,
        description: `${offer}: approved conversions`,
        quantity: Number(r.conversions),
        amountMinor: Number(r.earned),
      });
    if (Number(r.reversed) !== 0)
      out.push({
        date: r.day,
        description: `${offer}: reversals`,
        quantity: Number(r.reversals),
        amountMinor: Number(r.reversed),
      });
    return out;
  });
  const earned = rows.reduce((s, r) => s + Number(r.earned), 0);
  const reversed = rows.reduce((s, r) => s + Number(r.reversed), 0);
  const [affiliate] = await db.select().from(affiliates).where(eq(affiliates.id, payout.affiliateId));
  const paid = payout.status === 'paid' || payout.status === 'sent' || payout.status === 'pending';
  const summary = [
    { label: 'Approved conversions', amountMinor: earned },
    { label: 'Reversals', amountMinor: reversed },
    {
      label: 'Carried from before (clawbacks, returned payouts)',
      amountMinor: payout.amountMinor - earned - reversed,
    },
  ];
  return statementSchema.parse({
    kind: 'affiliate_payout',
    number: `PO-${payout.id.slice(0, 8).toUpperCase()}-${payout.affiliateId}`,
    issuedAt: (options.issuedAt ?? new Date()).toISOString(),
    periodFrom: day(
      from.getTime() === 0 ? (rows[0] ? new Date(`${rows[0].day}T00:00:00Z`) : payout.coversUntil) : from,
    ),
    periodTo: day(payout.coversUntil),
    currency,
    network: { name: options.networkName ?? 'TAS', address: null },
    party: {
      kind: 'affiliate',
      id: payout.affiliateId,
      name: affiliate?.companyName || `Affiliate ${payout.affiliateId}`,
      email: affiliate?.contactEmail ?? null,
    },
    lines,
    summary,
    total: {
      label: paid
        ? `${payout.status === 'paid' ? 'Paid' : 'Paying'} by ${METHOD_LABEL[payout.method]}`
        : `Not paid (${payout.status})`,
      amountMinor: payout.amountMinor,
    },
    notes: `Payout ${payout.id}. Conversions approved after ${day(payout.coversUntil)} are paid with a later payout.`,
  });
}
