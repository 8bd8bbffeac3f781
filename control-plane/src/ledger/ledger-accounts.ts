import { currencySchema } from '@tas/shared/money';
import { sql } from 'drizzle-orm';
import { z } from 'zod';
import { type Database, queryRows } from '../db/database.ts';
import { ledgerAccountKind } from '../db/schema/ledger.ts';

export const accountKindSchema = z.enum(ledgerAccountKind.enumValues);
export type AccountKind = z.infer<typeof accountKindSchema>;

/** What names an account: one per kind, owner and currency (decision 021). */
export const accountKeySchema = z.object({
  kind: accountKindSchema,
  ownerId: z.string().min(1).max(64),
  currency: currencySchema,
});
export type AccountKey = z.infer<typeof accountKeySchema>;

/** The one owner of the network's own accounts. */
export const NETWORK_OWNER = 'network';

export const advertiserAccount = (advertiserId: number, currency: string): AccountKey => ({
  kind: 'advertiser',
  ownerId: String(advertiserId),
  currency,
});
export const affiliatePayableAccount = (affiliateId: number, currency: string): AccountKey => ({
  kind: 'affiliate_payable',
  ownerId: String(affiliateId),
  currency,
});
export const networkRevenueAccount = (currency: string): AccountKey => ({
  kind: 'network_revenue',
  ownerId: NETWORK_OWNER,
  currency,
});

/** A map key for an account, the same wherever it is computed. */
export const accountKeyText = (key: AccountKey) => `${key.kind}|${key.ownerId}|${key.currency}`;

/**
 * The ids of the accounts named, created on first use, keyed by accountKeyText. One statement when
 * they all exist (the usual case); otherwise the missing ones are inserted (ON CONFLICT DO NOTHING:
 * a concurrent creator wins and is waited for) and read again. Account rows are never locked or
 * written afterwards: balances are sums of entries, so no account is a hot row.
 */
export async function ledgerAccountIds(
  db: Database,
  keys: readonly AccountKey[],
): Promise<Map<string, number>> {
  const unique = new Map(keys.map((key) => [accountKeyText(key), key]));
  const ids = new Map<string, number>();
  if (unique.size === 0) return ids;
  const wanted = [...unique.values()];
  for (const row of await selectAccounts(db, wanted)) ids.set(row.key, Number(row.id));
  const missing = wanted.filter((key) => !ids.has(accountKeyText(key)));
  if (missing.length === 0) return ids;
  // Sorted, so two transactions creating the same accounts take their index locks in one order.
  missing.sort((a, b) => accountKeyText(a).localeCompare(accountKeyText(b)));
  const col = <T>(pick: (key: AccountKey) => T) => sql.param(missing.map(pick));
  await db.execute(sql`
    INSERT INTO ledger_accounts (kind, owner_id, currency)
    SELECT kind::ledger_account_kind, owner_id, currency
    FROM unnest(${col((k) => k.kind)}::text[], ${col((k) => k.ownerId)}::text[], ${col((k) => k.currency)}::text[])
      WITH ORDINALITY AS k(kind, owner_id, currency, n)
    ORDER BY n
    ON CONFLICT DO NOTHING`);
  for (const row of await selectAccounts(db, missing)) ids.set(row.key, Number(row.id));
  const absent = missing.filter((key) => !ids.has(accountKeyText(key)));
  if (absent.length > 0)
    throw new Error(`ledger accounts not created: ${absent.map(accountKeyText).join(', ')}`);
  return ids;
}

function selectAccounts(db: Database, keys: AccountKey[]) {
  const col = <T>(pick: (key: AccountKey) => T) => sql.param(keys.map(pick));
  return queryRows<{ id: number | string; key: string }>(
    db,
    sql`
    SELECT a.id, a.kind::text || '|' || a.owner_id || '|' || a.currency AS key
    FROM unnest(${col((k) => k.kind)}::text[], ${col((k) => k.ownerId)}::text[], ${col((k) => k.currency)}::char(3)[])
      AS k(kind, owner_id, currency)
    JOIN ledger_accounts a ON a.kind = k.kind::ledger_account_kind AND a.owner_id = k.owner_id AND a.currency = k.currency`,
  );
}
