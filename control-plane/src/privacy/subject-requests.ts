import { type SQL, sql } from 'drizzle-orm';
import { recordAudit } from '../audit/record-audit.ts';
import type { Principal } from '../auth/principal.ts';
import { type Database, queryRows } from '../db/database.ts';
import { dataSubjectRequests } from '../db/schema/data-subject-requests.ts';
import { eraseAccount } from './account-erasure.ts';
import { type DataSubject, quarantineNeedles, subjectConditions, subjectDigest } from './data-subject.ts';

/** Rows per table an export returns at most; beyond it the export says it was cut. */
export const EXPORT_ROW_LIMIT = 10_000;

type Row = Record<string, unknown>;

export type SubjectExport = {
  subject: { type: DataSubject['type'] };
  generatedAt: string;
  truncated: boolean;
  clicks: Row[];
  conversions: Row[];
  postbackAttempts: Row[];
  adPlatformDeliveries: Row[];
  quarantinedEvents: Row[];
  account: { user: Row; sessions: Row[]; apiKeys: Row[] } | null;
  request: { id: string };
};

/**
 * The subject's clicks and conversions as one set of click ids: a conversion of a matched click
 * is theirs, and so is the click of a matched conversion.
 */
function subjectClickIds(subject: DataSubject): SQL {
  const where = subjectConditions(subject);
  return sql`(SELECT c.id FROM clicks c WHERE ${where.clicks}
              UNION SELECT v.click_id FROM conversions v WHERE ${where.conversions})`;
}

function subjectConversionIds(subject: DataSubject): SQL {
  const where = subjectConditions(subject);
  return sql`(SELECT v.id FROM conversions v WHERE ${where.conversions} OR v.click_id IN ${subjectClickIds(subject)})`;
}

function quarantineMatch(subject: DataSubject): SQL {
  const needles = quarantineNeedles(subject);
  if (needles.length === 0) return sql`false`;
  // strpos, not LIKE: the value is data, never a pattern.
  return sql.join(
    needles.map((n) => sql`strpos(q.body, ${n}) > 0`),
    sql` OR `,
  );
}

export type RequestedBy = { principal: Principal | null; note: string | null; ip?: string | null };

async function record(
  db: Database,
  kind: 'export' | 'erase',
  subject: DataSubject,
  by: RequestedBy,
  counts: Record<string, number>,
): Promise<string> {
  const { principal, note } = by;
  const [row] = await db
    .insert(dataSubjectRequests)
    .values({
      kind,
      subjectType: subject.type,
      subjectDigest: subjectDigest(subject),
      requestedBy: principal?.userId ?? null,
      note,
      counts,
      // The request's own time (a transaction's now() is when it began).
      createdAt: new Date(),
    })
    .returning({ id: dataSubjectRequests.id });
  if (!row) throw new Error('insert returned no row');
  await recordAudit(db, {
    actor: principal?.userId ?? null,
    action: kind === 'export' ? 'data_subject.exported' : 'data_subject.erased',
    subject: { type: 'data_subject_request', id: row.id },
    ip: by.ip ?? null,
    detail: { subjectType: subject.type, counts },
  });
  return row.id;
}

/**
 * Everything TAS holds about the subject, as JSON: clicks, conversions, the postback attempts
 * and ad-platform deliveries of those conversions, quarantined events naming them, and, for an
 * email that is a user's login, the account (without its password hash), its sessions and keys.
 * The request is logged (without the subject).
 */
export async function exportSubject(
  db: Database,
  subject: DataSubject,
  by: RequestedBy,
): Promise<SubjectExport> {
  const limit = EXPORT_ROW_LIMIT + 1;
  const rowsOf = async (statement: SQL) => (await queryRows<{ row: Row }>(db, statement)).map((r) => r.row);
  const clicks = await rowsOf(
    sql`SELECT to_jsonb(c) AS row FROM clicks c WHERE c.id IN ${subjectClickIds(subject)} ORDER BY c.occurred_at LIMIT ${limit}`,
  );
  const conversions = await rowsOf(
    sql`SELECT to_jsonb(x) AS row FROM conversions x WHERE x.id IN ${subjectConversionIds(subject)} ORDER BY x.occurred_at LIMIT ${limit}`,
  );
  const postbackAttempts = await rowsOf(
    sql`SELECT to_jsonb(a) || jsonb_build_object('conversion_id', d.conversion_id) AS row
        FROM postback_attempts a JOIN postback_deliveries d ON d.id = a.delivery_id
        WHERE d.conversion_id IN ${subjectConversionIds(subject)} ORDER BY a.attempted_at LIMIT ${limit}`,
  );
  const adPlatformDeliveries = await rowsOf(
    sql`SELECT to_jsonb(d) AS row FROM ad_conversion_deliveries d
        WHERE d.conversion_id IN ${subjectConversionIds(subject)} LIMIT ${limit}`,
  );
  const quarantinedEvents = await rowsOf(
    sql`SELECT to_jsonb(q) - 'body_sha256' AS row FROM ingest_quarantine q WHERE ${quarantineMatch(subject)} LIMIT ${limit}`,
  );
  const account = subject.type === 'email' ? await accountOf(db, subject.value) : null;
  const lists = { clicks, conversions, postbackAttempts, adPlatformDeliveries, quarantinedEvents };
  const truncated = Object.values(lists).some((rows) => rows.length > EXPORT_ROW_LIMIT);
  for (const rows of Object.values(lists)) rows.splice(EXPORT_ROW_LIMIT);
  const counts = Object.fromEntries(Object.entries(lists).map(([name, rows]) => [name, rows.length]));
  const id = await record(db, 'export', subject, by, {
    ...counts,
    account: account ? 1 : 0,
  });
  return {
    subject: { type: subject.type },
    generatedAt: new Date().toISOString(),
    truncated,
    ...lists,
    account,
    request: { id },
  };
}

async function accountOf(db: Database, email: string): Promise<SubjectExport['account']> {
  const [user] = await queryRows<Row>(
    db,
    sql`SELECT id, email, role, first_name, last_name, is_active, email_verified_at, created_at, updated_at
        FROM users WHERE lower(email) = ${email.trim().toLowerCase()} AND deleted_at IS NULL`,
  );
  if (!user) return null;
  const sessions = await queryRows<Row>(
    db,
    sql`SELECT id, host(ip) AS ip, user_agent, created_at, last_used_at, expires_at, revoked_at
        FROM sessions WHERE user_id = ${user.id as string} ORDER BY created_at`,
  );
  const apiKeys = await queryRows<Row>(
    db,
    sql`SELECT id, name, prefix, scopes, created_at, last_used_at, expires_at, revoked_at
        FROM api_keys WHERE user_id = ${user.id as string} ORDER BY created_at`,
  );
  return { user, sessions, apiKeys };
}

export type ErasureCounts = {
  clicks: number;
  conversions: number;
  postbackAttempts: number;
  quarantinedEvents: number;
  accounts: number;
};

/**
 * Erases the subject's personal fields everywhere (control-plane/src/privacy/personal-fields.ts):
 * ip, user agent, referrer and ad-platform click ids of clicks; ip, user agent and customer hashes
 * of conversions; the query and answer of the postback attempts for them; quarantined events
 * naming them; and, for an email that is a user's login, the account (as account deletion does).
 * Counts, money and the ids that tie them together stay. One transaction; logged.
 */
export async function eraseSubject(
  db: Database,
  subject: DataSubject,
  by: RequestedBy,
  now: Date = new Date(),
): Promise<ErasureCounts & { request: { id: string } }> {
  return db.transaction(async (tx) => {
    // The conversions first: the click ids they name are found before the clicks change.
    const conversionIds = await queryRows<{ id: string }>(tx, subjectConversionIds(subject));
    const clickIds = await queryRows<{ id: string }>(tx, subjectClickIds(subject));
    const ids = conversionIds.map((r) => r.id);
    const clicks = clickIds.map((r) => r.id);
    const attempts = await queryRows<{ n: number }>(
      tx,
      sql`WITH changed AS (
            UPDATE postback_attempts a SET url = regexp_replace(a.url, '[?#].*$', ''), body_excerpt = NULL
            FROM postback_deliveries d
            WHERE d.id = a.delivery_id AND d.conversion_id = ANY(${sql.param(ids)}::uuid[])
            RETURNING 1)
          SELECT count(*)::int AS n FROM changed`,
    );
    const conversions = await queryRows<{ n: number }>(
      tx,
      sql`WITH changed AS (
            UPDATE conversions SET ip = NULL, user_agent = NULL, customer_hashes = NULL
            WHERE id = ANY(${sql.param(ids)}::uuid[]) RETURNING 1)
          SELECT count(*)::int AS n FROM changed`,
    );
    const clickRows = await queryRows<{ n: number }>(
      tx,
      sql`WITH changed AS (
            UPDATE clicks SET ip = NULL, user_agent = NULL, referrer = NULL, gclid = NULL, fbclid = NULL,
                              msclkid = NULL, ttclid = NULL, gbraid = NULL, wbraid = NULL
            WHERE id = ANY(${sql.param(clicks)}::text[]) RETURNING 1)
          SELECT count(*)::int AS n FROM changed`,
    );
    const quarantine = await queryRows<{ n: number }>(
      tx,
      sql`WITH gone AS (DELETE FROM ingest_quarantine q WHERE ${quarantineMatch(subject)} RETURNING 1)
          SELECT count(*)::int AS n FROM gone`,
    );
    let accounts = 0;
    if (subject.type === 'email') {
      const [user] = await queryRows<{ id: string }>(
        tx,
        sql`SELECT id FROM users WHERE lower(email) = ${subject.value.trim().toLowerCase()} AND deleted_at IS NULL`,
      );
      if (user) {
        await eraseAccount(tx, user.id, now);
        accounts = 1;
      }
    }
    const counts: ErasureCounts = {
      clicks: clickRows[0]?.n ?? 0,
      conversions: conversions[0]?.n ?? 0,
      postbackAttempts: attempts[0]?.n ?? 0,
      quarantinedEvents: quarantine[0]?.n ?? 0,
      accounts,
    };
    const id = await record(tx, 'erase', subject, by, counts);
    return { ...counts, request: { id } };
  });
}
