import { currencySchema } from '@tas/shared/money';
import { sql } from 'drizzle-orm';
import { type Database, queryRows } from '../db/database.ts';
import type { Conversion } from '../db/schema/conversions.ts';
import {
  type AccountKey,
  accountKeyText,
  advertiserAccount,
  affiliatePayableAccount,
  networkRevenueAccount,
} from './ledger-accounts.ts';
import {
  type EntryInput,
  type Layer,
  postTransfers,
  type TransferInput,
  type TransferKind,
} from './post-transfer.ts';

/** A conversion's figures and what the ledger holds for it, read together. */
export type ConversionPosition = {
  id: string;
  status: Conversion['status'];
  payoutMinor: number;
  revenueMinor: number;
  currency: string;
  affiliateId: number;
  /** The offer's advertiser; null when the offer is unknown. */
  advertiserId: number | null;
  /** How many transfers the ledger has for it. */
  transfers: number;
  /** Its entries summed by account and layer, zero sums left out. */
  holdings: EntryInput[];
};

/**
 * What the ledger should hold for a conversion (decision 021): pending, in the pending layer,
 * approved, in the posted layer: the advertiser owes R, the affiliate is owed P, the network keeps
 * R − P; rejected, nothing. Zero legs are left out (a cpc conversion holds nothing). Null when it
 * cannot be posted: revenue with no advertiser to owe it, or a currency that is not ISO 4217.
 */
export function expectedHoldings(c: Omit<ConversionPosition, 'transfers' | 'holdings'>): EntryInput[] | null {
  if (c.status === 'rejected') return [];
  const layer: Layer = c.status === 'approved' ? 'posted' : 'pending';
  const legs: [AccountKey | null, number][] = [
    [c.advertiserId === null ? null : advertiserAccount(c.advertiserId, c.currency), c.revenueMinor],
    [affiliatePayableAccount(c.affiliateId, c.currency), -c.payoutMinor],
    [networkRevenueAccount(c.currency), -(c.revenueMinor - c.payoutMinor)],
  ];
  const entries: EntryInput[] = [];
  for (const [account, amountMinor] of legs) {
    if (amountMinor === 0) continue;
    if (account === null) return null;
    entries.push({ account, layer, amountMinor });
  }
  if (entries.length > 0 && !currencySchema.safeParse(c.currency).success) return null;
  return entries;
}

const holdingKey = (e: EntryInput) => `${accountKeyText(e.account)}|${e.layer}`;

/** Entries that take `held` to `expected`, per account and layer. */
export function differenceOf(held: readonly EntryInput[], expected: readonly EntryInput[]): EntryInput[] {
  const delta = new Map<string, EntryInput>();
  for (const [entries, sign] of [
    [expected, 1],
    [held, -1],
  ] as const) {
    for (const e of entries) {
      const key = holdingKey(e);
      const d = delta.get(key) ?? { ...e, amountMinor: 0 };
      d.amountMinor += sign * e.amountMinor;
      delta.set(key, d);
    }
  }
  return [...delta.values()]
    .filter((e) => e.amountMinor !== 0)
    .sort((a, b) => holdingKey(a).localeCompare(holdingKey(b)));
}

/** What a transfer from `held` to `expected` is called: by the layers money sits in before and after. */
export function transferKindOf(held: readonly EntryInput[], expected: readonly EntryInput[]): TransferKind {
  const layers = (entries: readonly EntryInput[]) =>
    [...new Set(entries.map((e) => e.layer))].sort().join(',');
  const from = layers(held);
  const to = layers(expected);
  if (from === to) return from === '' ? 'correction' : 'adjust';
  if (from === '') return to === 'pending' ? 'hold' : 'post';
  if (from === 'pending') return to === 'posted' ? 'post' : to === '' ? 'void' : 'correction';
  // Money posted: rejected is a reversal; sent back to pending, it is held again.
  if (from === 'posted') return to === '' ? 'reverse' : to === 'pending' ? 'hold' : 'correction';
  return 'correction';
}

/**
 * Each conversion's figures and ledger holdings, in one statement. The caller holds the
 * conversions (locked, or inserted in its transaction) if it means to write from what it reads.
 */
export async function readConversionPositions(
  db: Database,
  ids: readonly string[],
): Promise<ConversionPosition[]> {
  if (ids.length === 0) return [];
  const rows = await queryRows<{
    id: string;
    status: Conversion['status'];
    payout_minor: number | string;
    revenue_minor: number | string;
    currency: string;
    affiliate_id: number;
    advertiser_id: number | null;
    transfers: number | string;
    holdings:
      | { kind: AccountKey['kind']; ownerId: string; currency: string; layer: Layer; amountMinor: number }[]
      | null;
  }>(
    db,
    sql`
    WITH transfers AS (
      SELECT t.id, t.conversion_id FROM ledger_transfers t WHERE t.conversion_id = ANY(${sql.param([...ids])}::uuid[])
    ),
    held AS (
      -- The whole set at once, through the index on conversion_id; summed per account and layer below.
      SELECT t.conversion_id, count(DISTINCT t.id) AS transfers,
             json_agg(json_build_object('kind', a.kind, 'ownerId', a.owner_id, 'currency', a.currency,
                                        'layer', e.layer, 'amountMinor', e.amount_minor))
               FILTER (WHERE e.id IS NOT NULL) AS entries
      FROM transfers t
      LEFT JOIN ledger_entries e ON e.transfer_id = t.id
      LEFT JOIN ledger_accounts a ON a.id = e.account_id
      GROUP BY t.conversion_id
    )
    SELECT v.id, v.status, v.payout_minor, v.revenue_minor, v.payout_currency AS currency, v.affiliate_id,
           o.advertiser_id, coalesce(h.transfers, 0) AS transfers, h.entries AS holdings
    FROM conversions v
    LEFT JOIN offers o ON o.id = v.offer_id
    LEFT JOIN held h ON h.conversion_id = v.id
    WHERE v.id = ANY(${sql.param([...ids])}::uuid[])`,
  );
  return rows.map((r) => ({
    id: r.id,
    status: r.status,
    payoutMinor: Number(r.payout_minor),
    revenueMinor: Number(r.revenue_minor),
    currency: r.currency,
    affiliateId: r.affiliate_id,
    advertiserId: r.advertiser_id,
    transfers: Number(r.transfers),
    holdings: differenceOf(
      [],
      (r.holdings ?? []).map((h) => ({
        account: { kind: h.kind, ownerId: h.ownerId, currency: h.currency.trim() },
        layer: h.layer,
        amountMinor: Number(h.amountMinor),
      })),
    ),
  }));
}

/**
 * The transfer that brings a conversion's ledger holdings to what its figures say, or null when
 * they agree already (or the conversion cannot be posted: see expectedHoldings). Its key is
 * `conversion:{id}:{n}`, n the conversion's transfer count + 1: two writers that read the same
 * holdings write the same key, so only one step is ever posted for them.
 */
export function conversionTransfer(p: ConversionPosition): TransferInput | null {
  const expected = expectedHoldings(p);
  if (expected === null) return null;
  const entries = differenceOf(p.holdings, expected);
  if (entries.length === 0) return null;
  return {
    idempotencyKey: `conversion:${p.id}:${p.transfers + 1}`,
    kind: transferKindOf(p.holdings, expected),
    conversionId: p.id,
    memo: `conversion ${p.status}`,
    entries,
  };
}

/**
 * Brings the ledger in line with the conversions' figures, posting by difference (decision 021):
 * one transfer per conversion whose holdings differ from what its status and amounts call for,
 * none for the others, so calling it again changes nothing (exactly once, replays included).
 * Call it in the transaction that stored or changed the conversions, holding their rows.
 * `unpostable` names conversions whose figures cannot be posted (revenue without a known
 * advertiser); reconciliation lists them too.
 */
export async function syncConversionLedger(
  tx: Database,
  conversionIds: readonly string[],
): Promise<{ posted: number; unpostable: string[] }> {
  if (conversionIds.length === 0) return { posted: 0, unpostable: [] };
  return postConversionPositions(tx, await readConversionPositions(tx, conversionIds));
}

/** Posts the difference for conversions whose figures and holdings were read. */
async function postConversionPositions(
  tx: Database,
  positions: readonly ConversionPosition[],
): Promise<{ posted: number; unpostable: string[] }> {
  const transfers: TransferInput[] = [];
  const unpostable: string[] = [];
  for (const p of positions) {
    if (expectedHoldings(p) === null) unpostable.push(p.id);
    const transfer = conversionTransfer(p);
    if (transfer) transfers.push(transfer);
  }
  // In key order, so concurrent writers of overlapping sets meet their keys in the same order.
  transfers.sort((a, b) => (a.idempotencyKey < b.idempotencyKey ? -1 : 1));
  await postTransfers(tx, transfers);
  return { posted: transfers.length, unpostable };
}
