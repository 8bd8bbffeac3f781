import { sql } from 'drizzle-orm';
import { startPeriodicTask } from '../background/periodic-task.ts';
import { type Database, queryRows } from '../db/database.ts';

const DAY_MS = 86_400_000;
const KEY = 'clicks_and_conversions';

export type RetentionRound = { erasedBefore: Date; clicks: number; conversions: number; quarantined: number };

/**
 * Erases the personal fields that PERSONAL_DATA_RETENTION_DAYS covers (personal-fields.ts,
 * `retention: true`) from what is older than that: ip, user agent and referrer of clicks; ip,
 * user agent and customer hashes of conversions; quarantined events (deleted). Counts and money
 * stay. A day at a time from where the last round stopped (kept in personal_data_retention), so
 * each round touches only the days that newly passed the period (and the day before, for rows that
 * arrived a day late), each in its own short statement, one day's partition of clicks at a time
 * (decision 032). A row arriving later than that, older than the period, keeps its fields until a
 * data subject erasure or the raw click retention removes them.
 */
export async function erasePersonalDataPastRetention(
  db: Database,
  options: { now: Date; retentionDays: number; maxDays?: number },
): Promise<RetentionRound | null> {
  if (options.retentionDays <= 0) return null;
  const cutoff = new Date(
    Math.floor(options.now.getTime() / DAY_MS) * DAY_MS - options.retentionDays * DAY_MS,
  );
  const [state] = await queryRows<{ erased_before: string | Date }>(
    db,
    sql`SELECT erased_before FROM personal_data_retention WHERE id = ${KEY}`,
  );
  // Once a day the cutoff moves on a day; a round then goes over the day before the last one too,
  // for rows that arrived late. The first round starts at the oldest row there is.
  let from: Date;
  if (state) {
    const marker = new Date(state.erased_before);
    from = marker < cutoff ? new Date(marker.getTime() - DAY_MS) : cutoff;
  } else {
    const [oldest] = await queryRows<{ at: string | Date | null }>(
      db,
      sql`SELECT least((SELECT min(occurred_at) FROM clicks), (SELECT min(occurred_at) FROM conversions)) AS at`,
    );
    from = oldest?.at ? new Date(Math.floor(new Date(oldest.at).getTime() / DAY_MS) * DAY_MS) : cutoff;
  }
  const round: RetentionRound = { erasedBefore: from, clicks: 0, conversions: 0, quarantined: 0 };
  let days = 0;
  while (round.erasedBefore < cutoff && days < (options.maxDays ?? 400)) {
    const next = new Date(Math.min(round.erasedBefore.getTime() + DAY_MS, cutoff.getTime()));
    const range = { from: round.erasedBefore.toISOString(), to: next.toISOString() };
    round.clicks += await count(
      db,
      sql`UPDATE clicks SET ip = NULL, user_agent = NULL, referrer = NULL
          WHERE occurred_at >= ${range.from}::timestamptz AND occurred_at < ${range.to}::timestamptz
            AND (ip IS NOT NULL OR user_agent IS NOT NULL OR referrer IS NOT NULL)`,
    );
    round.conversions += await count(
      db,
      sql`UPDATE conversions SET ip = NULL, user_agent = NULL, customer_hashes = NULL
          WHERE occurred_at >= ${range.from}::timestamptz AND occurred_at < ${range.to}::timestamptz
            AND (ip IS NOT NULL OR user_agent IS NOT NULL OR customer_hashes IS NOT NULL)`,
    );
    await db.execute(
      sql`INSERT INTO personal_data_retention (id, erased_before, updated_at) VALUES (${KEY}, ${range.to}::timestamptz, now())
          ON CONFLICT (id) DO UPDATE SET erased_before = excluded.erased_before, updated_at = now()`,
    );
    round.erasedBefore = next;
    days++;
  }
  // Quarantined events hold whole events: those received before the cutoff go.
  round.quarantined = await count(
    db,
    sql`DELETE FROM ingest_quarantine WHERE received_at < ${cutoff.toISOString()}::timestamptz`,
  );
  return round;
}

/** Rows a data-modifying statement changed. */
async function count(db: Database, statement: ReturnType<typeof sql>): Promise<number> {
  const rows = await queryRows<{ n: number }>(
    db,
    sql`WITH changed AS (${statement} RETURNING 1) SELECT count(*)::int AS n FROM changed`,
  );
  return rows[0]?.n ?? 0;
}

/** Hourly on every instance: idempotent, and each day's update is one statement. */
export function startPersonalDataRetention(db: Database, retentionDays: number, intervalMs = 3_600_000) {
  return startPeriodicTask('personal data retention', intervalMs, () =>
    erasePersonalDataPastRetention(db, { now: new Date(), retentionDays }),
  );
}
