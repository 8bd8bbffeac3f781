import type { Database } from '../db/database.ts';
import { auditEvents } from '../db/schema/audit-events.ts';
import type { AuditAction } from './audit-actions.ts';

export type AuditEntry = {
  /** Who acted: a user id, or null (an anonymous caller, the system). */
  actor: string | null;
  action: AuditAction;
  /** What it was done to, e.g. `{ type: 'api_key', id }`. */
  subject?: { type: string; id: string | number } | null;
  /** The caller's address, when there is a request. */
  ip?: string | null;
  /** What changed, by name: never a password, token, key or payment detail (see `withoutSecrets`). */
  detail?: Record<string, unknown>;
};

/** Names of fields that hold secrets or payment details: dropped from any detail, whatever the caller passed. */
const SECRET_NAME =
  /pass|secret|token|^key$|api_?key$|private_?key|hash|^iban$|^bic$|card|cvc|instructions|authorization|cookie|account_?(holder|number)/i;

/**
 * `detail` without fields whose name says they hold a secret, at any depth. A safety net: callers
 * pass only names and kinds of what changed, and this keeps a slip from storing a secret for good.
 */
export function withoutSecrets(detail: Record<string, unknown>): Record<string, unknown> {
  const clean = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(clean);
    if (value && typeof value === 'object' && !(value instanceof Date)) {
      return Object.fromEntries(
        Object.entries(value)
          .filter(([name]) => !SECRET_NAME.test(name))
          .map(([name, inner]) => [name, clean(inner)]),
      );
    }
    return value;
  };
  return clean(detail) as Record<string, unknown>;
}

/**
 * Records a security-relevant action in `audit_events`. Pass the transaction of the change when
 * there is one, so the record and the change are stored together or not at all.
 */
export async function recordAudit(db: Database, entry: AuditEntry, now = new Date()): Promise<void> {
  await db.insert(auditEvents).values({
    actorUserId: entry.actor,
    actorIp: entry.ip ?? null,
    action: entry.action,
    subjectType: entry.subject?.type ?? null,
    subjectId: entry.subject ? String(entry.subject.id) : null,
    detail: withoutSecrets(entry.detail ?? {}),
    createdAt: now,
  });
}
