import { sql } from 'drizzle-orm';
import { z } from 'zod';
import { type Database, queryRows } from '../db/database.ts';
import { ledgerLayer, ledgerTransferKind } from '../db/schema/ledger.ts';
import { type AccountKey, accountKeySchema, accountKeyText, ledgerAccountIds } from './ledger-accounts.ts';
import { LedgerError } from './ledger-error.ts';

export const transferKindSchema = z.enum(ledgerTransferKind.enumValues);
export type TransferKind = z.infer<typeof transferKindSchema>;
export const layerSchema = z.enum(ledgerLayer.enumValues);
export type Layer = z.infer<typeof layerSchema>;

// Beyond 2^53 a sum of entries could no longer be added up exactly in JavaScript.
const minorUnits = z
  .number()
  .int()
  .refine((n) => n !== 0 && Number.isSafeInteger(n), 'a non-zero safe integer of minor units');

export const entryInputSchema = z.object({
  account: accountKeySchema,
  layer: layerSchema,
  amountMinor: minorUnits,
});
export type EntryInput = z.infer<typeof entryInputSchema>;

export const transferInputSchema = z.object({
  idempotencyKey: z.string().min(1).max(200),
  kind: transferKindSchema,
  conversionId: z.uuid().nullable().default(null),
  payoutId: z.uuid().nullable().default(null),
  pendingTransferId: z.number().int().positive().nullable().default(null),
  /** For people; not part of what makes two writes of one key the same. */
  memo: z.string().max(500).nullable().default(null),
  entries: z.array(entryInputSchema).min(1).max(1000),
});
export type TransferInput = z.input<typeof transferInputSchema>;
type Transfer = z.output<typeof transferInputSchema>;

export type PostedTransfer = { id: number; idempotencyKey: string; created: boolean };

/** Per currency and layer, what a transfer's entries net to when that is not zero. */
export function imbalances(entries: readonly EntryInput[]) {
  const nets = new Map<string, { currency: string; layer: Layer; netMinor: number }>();
  for (const entry of entries) {
    const id = `${entry.account.currency}|${entry.layer}`;
    const net = nets.get(id) ?? { currency: entry.account.currency, layer: entry.layer, netMinor: 0 };
    net.netMinor += entry.amountMinor;
    nets.set(id, net);
  }
  return [...nets.values()].filter((n) => n.netMinor !== 0);
}

/**
 * Writes transfers with their entries, each exactly once by its idempotency key: a key already
 * written with the same content (kind, conversion, payout, pending transfer, entries) answers
 * the transfer that exists (`created: false`); with other content it is an error, since two
 * different movements of money must never share a key. Every transfer is checked before anything
 * is written: its entries net to zero per currency and layer (the database checks again at commit).
 * Accounts are created on first use. One statement writes all new transfers and their entries.
 */
export async function postTransfers(
  db: Database,
  inputs: readonly TransferInput[],
): Promise<PostedTransfer[]> {
  if (inputs.length === 0) return [];
  const transfers = inputs.map(parseTransfer);
  const keys = new Set<string>();
  for (const t of transfers) {
    if (keys.has(t.idempotencyKey))
      throw new LedgerError('invalid_transfer', `The key ${t.idempotencyKey} appears twice in one posting.`);
    keys.add(t.idempotencyKey);
  }
  // The accounts are looked up by the writing statement itself; only when one is missing (its
  // first use) does it write nothing, and is run again once the accounts exist.
  const accounts = [
    ...new Map(
      transfers.flatMap((t) => t.entries.map((e) => [accountKeyText(e.account), e.account])),
    ).values(),
  ];
  const accountIndex = new Map(accounts.map((a, i) => [accountKeyText(a), i + 1]));
  const entries = transfers.flatMap((t) =>
    t.entries.map((e) => ({
      key: t.idempotencyKey,
      account: accountIndex.get(accountKeyText(e.account)) ?? 0,
      layer: e.layer,
      amountMinor: e.amountMinor,
      currency: e.account.currency,
    })),
  );
  let written = await writeTransfers(db, accounts, transfers, entries);
  if (written === null) {
    await ledgerAccountIds(db, accounts);
    written = await writeTransfers(db, accounts, transfers, entries);
    if (written === null)
      throw new LedgerError('invalid_transfer', 'Ledger accounts were created but not found.');
  }
  const inserted = written;
  const idOf = new Map(inserted.map((r) => [r.idempotency_key, Number(r.id)]));
  const existing = transfers.filter((t) => !idOf.has(t.idempotencyKey));
  const found = existing.length > 0 ? await existingTransfers(db, existing) : new Map<string, number>();
  return transfers.map((t) => {
    const id = idOf.get(t.idempotencyKey);
    if (id !== undefined) return { id, idempotencyKey: t.idempotencyKey, created: true };
    return { id: found.get(t.idempotencyKey) ?? 0, idempotencyKey: t.idempotencyKey, created: false };
  });
}

type EntryRow = { key: string; account: number; layer: Layer; amountMinor: number; currency: string };

/**
 * One statement: the accounts, the new transfers and their entries. Null, having written
 * nothing, when some account does not exist yet.
 */
async function writeTransfers(
  db: Database,
  accounts: AccountKey[],
  transfers: Transfer[],
  entries: EntryRow[],
): Promise<{ id: number | string; idempotency_key: string }[] | null> {
  const acol = <T>(pick: (a: AccountKey) => T) => sql.param(accounts.map(pick));
  const tcol = <T>(pick: (t: Transfer) => T) => sql.param(transfers.map(pick));
  const ecol = <T>(pick: (e: EntryRow) => T) => sql.param(entries.map(pick));
  const [result] = await queryRows<{
    ready: boolean;
    inserted: { id: number | string; idempotency_key: string }[] | null;
  }>(
    db,
    sql`
    WITH accounts AS (
      SELECT k.n, a.id
      FROM unnest(${acol((a) => a.kind)}::text[], ${acol((a) => a.ownerId)}::text[], ${acol((a) => a.currency)}::char(3)[])
        WITH ORDINALITY AS k(kind, owner_id, currency, n)
      JOIN ledger_accounts a ON a.kind = k.kind::ledger_account_kind AND a.owner_id = k.owner_id AND a.currency = k.currency
    ),
    ready AS (SELECT count(*) = ${accounts.length} AS ready FROM accounts),
    inserted AS (
      INSERT INTO ledger_transfers (idempotency_key, kind, conversion_id, payout_id, pending_transfer_id, memo)
      SELECT key, kind::ledger_transfer_kind, conversion_id, payout_id, pending_transfer_id, memo
      FROM unnest(${tcol((t) => t.idempotencyKey)}::text[], ${tcol((t) => t.kind)}::text[],
                  ${tcol((t) => t.conversionId)}::uuid[], ${tcol((t) => t.payoutId)}::uuid[],
                  ${tcol((t) => t.pendingTransferId)}::bigint[], ${tcol((t) => t.memo)}::text[])
        WITH ORDINALITY AS t(key, kind, conversion_id, payout_id, pending_transfer_id, memo, n)
      WHERE (SELECT ready FROM ready)
      ORDER BY n
      ON CONFLICT (idempotency_key) DO NOTHING
      RETURNING id, idempotency_key
    ),
    entries AS (
      -- Only the transfers inserted now get entries: one whose key existed has its own already.
      INSERT INTO ledger_entries (transfer_id, account_id, layer, amount_minor, currency)
      SELECT i.id, a.id, e.layer::ledger_layer, e.amount_minor, e.currency
      FROM unnest(${ecol((e) => e.key)}::text[], ${ecol((e) => e.account)}::int[], ${ecol((e) => e.layer)}::text[],
                  ${ecol((e) => e.amountMinor)}::bigint[], ${ecol((e) => e.currency)}::char(3)[])
        WITH ORDINALITY AS e(key, account, layer, amount_minor, currency, n)
      JOIN inserted i ON i.idempotency_key = e.key
      JOIN accounts a ON a.n = e.account
      ORDER BY e.n
      RETURNING 1
    )
    SELECT (SELECT ready FROM ready) AS ready,
           (SELECT json_agg(json_build_object('id', id, 'idempotency_key', idempotency_key)) FROM inserted) AS inserted`,
  );
  return result?.ready ? (result.inserted ?? []) : null;
}

/** One transfer; see postTransfers. */
export async function postTransfer(db: Database, input: TransferInput): Promise<PostedTransfer> {
  const [posted] = await postTransfers(db, [input]);
  if (!posted) throw new LedgerError('invalid_transfer', 'Nothing was posted.');
  return posted;
}

function parseTransfer(input: TransferInput): Transfer {
  const parsed = transferInputSchema.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new LedgerError(
      'invalid_transfer',
      `Transfer ${input.idempotencyKey}: ${issue?.path.join('.') ?? ''} ${issue?.message ?? 'invalid'}`,
    );
  }
  const unbalanced = imbalances(parsed.data.entries);
  if (unbalanced.length > 0) {
    const what = unbalanced.map((u) => `${u.layer} ${u.currency} nets to ${u.netMinor}`).join(', ');
    throw new LedgerError('unbalanced', `Transfer ${input.idempotencyKey} does not balance: ${what}.`);
  }
  return parsed.data;
}

/** What makes two writes of one key the same movement of money. */
function contentOf(t: {
  kind: string;
  conversionId: string | null;
  payoutId: string | null;
  pendingTransferId: number | null;
  entries: string[];
}) {
  return JSON.stringify([t.kind, t.conversionId, t.payoutId, t.pendingTransferId, [...t.entries].sort()]);
}

const entryText = (accountKey: string, layer: string, amountMinor: number) =>
  `${accountKey}|${layer}|${amountMinor}`;

/** The transfers already written under the keys of `transfers`, refusing any whose content differs. */
async function existingTransfers(db: Database, transfers: Transfer[]): Promise<Map<string, number>> {
  const rows = await queryRows<{
    id: number | string;
    idempotency_key: string;
    kind: string;
    conversion_id: string | null;
    payout_id: string | null;
    pending_transfer_id: number | string | null;
    entries: string[];
  }>(
    db,
    sql`
    SELECT t.id, t.idempotency_key, t.kind, t.conversion_id, t.payout_id, t.pending_transfer_id,
           array_agg(a.kind::text || '|' || a.owner_id || '|' || a.currency || '|' || e.layer::text || '|' || e.amount_minor::text)
             AS entries
    FROM ledger_transfers t
    JOIN ledger_entries e ON e.transfer_id = t.id
    JOIN ledger_accounts a ON a.id = e.account_id
    WHERE t.idempotency_key = ANY(${sql.param(transfers.map((t) => t.idempotencyKey))}::text[])
    GROUP BY t.id`,
  );
  const byKey = new Map(rows.map((r) => [r.idempotency_key, r]));
  const ids = new Map<string, number>();
  for (const t of transfers) {
    const row = byKey.get(t.idempotencyKey);
    if (!row)
      throw new LedgerError(
        'invalid_transfer',
        `Transfer ${t.idempotencyKey} was neither written nor found.`,
      );
    const stored = contentOf({
      kind: row.kind,
      conversionId: row.conversion_id,
      payoutId: row.payout_id,
      pendingTransferId: row.pending_transfer_id === null ? null : Number(row.pending_transfer_id),
      entries: row.entries,
    });
    const asked = contentOf({
      ...t,
      entries: t.entries.map((e) => entryText(accountKeyText(e.account), e.layer, e.amountMinor)),
    });
    if (stored !== asked) {
      throw new LedgerError(
        'idempotency_conflict',
        `The key ${t.idempotencyKey} was used by transfer ${row.id} for another movement of money.`,
      );
    }
    ids.set(t.idempotencyKey, Number(row.id));
  }
  return ids;
}
