import { sql } from 'drizzle-orm';
import { type Database, queryRows } from '../db/database.ts';
import type { InvoiceLineRecord } from '../db/schema/invoices.ts';

/** What one offer's conversions moved on the advertiser's account in a window (posted layer). */
export type OfferCharge = {
  offerId: number | null;
  offerName: string | null;
  /** Debits: conversions approved (or raised) in the window. */
  chargedMinor: number;
  /** Credits: reversals (and lowered or un-approved conversions) in the window, negative. */
  reversedMinor: number;
  conversions: number;
  reversals: number;
};

type Window = { advertiserId: number; currency: string; start: Date; end: Date };

/**
 * Per offer, the advertiser's posted ledger movements from conversions in [start, end): every
 * conversion transfer (post, reverse, adjust, correction, an approval taken back) on its
 * `advertiser` account. Debit-positive, as stored: what the advertiser came to owe.
 */
export async function offerCharges(db: Database, window: Window): Promise<OfferCharge[]> {
  const rows = await queryRows<{
    offer_id: number | null;
    offer_name: string | null;
    charged: number | string;
    reversed: number | string;
    conversions: number | string;
    reversals: number | string;
  }>(
    db,
    sql`
    SELECT v.offer_id, o.name AS offer_name,
           sum(e.amount_minor) FILTER (WHERE e.amount_minor > 0) AS charged,
           sum(e.amount_minor) FILTER (WHERE e.amount_minor < 0) AS reversed,
           count(DISTINCT t.conversion_id) FILTER (WHERE e.amount_minor > 0) AS conversions,
           count(DISTINCT t.conversion_id) FILTER (WHERE e.amount_minor < 0) AS reversals
    FROM ledger_accounts a
    JOIN ledger_entries e ON e.account_id = a.id AND e.layer = 'posted'
    JOIN ledger_transfers t ON t.id = e.transfer_id AND t.conversion_id IS NOT NULL
    LEFT JOIN conversions v ON v.id = t.conversion_id
    LEFT JOIN offers o ON o.id = v.offer_id
    WHERE a.kind = 'advertiser' AND a.owner_id = ${String(window.advertiserId)} AND a.currency = ${window.currency}
      AND t.created_at >= ${window.start.toISOString()}::timestamptz
      AND t.created_at < ${window.end.toISOString()}::timestamptz
    GROUP BY v.offer_id, o.name
    ORDER BY v.offer_id NULLS LAST`,
  );
  return rows.map((r) => ({
    offerId: r.offer_id === null ? null : Number(r.offer_id),
    offerName: r.offer_name,
    chargedMinor: Number(r.charged ?? 0),
    reversedMinor: Number(r.reversed ?? 0),
    conversions: Number(r.conversions),
    reversals: Number(r.reversals),
  }));
}

/**
 * What the advertiser owed in the currency at `end`, debit-positive (negative: it had credit): its
 * posted balance from every transfer made before then (conversions, top-ups, invoice payments).
 */
export async function owedAt(
  db: Database,
  advertiserId: number,
  currency: string,
  end: Date,
): Promise<number> {
  const [row] = await queryRows<{ owed: number | string | null }>(
    db,
    sql`
    SELECT sum(e.amount_minor) AS owed
    FROM ledger_accounts a
    JOIN ledger_entries e ON e.account_id = a.id AND e.layer = 'posted'
    JOIN ledger_transfers t ON t.id = e.transfer_id
    WHERE a.kind = 'advertiser' AND a.owner_id = ${String(advertiserId)} AND a.currency = ${currency}
      AND t.created_at < ${end.toISOString()}::timestamptz`,
  );
  return Number(row?.owed ?? 0);
}

/** Stripe takes at most 250 items on an invoice; one is kept for the balance's credit. */
export const MAX_OFFER_LINES = 249;

export type InvoiceFigures = {
  /** The window's conversions, net of reversals. */
  chargesMinor: number;
  /** What is invoiced: the charges, less what the balance already covers; 0 when nothing is due. */
  amountMinor: number;
  lines: InvoiceLineRecord[];
};

const offerLabel = (c: OfferCharge) =>
  c.offerId === null ? 'Conversions of a removed offer' : `${c.offerName ?? 'Offer'} (offer ${c.offerId})`;

function describe(c: OfferCharge): string {
  const counts = [`${c.conversions} conversion${c.conversions === 1 ? '' : 's'} charged`];
  if (c.reversals > 0) counts.push(`${c.reversals} reversed or lowered`);
  return `${offerLabel(c)}: ${counts.join(', ')}`;
}

/**
 * An invoice's lines and amount from its window's charges and what the advertiser's balance
 * leaves owing (`uncoveredMinor`: owed at the window's end less what earlier invoices still
 * unpaid already ask for). One line per offer, net of its reversals; past Stripe's item limit the
 * smallest offers share a line. The invoice never asks more than the window's charges (earlier
 * periods were invoiced, or predate invoicing) nor more than is owed: a prepaid balance or an
 * earlier credit is applied as a line of its own.
 */
export function invoiceFigures(charges: readonly OfferCharge[], uncoveredMinor: number): InvoiceFigures {
  const perOffer = charges
    .map((c) => ({ charge: c, netMinor: c.chargedMinor + c.reversedMinor }))
    .filter((c) => c.netMinor !== 0);
  const chargesMinor = perOffer.reduce((sum, c) => sum + c.netMinor, 0);
  const amountMinor = Math.max(0, Math.min(chargesMinor, uncoveredMinor));
  if (amountMinor === 0) return { chargesMinor, amountMinor: 0, lines: [] };
  let lines: InvoiceLineRecord[] = perOffer.map((c) => ({
    description: describe(c.charge),
    amountMinor: c.netMinor,
    offerId: c.charge.offerId,
  }));
  if (lines.length > MAX_OFFER_LINES) {
    const bySize = [...lines].sort((a, b) => Math.abs(b.amountMinor) - Math.abs(a.amountMinor));
    const kept = bySize.slice(0, MAX_OFFER_LINES - 1);
    const rest = bySize.slice(MAX_OFFER_LINES - 1);
    const keptIds = new Set(kept);
    lines = [
      ...lines.filter((l) => keptIds.has(l)),
      {
        description: `${rest.length} other offers`,
        amountMinor: rest.reduce((sum, l) => sum + l.amountMinor, 0),
        offerId: null,
      },
    ].filter((l) => l.amountMinor !== 0);
  }
  if (amountMinor < chargesMinor) {
    lines.push({
      description: 'Covered by your balance (prepaid funds, earlier credits)',
      amountMinor: amountMinor - chargesMinor,
      offerId: null,
    });
  }
  return { chargesMinor, amountMinor, lines };
}
