import { and, asc, eq, gt, lt, sql } from 'drizzle-orm';
import { type Database, queryRows } from '../db/database.ts';
import { advertisers } from '../db/schema/advertisers.ts';
import { invoices } from '../db/schema/invoices.ts';
import { type Statement, statementSchema } from '../statements/statement.ts';
import { owedAt } from './invoice-charges.ts';
import type { BillingPeriod } from './invoice-periods.ts';

const day = (d: Date) => d.toISOString().slice(0, 10);

type Movement = {
  day: string;
  what: string;
  offer_id: number | null;
  offer_name: string | null;
  transfer_id: number | string | null;
  memo: string | null;
  /** Debit-positive, as stored: positive = the advertiser came to owe more. */
  amount: number | string;
  conversions: number | string;
};

const KIND_LABEL: Record<string, string> = {
  top_up: 'Top-up by Stripe Checkout',
  invoice: 'Invoice paid',
  correction: 'Correction',
  adjust: 'Adjustment',
};

function lineOf(m: Movement) {
  // Statements read credit-positive: a charge lowers the balance, a payment raises it.
  const amountMinor = -Number(m.amount) || 0;
  if (m.what === 'conversion') {
    const offer = m.offer_id === null ? 'Removed offer' : `${m.offer_name ?? 'Offer'} (offer ${m.offer_id})`;
    return {
      date: m.day,
      description: `${offer}: ${Number(m.amount) > 0 ? 'conversions charged' : 'reversals'}`,
      quantity: Number(m.conversions),
      amountMinor,
    };
  }
  const label = KIND_LABEL[m.what] ?? m.what;
  return { date: m.day, description: m.memo ? `${label}: ${m.memo}` : label, quantity: null, amountMinor };
}

/**
 * An advertiser's statement of one period in one currency (decision 025), from the ledger's posted
 * layer: the opening balance, every movement in the period (conversions charged and reversed per
 * offer and day, top-ups, invoice payments, anything else one by one), the closing balance, and
 * the invoices whose period overlaps it with their status. Balances read credit-positive: what the
 * advertiser has paid in less what it owes (negative: owed). UTC throughout.
 */
export async function advertiserStatement(
  db: Database,
  request: {
    advertiserId: number;
    currency: string;
    period: BillingPeriod;
    issuedAt?: Date;
    networkName?: string;
  },
): Promise<Statement> {
  const { advertiserId, currency, period } = request;
  const [advertiser] = await db.select().from(advertisers).where(eq(advertisers.id, advertiserId));
  const opening = -(await owedAt(db, advertiserId, currency, period.start)) || 0;
  const movements = await queryRows<Movement>(
    db,
    sql`
    SELECT to_char(t.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS day,
           CASE WHEN t.conversion_id IS NOT NULL THEN 'conversion' ELSE t.kind::text END AS what,
           v.offer_id, o.name AS offer_name,
           CASE WHEN t.conversion_id IS NULL THEN t.id END AS transfer_id,
           max(t.memo) AS memo,
           sum(e.amount_minor) AS amount,
           count(DISTINCT t.conversion_id) AS conversions
    FROM ledger_accounts a
    JOIN ledger_entries e ON e.account_id = a.id AND e.layer = 'posted'
    JOIN ledger_transfers t ON t.id = e.transfer_id
    LEFT JOIN conversions v ON v.id = t.conversion_id
    LEFT JOIN offers o ON o.id = v.offer_id
    WHERE a.kind = 'advertiser' AND a.owner_id = ${String(advertiserId)} AND a.currency = ${currency}
      AND t.created_at >= ${period.start.toISOString()}::timestamptz
      AND t.created_at < ${period.end.toISOString()}::timestamptz
    GROUP BY 1, 2, 3, 4, 5, sign(e.amount_minor)
    ORDER BY 1, 2, 3 NULLS LAST, 5, sign(e.amount_minor) DESC`,
  );
  const lines = movements.map(lineOf).filter((l) => l.amountMinor !== 0);
  const total = (pick: (m: Movement) => boolean) =>
    -movements.filter(pick).reduce((sum, m) => sum + Number(m.amount), 0) || 0;
  const charged = total((m) => m.what === 'conversion' && Number(m.amount) > 0);
  const reversed = total((m) => m.what === 'conversion' && Number(m.amount) < 0);
  const toppedUp = total((m) => m.what === 'top_up');
  const invoicesPaid = total((m) => m.what === 'invoice');
  const other = total((m) => !['conversion', 'top_up', 'invoice'].includes(m.what));
  const closing = opening + charged + reversed + toppedUp + invoicesPaid + other;
  const periodInvoices = await db
    .select()
    .from(invoices)
    .where(
      and(
        eq(invoices.advertiserId, advertiserId),
        eq(invoices.currency, currency),
        lt(invoices.periodStart, period.end),
        gt(invoices.periodEnd, period.start),
      ),
    )
    .orderBy(asc(invoices.periodEnd), asc(invoices.id));
  const summary = [
    { label: 'Opening balance', amountMinor: opening },
    { label: 'Conversions charged', amountMinor: charged },
    { label: 'Reversals', amountMinor: reversed },
    { label: 'Top-ups', amountMinor: toppedUp },
    { label: 'Invoices paid', amountMinor: invoicesPaid },
    ...(other !== 0 ? [{ label: 'Other corrections', amountMinor: other }] : []),
  ];
  return statementSchema.parse({
    kind: 'advertiser_period',
    number: `ST-${period.name}-ADV-${advertiserId}-${currency}`,
    issuedAt: (request.issuedAt ?? new Date()).toISOString(),
    periodFrom: day(period.start),
    // The last day in the period (its end is the next period's first instant).
    periodTo: day(new Date(period.end.getTime() - 1)),
    currency,
    network: { name: request.networkName ?? 'TAS', address: null },
    party: {
      kind: 'advertiser',
      id: advertiserId,
      name: advertiser?.companyName || `Advertiser ${advertiserId}`,
      email: advertiser?.contactEmail ?? null,
    },
    lines,
    summary,
    total: { label: 'Closing balance', amountMinor: closing },
    invoices: periodInvoices.map((i) => ({
      number: i.stripeInvoiceNumber ?? `Draft ${i.id.slice(0, 8)}`,
      period: i.period,
      status: i.status,
      dueDate: i.dueAt ? day(i.dueAt) : null,
      amountMinor: i.amountMinor,
    })),
    notes:
      'Balances are what you have paid in less what you owe: a negative balance is owed. Only approved ' +
      'conversions are charged; pending ones are not on the statement. Dates are UTC.',
  });
}
