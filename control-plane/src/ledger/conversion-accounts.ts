import { sql } from 'drizzle-orm';
import type { Database } from '../db/database.ts';

/**
 * Creates, before the ingest statement runs, the accounts its conversions will post to: the
 * offer's advertiser, the affiliate's payable and the network's revenue, in the offer's currency
 * (the conversion's `payout_currency`, derived the same way). In a statement of its own and outside
 * the ingest's, so the ingest stays one statement that finds them (decision 021); an account
 * created for a conversion that is then not stored is harmless. Writes nothing when they exist.
 */
export async function ensureConversionAccounts(
  db: Database,
  conversions: readonly { offerId: number; affiliateId: number; currency: string | null }[],
): Promise<void> {
  if (conversions.length === 0) return;
  const col = <T>(pick: (c: (typeof conversions)[number]) => T) => sql.param(conversions.map(pick));
  await db.execute(sql`
    INSERT INTO ledger_accounts (kind, owner_id, currency)
    SELECT DISTINCT k.kind::ledger_account_kind, k.owner_id, k.currency::char(3)
    FROM unnest(${col((c) => c.offerId)}::int[], ${col((c) => c.affiliateId)}::int[], ${col((c) => c.currency)}::text[])
      AS e(offer_id, affiliate_id, currency)
    LEFT JOIN offers o ON o.id = e.offer_id
    CROSS JOIN LATERAL (VALUES ('advertiser', o.advertiser_id::text), ('affiliate_payable', e.affiliate_id::text),
                               ('network_revenue', 'network')) AS n(kind, owner_id)
    CROSS JOIN LATERAL (SELECT n.kind, n.owner_id, coalesce(o.currency, e.currency, 'USD') AS currency) AS k
    WHERE k.owner_id IS NOT NULL AND k.currency ~ '^[A-Z]{3}$'
      AND NOT EXISTS (SELECT 1 FROM ledger_accounts a
                      WHERE a.kind = k.kind::ledger_account_kind AND a.owner_id = k.owner_id AND a.currency = k.currency::char(3))
    ORDER BY 1, 2, 3
    ON CONFLICT DO NOTHING`);
}
