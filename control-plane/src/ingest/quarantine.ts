import { createHash } from 'node:crypto';
import { and, asc, gt, inArray, isNull, sql } from 'drizzle-orm';
import type { Database } from '../db/database.ts';
import { ingestQuarantine, type QuarantinedEvent } from '../db/schema/ingest-quarantine.ts';

export type QuarantineReason = 'invalid_event' | 'database_refused';
export type QuarantineEntry = { event: unknown; reasonCode: QuarantineReason; reason: string };

// biome-ignore lint/suspicious/noControlCharactersInRegex: removing NUL, which text columns refuse, is the point
const NUL = /\u0000/g;

function fieldOf(event: unknown, name: string, max: number): string | null {
  if (typeof event !== 'object' || event === null) return null;
  const value = (event as Record<string, unknown>)[name];
  return typeof value === 'string' ? value.replace(NUL, '').slice(0, max) : null;
}

export function quarantineBody(event: unknown): string {
  // JSON text escapes a NUL as the six characters \u0000, which a text column holds.
  return JSON.stringify(event) ?? 'null';
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/**
 * Keeps events the ingest could not store, with their reason. A body already kept is not kept
 * twice (a redelivered batch); its reason is brought up to date (a replay that failed again).
 */
export async function quarantineEvents(db: Database, entries: readonly QuarantineEntry[]): Promise<void> {
  if (entries.length === 0) return;
  const rows = new Map<string, typeof ingestQuarantine.$inferInsert>();
  for (const entry of entries) {
    const body = quarantineBody(entry.event);
    const bodySha256 = sha256(body);
    rows.set(bodySha256, {
      eventId: fieldOf(entry.event, 'id', 200),
      eventType: fieldOf(entry.event, 'type', 40),
      reasonCode: entry.reasonCode,
      reason: entry.reason.replace(NUL, '').slice(0, 2000),
      body,
      bodySha256,
    });
  }
  await db
    .insert(ingestQuarantine)
    .values([...rows.values()])
    .onConflictDoUpdate({
      target: ingestQuarantine.bodySha256,
      set: { reasonCode: sql`excluded.reason_code`, reason: sql`excluded.reason` },
    });
  console.error(
    JSON.stringify({
      msg: 'events quarantined',
      count: rows.size,
      reasons: [...new Set(entries.map((e) => e.reasonCode))],
    }),
  );
}

/** Quarantined events, oldest first, those not replayed yet unless asked. */
export async function listQuarantine(
  db: Database,
  query: { after?: number | undefined; limit: number; includeReplayed: boolean },
): Promise<QuarantinedEvent[]> {
  return db
    .select()
    .from(ingestQuarantine)
    .where(
      and(
        query.after === undefined ? undefined : gt(ingestQuarantine.id, query.after),
        query.includeReplayed ? undefined : isNull(ingestQuarantine.replayedAt),
      ),
    )
    .orderBy(asc(ingestQuarantine.id))
    .limit(query.limit);
}

/** The quarantined events not replayed yet, by id or the oldest `limit`, to send through the ingest again. */
export async function takeQuarantined(
  db: Database,
  selection: { ids?: number[] | undefined; limit: number },
): Promise<{ id: number; event: unknown; bodySha256: string }[]> {
  const rows = await db
    .select({ id: ingestQuarantine.id, body: ingestQuarantine.body, bodySha256: ingestQuarantine.bodySha256 })
    .from(ingestQuarantine)
    .where(
      and(
        isNull(ingestQuarantine.replayedAt),
        selection.ids ? inArray(ingestQuarantine.id, selection.ids) : undefined,
      ),
    )
    .orderBy(asc(ingestQuarantine.id))
    .limit(selection.limit);
  return rows.map((row) => ({ id: row.id, event: parseBody(row.body), bodySha256: row.bodySha256 }));
}

export async function markReplayed(db: Database, ids: number[], now: Date): Promise<void> {
  if (ids.length === 0) return;
  await db.update(ingestQuarantine).set({ replayedAt: now }).where(inArray(ingestQuarantine.id, ids));
}

/** Whether this body is quarantined (again) and not replayed. */
export function bodyKeyOf(event: unknown): string {
  return sha256(quarantineBody(event));
}

function parseBody(body: string): unknown {
  try {
    return JSON.parse(body);
  } catch {
    return body;
  }
}
