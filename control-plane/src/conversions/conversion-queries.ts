import { and, desc, eq, gte, lt, or, type SQL, sql } from 'drizzle-orm';
import type { Principal } from '../auth/principal.ts';
import type { Database } from '../db/database.ts';
import { type Conversion, conversions } from '../db/schema/conversions.ts';
import { offers } from '../db/schema/offers.ts';
import { ApiError } from '../http/api-error.ts';
import type { ConversionListQuery, ConversionResponse } from './conversion-schemas.ts';

/** Admins see all conversions, advertisers those of their offers, affiliates their own. */
export function conversionScope(principal: Principal): SQL | undefined {
  if (principal.role === 'admin') return undefined;
  if (principal.role === 'affiliate') return eq(conversions.affiliateId, principal.affiliateId ?? -1);
  return sql`${conversions.offerId} IN (SELECT ${offers.id} FROM ${offers} WHERE ${offers.advertiserId} = ${principal.advertiserId ?? -1})`;
}

type Cursor = { occurredAt: string; id: string };

function encodeCursor(row: Conversion): string {
  return Buffer.from(`${row.occurredAt.toISOString()}|${row.id}`).toString('base64url');
}

function decodeCursor(cursor: string): Cursor {
  const [occurredAt, id] = Buffer.from(cursor, 'base64url').toString('utf8').split('|');
  if (!occurredAt || !id || Number.isNaN(Date.parse(occurredAt)) || !/^[0-9a-f-]{36}$/.test(id)) {
    throw new ApiError('invalid_request', 'The cursor is not valid.');
  }
  return { occurredAt, id };
}

/** A page of conversions, newest first, keyset-paginated on (occurredAt, id). */
export async function listConversions(db: Database, principal: Principal, query: ConversionListQuery) {
  const cursor = query.cursor ? decodeCursor(query.cursor) : null;
  const rows = await db
    .select()
    .from(conversions)
    .where(
      and(
        conversionScope(principal),
        query.status ? eq(conversions.status, query.status) : undefined,
        query.offerId ? eq(conversions.offerId, query.offerId) : undefined,
        query.affiliateId ? eq(conversions.affiliateId, query.affiliateId) : undefined,
        query.txid ? eq(conversions.txid, query.txid) : undefined,
        query.clickId ? eq(conversions.clickId, query.clickId) : undefined,
        query.from ? gte(conversions.occurredAt, new Date(query.from)) : undefined,
        query.to ? lt(conversions.occurredAt, new Date(query.to)) : undefined,
        cursor
          ? or(
              lt(conversions.occurredAt, new Date(cursor.occurredAt)),
              and(eq(conversions.occurredAt, new Date(cursor.occurredAt)), lt(conversions.id, cursor.id)),
            )
          : undefined,
      ),
    )
    .orderBy(desc(conversions.occurredAt), desc(conversions.id))
    .limit(query.limit);
  const last = rows.at(-1);
  return { rows, nextCursor: rows.length === query.limit && last ? encodeCursor(last) : null };
}

export async function visibleConversion(db: Database, principal: Principal, id: string): Promise<Conversion> {
  const [row] = await db
    .select()
    .from(conversions)
    .where(and(eq(conversions.id, id), conversionScope(principal)));
  if (!row) throw new ApiError('not_found', `Conversion ${id} does not exist.`);
  return row;
}

export function conversionResponse(principal: Principal, c: Conversion): ConversionResponse {
  const base = {
    id: c.id,
    clickId: c.clickId,
    clickedAt: c.clickedAt.toISOString(),
    occurredAt: c.occurredAt.toISOString(),
    offerId: c.offerId,
    affiliateId: c.affiliateId,
    campaignId: c.campaignId,
    event: c.event,
    amountMinor: c.amountMinor,
    currency: c.currency,
    sentAmountMinor: c.sentAmountMinor,
    sentCurrency: c.sentCurrency,
    exchangeRate: c.exchangeRate,
    txid: c.txid,
    status: c.status,
    payoutCurrency: c.payoutCurrency,
    source: c.source,
    fraudFlags: c.fraudFlags,
    reason: c.reason,
    sub1: c.sub1,
    sub2: c.sub2,
    sub3: c.sub3,
    sub4: c.sub4,
    sub5: c.sub5,
    country: c.country,
    device: c.device,
    receivedAt: c.receivedAt.toISOString(),
  };
  if (principal.role === 'advertiser') return { ...base, revenueMinor: c.revenueMinor };
  if (principal.role === 'affiliate') return { ...base, payoutMinor: c.payoutMinor };
  return { ...base, payoutMinor: c.payoutMinor, revenueMinor: c.revenueMinor };
}
