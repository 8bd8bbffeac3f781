import { sql } from 'drizzle-orm';
import type { Principal } from '../auth/principal.ts';
import { type Database, queryRows } from '../db/database.ts';
import { type RawRow, reportStatement } from './report-query.ts';
import type { ReportQuery, ReportRow } from './report-schemas.ts';

/** Rows a FETCH reads: what is held in memory at once, per export. */
export const FETCH_ROWS = 1000;

/**
 * Reads every row of a report through a server-side cursor, `fetchRows` at a time, inside one
 * read-only transaction: the same statement, order and role-scoped rows as `runReport`, with no
 * row limit and memory bounded by one batch. `onRows` is awaited before the next FETCH (that is
 * the back-pressure); it is called once even for an empty report. When it throws, reading stops
 * and the transaction (and with it the cursor) is rolled back before the error is rethrown.
 * Works alike on node-postgres and Neon (one pooled connection for the transaction) and on
 * PGlite, whose single connection is held for the whole export.
 */
export async function streamReport(
  db: Database,
  principal: Principal,
  query: ReportQuery,
  onRows: (rows: ReportRow[]) => Promise<void>,
  options: { fetchRows?: number } = {},
): Promise<void> {
  const fetchRows = options.fetchRows ?? FETCH_ROWS;
  const report = reportStatement(principal, query);
  await db.transaction(
    async (tx) => {
      // Cursors are planned to return their first rows fast (cursor_tuple_fraction 0.1); an
      // export reads them all, so plan it like the JSON query.
      await tx.execute(sql`SET LOCAL cursor_tuple_fraction = 1`);
      await tx.execute(sql`DECLARE report_rows NO SCROLL CURSOR FOR ${report.statement}`);
      const fetch = sql.raw(`FETCH FORWARD ${Math.trunc(fetchRows)} FROM report_rows`);
      for (;;) {
        const rows = await queryRows<RawRow>(tx, fetch);
        await onRows(rows.map(report.toRow));
        if (rows.length < fetchRows) break;
      }
    },
    { accessMode: 'read only' },
  );
}
