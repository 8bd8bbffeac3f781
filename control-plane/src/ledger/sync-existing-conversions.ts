import { sql } from 'drizzle-orm';
import { type Database, queryRows } from '../db/database.ts';
import { syncConversionLedger } from './conversion-ledger.ts';

export type SyncProgress = {
  batches: number;
  conversions: number;
  posted: number;
  unpostable: string[];
  lastId: string | null;
};

/**
 * Brings every stored conversion's ledger in line with its figures, oldest id first, in
 * transactions of `batchSize` conversions locked while they are posted (a change arriving
 * meanwhile waits, then posts its own difference). For installs whose conversions predate the
 * ledger (`pnpm --filter @tas/control-plane ledger sync`). Idempotent by the difference rule: a
 * second run posts nothing; an interrupted run resumes from the start, or from `after` (the last
 * id it printed), and posts only what is missing.
 */
export async function syncExistingConversions(
  db: Database,
  options: { batchSize?: number; after?: string; onBatch?: (progress: SyncProgress) => void } = {},
): Promise<SyncProgress> {
  const batchSize = options.batchSize ?? 1000;
  const progress: SyncProgress = {
    batches: 0,
    conversions: 0,
    posted: 0,
    unpostable: [],
    lastId: options.after ?? null,
  };
  for (;;) {
    const after = progress.lastId;
    const count = await db.transaction(async (tx) => {
      const rows = await queryRows<{ id: string }>(
        tx,
        sql`SELECT id FROM conversions
            WHERE ${after === null ? sql`true` : sql`id > ${after}::uuid`}
            ORDER BY id LIMIT ${batchSize} FOR UPDATE`,
      );
      if (rows.length === 0) return 0;
      const result = await syncConversionLedger(
        tx,
        rows.map((r) => r.id),
      );
      progress.posted += result.posted;
      progress.unpostable.push(...result.unpostable);
      progress.lastId = rows.at(-1)?.id ?? after;
      return rows.length;
    });
    if (count === 0) return progress;
    progress.batches += 1;
    progress.conversions += count;
    options.onBatch?.(progress);
    if (count < batchSize) return progress;
  }
}
