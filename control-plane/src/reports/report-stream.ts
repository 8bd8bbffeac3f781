import { sql } from 'drizzle-orm';
import { PgliteDatabase } from 'drizzle-orm/pglite';
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
 *
 * `timeouts` are the server's backstop should this process stop minding the export: on Postgres
 * they are set for the transaction (`statement_timeout`: one FETCH, the first doing the whole
 * aggregation; `idle_in_transaction_session_timeout`: a wait between two FETCHes, which ends the
 * session). Not on PGlite: it accepts both but enforces neither (no timers in its single-user
 * backend), and a session ended there would be the embedded database's only one.
 */
export async function streamReport(
  db: Database,
  principal: Principal,
  query: ReportQuery,
  onRows: (rows: ReportRow[]) => Promise<void>,
  options: { fetchRows?: number; timeouts?: { statementMs: number; idleInTransactionMs: number } } = {},
): Promise<void> {
  const fetchRows = options.fetchRows ?? FETCH_ROWS;
  const report = reportStatement(principal, query);
  const timeouts = db instanceof PgliteDatabase ? undefined : options.timeouts;
  await db.transaction(
    async (tx) => {
      // Cursors are planned to return their first rows fast (cursor_tuple_fraction 0.1); an
      // export reads them all, so plan it like the JSON query. One statement either way.
      await tx.execute(
        timeouts
          ? sql`SELECT set_config('cursor_tuple_fraction', '1', true),
                  set_config('statement_timeout', ${String(Math.ceil(timeouts.statementMs))}, true),
                  set_config('idle_in_transaction_session_timeout', ${String(Math.ceil(timeouts.idleInTransactionMs))}, true)`
          : sql`SET LOCAL cursor_tuple_fraction = 1`,
      );
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
