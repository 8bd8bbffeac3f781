import type { Principal } from '../auth/principal.ts';
import type { Database } from '../db/database.ts';
import { csvLine } from './csv.ts';
import { CSV_EXPORT_LIMITS } from './csv-export-slots.ts';
import { reportColumns } from './report-query.ts';
import type { ReportQuery, ReportRow } from './report-schemas.ts';
import { streamReport } from './report-stream.ts';

/**
 * How long one chunk may wait for a client that stays connected but stops reading. The export
 * holds a transaction (on PGlite: the only connection) until the client has taken the last row.
 */
export const CSV_STALL_MS = 30_000;

/** The longest an export may take in all, however steadily the client reads. */
export const CSV_MAX_DURATION_MS = CSV_EXPORT_LIMITS.maxDurationMs;

const encoder = new TextEncoder();

export type ReportCsvOptions = {
  fetchRows?: number;
  stallMs?: number;
  maxDurationMs?: number;
  /** Called once when the export has ended and its transaction with it, however it ended. */
  onEnd?: () => void;
};

/**
 * The report as a CSV body that is read from the database while it is sent. Resolves once the
 * query has produced its first rows, so a failing query is still answered with an error status;
 * rejects with that error otherwise.
 *
 * After that: each batch waits until the client has taken the previous one. A client that goes
 * away (the body is cancelled), stalls for `stallMs`, or is still reading `maxDurationMs` after
 * the start ends the read and the transaction; an error mid-way also ends them, and errors the
 * body, so the client sees a broken download instead of a CSV that looks complete.
 */
export async function reportCsv(
  db: Database,
  principal: Principal,
  query: ReportQuery,
  options: ReportCsvOptions = {},
): Promise<ReadableStream<Uint8Array>> {
  const columns = reportColumns(principal, query);
  const stallMs = options.stallMs ?? CSV_STALL_MS;
  const maxDurationMs = options.maxDurationMs ?? CSV_MAX_DURATION_MS;
  const { readable, writable } = new TransformStream<Uint8Array, Uint8Array>();
  const writer = writable.getWriter();
  // The client cancelling the body (a disconnect, through the server adapter) errors the writer.
  let clientGone = false;
  writer.closed.catch(() => {
    clientGone = true;
  });
  let sending = false;
  const first = deferred();

  // The whole export, from now: past it the next write (or the next batch) fails.
  let expired: Error | undefined;
  let deadlineTimer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    deadlineTimer = setTimeout(() => {
      expired = new Error(`export took longer than ${maxDurationMs} ms`);
      reject(expired);
    }, maxDurationMs);
  });
  deadline.catch(() => {});

  // Rejects when the client has gone away (the write fails), has read nothing for stallMs, or the
  // export has run out of time.
  const write = async (text: string) => {
    const written = writer.write(encoder.encode(text));
    written.catch(() => {});
    let timer: NodeJS.Timeout | undefined;
    const stalled = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`client read nothing for ${stallMs} ms`)), stallMs);
    });
    try {
      await Promise.race([written, stalled, deadline]);
    } finally {
      clearTimeout(timer);
    }
  };

  const onRows = async (rows: ReportRow[]) => {
    if (expired) throw expired;
    let text = rows.map((row) => csvLine(columns.map((k) => row[k]))).join('');
    if (!sending) {
      sending = true;
      text = csvLine(columns) + text;
      first.resolve();
    }
    if (text) await write(text);
  };
  const ended = () => {
    clearTimeout(deadlineTimer);
    options.onEnd?.();
  };
  const streamOptions = {
    ...(options.fetchRows ? { fetchRows: options.fetchRows } : {}),
    // The server's backstop, should this process stop minding the export.
    timeouts: { statementMs: maxDurationMs, idleInTransactionMs: 2 * stallMs },
  };
  streamReport(db, principal, query, onRows, streamOptions).then(
    () => {
      ended();
      return writer.close().catch(() => {});
    },
    (error: unknown) => {
      ended();
      if (!sending) return first.reject(error);
      if (!clientGone) {
        console.error(
          JSON.stringify({ msg: 'report csv export stopped', error: String(error).slice(0, 200) }),
        );
      }
      return writer.abort(error).catch(() => {});
    },
  );

  await first.promise;
  return readable;
}

function deferred() {
  let resolve = () => {};
  let reject: (error: unknown) => void = () => {};
  const promise = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}
