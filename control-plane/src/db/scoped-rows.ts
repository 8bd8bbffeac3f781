import { and, asc, gt, type SQL } from 'drizzle-orm';
import type { PgColumn, PgSelect } from 'drizzle-orm/pg-core';
import { ApiError } from '../http/api-error.ts';

/*
 * What a principal may read of an id-keyed resource, the same way for every resource: a page in
 * id order after a cursor, or one row. Each resource keeps its own query (table, joins) and its
 * scope; only the paging and the not_found answer live here, so they cannot drift between them.
 */

/**
 * One keyset page of `query` (a `$dynamic()` select): rows matching every condition (the
 * resource's scope and filters first), with `id` after `page.after`, in id order.
 */
export function keysetPage<Q extends PgSelect>(
  query: Q,
  id: PgColumn,
  page: { limit: number; after?: number | undefined },
  ...conditions: (SQL | undefined)[]
) {
  return query
    .where(and(...conditions, page.after ? gt(id, page.after) : undefined))
    .orderBy(asc(id))
    .limit(page.limit);
}

/** The row a lookup found, or not_found: a row outside the caller's scope is answered as missing. */
export async function oneOrNotFound<T>(rows: PromiseLike<T[]>, what: string): Promise<T> {
  const [row] = await rows;
  if (!row) throw new ApiError('not_found', `${what} does not exist.`);
  return row;
}
