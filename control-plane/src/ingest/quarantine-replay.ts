import { inArray } from 'drizzle-orm';
import { ingestQuarantine } from '../db/schema/ingest-quarantine.ts';
import { ApiError } from '../http/api-error.ts';
import { isDatabaseUnavailable } from './database-errors.ts';
import { type IngestDeps, ingestAndApply } from './ingest-route.ts';
import { markReplayed, takeQuarantined } from './quarantine.ts';

export type ReplayOutcome = {
  replayed: number;
  /** Those that still cannot be stored, with today's reason. */
  stillQuarantined: { id: number; reasonCode: string; reason: string }[];
};

/**
 * Sends quarantined events through the ingest again, after a fix (a new version of the control
 * plane that stores what an older one refused, a repaired offer). Those now stored, or found
 * stored already, are marked replayed; the others stay, with their reason brought up to date.
 * Idempotent like the ingest itself.
 */
export async function replayQuarantine(
  deps: IngestDeps,
  selection: { ids?: number[] | undefined; limit: number },
): Promise<ReplayOutcome> {
  const taken = await takeQuarantined(deps.db, selection).catch((error: unknown) => {
    if (isDatabaseUnavailable(error))
      throw new ApiError('database_unavailable', 'The database is unavailable; replay later.');
    throw error;
  });
  if (taken.length === 0) return { replayed: 0, stillQuarantined: [] };
  const stored = await ingestAndApply(
    deps,
    taken.map((t) => t.event),
  );
  const still = taken.filter((t) => stored.quarantinedKeys.has(t.bodySha256));
  const done = taken.filter((t) => !stored.quarantinedKeys.has(t.bodySha256));
  await markReplayed(
    deps.db,
    done.map((t) => t.id),
    deps.now?.() ?? new Date(),
  );
  const reasons =
    still.length === 0
      ? []
      : await deps.db
          .select({
            id: ingestQuarantine.id,
            reasonCode: ingestQuarantine.reasonCode,
            reason: ingestQuarantine.reason,
          })
          .from(ingestQuarantine)
          .where(
            inArray(
              ingestQuarantine.id,
              still.map((t) => t.id),
            ),
          );
  return { replayed: done.length, stillQuarantined: reasons };
}
