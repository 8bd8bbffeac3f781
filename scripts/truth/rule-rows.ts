import type pg from 'pg';

export type RuleClickRow = {
  id: string;
  ip: string | null;
  fraudFlags: string[];
  isUnique: boolean;
  outcome: string;
};
export type RuleConversionRow = {
  id: string;
  clickId: string;
  status: string;
  reason: string | null;
  fraudFlags: string[];
  source: string;
  txid: string | null;
  amountMinor: string | null;
  currency: string | null;
  sentAmountMinor: string | null;
  sentCurrency: string | null;
  exchangeRate: string | null;
  payoutMinor: string;
  revenueMinor: string;
};
export type RuleChangeRow = { conversionId: string; action: string; reason: string | null };

/** The rows of the clicks the rule scenarios made: their clicks, conversions and conversion changes. */
export type RuleRows = {
  click(id: string): RuleClickRow | undefined;
  conversionsOf(clickId: string): RuleConversionRow[];
  changesOf(conversionId: string): RuleChangeRow[];
};

const group = <T>(rows: T[], key: (row: T) => string) => {
  const map = new Map<string, T[]>();
  for (const row of rows) map.set(key(row), [...(map.get(key(row)) ?? []), row]);
  return map;
};

/** Reads the rows of `clickIds` in one repeatable-read transaction (small: a few rows a scenario). */
export async function readRuleRows(pool: pg.Pool, clickIds: string[]): Promise<RuleRows> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    const clicks = await client.query<RuleClickRow>(
      `SELECT id, ip, fraud_flags AS "fraudFlags", is_unique AS "isUnique", outcome
       FROM clicks WHERE id = ANY($1::text[])`,
      [clickIds],
    );
    const conversions = await client.query<RuleConversionRow>(
      `SELECT id::text, click_id AS "clickId", status::text, reason, fraud_flags AS "fraudFlags", source, txid,
              amount_minor::text AS "amountMinor", currency, sent_amount_minor::text AS "sentAmountMinor",
              sent_currency AS "sentCurrency", exchange_rate AS "exchangeRate",
              payout_minor::text AS "payoutMinor", revenue_minor::text AS "revenueMinor"
       FROM conversions WHERE click_id = ANY($1::text[]) ORDER BY occurred_at, id`,
      [clickIds],
    );
    const changes = await client.query<RuleChangeRow>(
      `SELECT conversion_id::text AS "conversionId", action, reason FROM conversion_changes
       WHERE conversion_id = ANY($1::uuid[]) ORDER BY id`,
      [conversions.rows.map((c) => c.id)],
    );
    await client.query('COMMIT');
    const clicksById = new Map(clicks.rows.map((c) => [c.id, c]));
    const conversionsByClick = group(conversions.rows, (c) => c.clickId);
    const changesByConversion = group(changes.rows, (c) => c.conversionId);
    return {
      click: (id) => clicksById.get(id),
      conversionsOf: (clickId) => conversionsByClick.get(clickId) ?? [],
      changesOf: (conversionId) => changesByConversion.get(conversionId) ?? [],
    };
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {});
    throw error;
  } finally {
    client.release();
  }
}
