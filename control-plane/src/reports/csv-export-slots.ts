import type { Principal } from '../auth/principal.ts';
import { ApiError } from '../http/api-error.ts';

/**
 * What CSV exports may take of the database. Each export holds a pooled connection (on PGlite:
 * the only one) and an open read-only transaction until its client has read the last row.
 */
export type CsvExportLimits = {
  /** Exports running at once, in this process (the node-postgres pool has 10 connections). */
  maxConcurrent: number;
  /** Exports running at once for one user, whichever of its sessions and API keys asks. */
  maxPerUser: number;
  /** The longest one export may take, from its start to its last row; then it is cut off. */
  maxDurationMs: number;
  /** Sent as Retry-After when an export is refused for lack of a slot. */
  retryAfterSeconds: number;
};

export const CSV_EXPORT_LIMITS: CsvExportLimits = {
  maxConcurrent: 2,
  maxPerUser: 1,
  maxDurationMs: 10 * 60_000,
  retryAfterSeconds: 10,
};

export type CsvExportSlots = {
  /**
   * Takes a slot for an export by `principal`, or throws rate_limited when none is free. The
   * returned release gives it back; calling it again does nothing.
   */
  acquire(principal: Principal): () => void;
  /** Exports holding a slot now. */
  readonly active: number;
};

/** Counts running exports in this process, globally and per user. */
export function csvExportSlots(
  limits: Pick<CsvExportLimits, 'maxConcurrent' | 'maxPerUser' | 'retryAfterSeconds'>,
): CsvExportSlots {
  let active = 0;
  const perUser = new Map<string, number>();
  const refuse = (why: string) =>
    new ApiError('rate_limited', `${why}; try again in ${limits.retryAfterSeconds} s.`, {
      retryAfterSeconds: limits.retryAfterSeconds,
    });
  return {
    acquire(principal) {
      const user = principal.userId;
      const mine = perUser.get(user) ?? 0;
      if (mine >= limits.maxPerUser) {
        throw refuse(
          `At most ${limits.maxPerUser} CSV export${limits.maxPerUser === 1 ? '' : 's'} at a time per user, and yours ${mine === 1 ? 'is' : 'are'} still running`,
        );
      }
      if (active >= limits.maxConcurrent) throw refuse('Too many CSV exports are running');
      active++;
      perUser.set(user, mine + 1);
      let released = false;
      return () => {
        if (released) return;
        released = true;
        active--;
        const left = (perUser.get(user) ?? 1) - 1;
        if (left > 0) perUser.set(user, left);
        else perUser.delete(user);
      };
    },
    get active() {
      return active;
    },
  };
}
