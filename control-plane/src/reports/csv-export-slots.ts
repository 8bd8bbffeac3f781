import { type SlotLimits, type UserSlots, userSlots } from '../http/user-slots.ts';

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

/** Counts running exports in this process, globally and per user. */
export function csvExportSlots(limits: SlotLimits): UserSlots {
  return userSlots(limits, {
    perUser: (held) =>
      `At most ${limits.maxPerUser} CSV export${limits.maxPerUser === 1 ? '' : 's'} at a time per user, and yours ${held === 1 ? 'is' : 'are'} still running`,
    overall: 'Too many CSV exports are running',
  });
}
