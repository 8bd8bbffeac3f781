import type { Database } from '../db/database.ts';
import { type SharedUserSlots, sharedUserSlots } from '../http/shared-user-slots.ts';
import type { SlotLimits } from '../http/user-slots.ts';

/**
 * What CSV exports may take of the database. Each export holds a pooled connection (on PGlite:
 * the only one) and an open read-only transaction until its client has read the last row.
 */
export type CsvExportLimits = SlotLimits & {
  /** The longest one export may take, from its start to its last row; then it is cut off. */
  maxDurationMs: number;
};

export const CSV_EXPORT_LIMITS: CsvExportLimits = {
  // The node-postgres pool has 10 connections.
  maxConcurrent: 2,
  maxPerUser: 1,
  maxDurationMs: 10 * 60_000,
  retryAfterSeconds: 10,
};

/**
 * Running exports: per user across every instance (the database), in all in this process (each
 * holds one of its pooled connections). A slot left by a crashed instance lapses a minute after
 * the longest an export may run.
 */
export function csvExportSlots(
  db: Database,
  limits: SlotLimits & { maxDurationMs: number },
): SharedUserSlots {
  return sharedUserSlots(
    db,
    'csv-export',
    { ...limits, leaseMs: limits.maxDurationMs + 60_000 },
    {
      perUser: (held) =>
        `At most ${limits.maxPerUser} CSV export${limits.maxPerUser === 1 ? '' : 's'} at a time per user, and yours ${held === 1 ? 'is' : 'are'} still running`,
      overall: 'Too many CSV exports are running',
    },
  );
}
