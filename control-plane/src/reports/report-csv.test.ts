import { OpenAPIHono } from '@hono/zod-openapi';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { errorCode } from '../../test/api-client.ts';
import { startNeonWsProxy } from '../../test/neon-ws-proxy.ts';
import { AWKWARD_SUBS, manySubClicks, report, reportWorld } from '../../test/report-setup.ts';
import { JWT_SECRET, testApp } from '../../test/test-app.ts';
import { createTestPostgresDatabase, testDatabases } from '../../test/test-databases.ts';
import { accessTokenKeys } from '../auth/access-tokens.ts';
import type { Principal } from '../auth/principal.ts';
import { connectPostgres, type Database, type DatabaseHandle, queryRows } from '../db/database.ts';
import { ApiError } from '../http/api-error.ts';
import { createLogger } from '../observability/logger.ts';
import { csvLine } from './csv.ts';
import { reportCsv } from './report-csv.ts';
import { reportColumns } from './report-query.ts';
import { reportRoutes } from './report-routes.ts';
import { type ReportQuery, type ReportRow, reportQuerySchema } from './report-schemas.ts';
import { FETCH_ROWS, streamReport } from './report-stream.ts';

const DAY = 'from=2026-11-25&to=2026-11-25';
const ROWS = 2 * FETCH_ROWS + 500;

const admin: Principal = {
  userId: crypto.randomUUID(),
  email: 'admin@tas.test',
  role: 'admin',
  advertiserId: null,
  affiliateId: null,
  via: { kind: 'session', sessionId: crypto.randomUUID() },
};

/** The CSV the JSON rows of `query` make, for `principal`. */
async function csvOfJson(response: Response, principal: Pick<Principal, 'role'>, query: string) {
  const rows = ((await response.json()) as { data: ReportRow[] }).data;
  const columns = reportColumns(principal as Principal, reportQuerySchema.parse(paramsOf(query)));
  return { rows, csv: [columns, ...rows.map((r) => columns.map((k) => r[k]))].map(csvLine).join('') };
}

const paramsOf = (query: string) => Object.fromEntries(new URLSearchParams(query));

/** Sessions of this database that are inside a transaction but not running a statement. */
async function idleInTransaction(db: Database) {
  return queryRows<{ query: string }>(
    db,
    sql`SELECT query FROM pg_stat_activity
        WHERE datname = current_database() AND state = 'idle in transaction' AND pid <> pg_backend_pid()`,
  );
}

async function eventually<T>(read: () => Promise<T>, ok: (value: T) => boolean): Promise<T> {
  for (let i = 0; ; i++) {
    const value = await read();
    if (ok(value) || i === 100) return value;
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** A database whose transactions fail at their `failAt`-th statement (1: SET, 2: DECLARE, 3: FETCH...). */
function failingTransactions(db: Database, failAt: number): Database {
  return new Proxy(db, {
    get(target, key, receiver) {
      if (key !== 'transaction') return Reflect.get(target, key, receiver);
      const transaction: Database['transaction'] = (run, config) =>
        target.transaction((tx) => {
          let statements = 0;
          const failing = new Proxy(tx, {
            get(t, k, r) {
              if (k !== 'execute') return Reflect.get(t, k, r);
              return (query: Parameters<typeof tx.execute>[0]) =>
                ++statements === failAt
                  ? Promise.reject(new Error('connection lost (test)'))
                  : t.execute(query);
            },
          });
          return run(failing);
        }, config);
      return transaction;
    },
  });
}

/** A database whose transactions are counted as they are asked for, and start once `open` is called. */
function gatedTransactions(db: Database) {
  let asked = 0;
  let open = () => {};
  const gate = new Promise<void>((resolve) => {
    open = resolve;
  });
  const gated = new Proxy(db, {
    get(target, key, receiver) {
      if (key !== 'transaction') return Reflect.get(target, key, receiver);
      const transaction: Database['transaction'] = async (run, config) => {
        asked++;
        await gate;
        return target.transaction(run, config);
      };
      return transaction;
    },
  });
  return {
    db: gated,
    open,
    get asked() {
      return asked;
    },
  };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe.each(testDatabases)('CSV reports streamed from $name', ({ name, open }) => {
  let handle: DatabaseHandle;
  let app: ReturnType<typeof testApp>;
  let w: Awaited<ReturnType<typeof reportWorld>>;
  beforeAll(async () => {
    handle = await open();
    app = testApp(handle.db);
    w = await reportWorld(app, handle.db);
    await manySubClicks(handle.db, w, { day: '2026-11-25', count: ROWS });
  });
  afterAll(() => handle.close());

  it('streams more rows than one FETCH, the same rows in the same order as JSON', async () => {
    const query = `${DAY}&groupBy=sub1`;
    const json = await csvOfJson(await report(app, w.admin.accessToken, query), admin, query);
    expect(json.rows).toHaveLength(ROWS);
    const response = await report(app, w.admin.accessToken, `${query}&format=csv`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    const text = await response.text();
    expect(text).toBe(json.csv);
    expect(text.split('\r\n')[0]).toBe(
      'period,sub1,currency,clicks,uniqueClicks,cleanClicks,invalidClicks,botClicks,duplicateClicks,' +
        'blockedClicks,velocityClicks,conversions,approvedConversions,pendingConversions,rejectedConversions,' +
        'revenueMinor,payoutMinor,profitMinor,cr,epcMinor',
    );
    expect(text.match(/\r\n/g)).toHaveLength(ROWS + 1);
    for (const escaped of [
      '"a,b"',
      '"say ""hi"""',
      '"two\nlines"',
      `"'=HYPERLINK(""http://x"")"`,
      ",'+1,",
      ",'-2,",
      ",'@SUM(A1),",
    ])
      expect(text).toContain(escaped);
    expect(AWKWARD_SUBS).toHaveLength(7);
  });

  it('streams reports from the raw events in the requested time zone the same way', async () => {
    const query = 'from=2026-11-24&to=2026-11-25&timezone=America/New_York&groupBy=sub1,sub2,affiliate';
    const json = await csvOfJson(await report(app, w.admin.accessToken, query), admin, query);
    expect(new Set(json.rows.map((r) => r.period))).toEqual(new Set(['2026-11-24', '2026-11-25']));
    const csv = await (await report(app, w.admin.accessToken, `${query}&format=csv`)).text();
    expect(csv).toBe(json.csv);
  });

  it('gives an affiliate its own rows and payout only, whatever it asks for', async () => {
    const query = `${DAY}&groupBy=affiliate,sub1&affiliateId=${w.aff1.affiliateId}`;
    const response = await report(app, w.aff2.accessToken, `${query}&format=csv`);
    const [header, ...lines] = (await response.text()).split('\r\n');
    expect(header).toBe(
      'period,affiliateId,sub1,currency,clicks,uniqueClicks,cleanClicks,invalidClicks,botClicks,' +
        'duplicateClicks,blockedClicks,velocityClicks,conversions,approvedConversions,pendingConversions,' +
        'rejectedConversions,payoutMinor,cr,epcMinor',
    );
    expect(lines.pop()).toBe('');
    expect(lines.length).toBeGreaterThan(FETCH_ROWS);
    const affiliates = new Set(lines.map((line) => line.split(',')[1]));
    expect([...affiliates]).toEqual([String(w.aff2.affiliateId)]);
    const json = await csvOfJson(await report(app, w.aff2.accessToken, query), { role: 'affiliate' }, query);
    expect([header, ...lines, ''].join('\r\n')).toBe(json.csv);
  });

  it('waits for the client, and ends the transaction when it goes away after the first chunk', async () => {
    const response = await report(app, w.admin.accessToken, `${DAY}&groupBy=sub1&format=csv`);
    const reader = response.body!.getReader();
    const first = await reader.read();
    expect(new TextDecoder().decode(first.value)).toMatch(/^period,sub1,/);
    if (name === 'postgres') {
      // Back-pressure: the export waits, inside its transaction, for the client to read on.
      const open = await eventually(
        () => idleInTransaction(handle.db),
        (rows) => rows.length > 0,
      );
      expect(open.map((r) => r.query)).toEqual([expect.stringMatching(/^FETCH/)]);
    }
    // What the Node server adapter does when the connection closes.
    await reader.cancel();
    if (name === 'postgres') {
      expect(
        await eventually(
          () => idleInTransaction(handle.db),
          (rows) => rows.length === 0,
        ),
      ).toEqual([]);
    }
    // On PGlite the export holds the only connection: this would wait forever if it had not ended.
    const next = await report(app, w.admin.accessToken, `${DAY}&granularity=total`);
    expect(((await next.json()) as { data: ReportRow[] }).data).toMatchObject([
      { currency: 'EUR' },
      { currency: 'USD' },
    ]);
  });

  it('cuts off a client that stops reading, and ends the transaction', async () => {
    const errors = vi.spyOn(console, 'error').mockImplementation(() => {});
    try {
      const query: ReportQuery = reportQuerySchema.parse(paramsOf(`${DAY}&groupBy=sub1`));
      const body = await reportCsv(handle.db, admin, query, { fetchRows: 100, stallMs: 200 });
      const reader = body.getReader();
      await reader.read();
      await new Promise((r) => setTimeout(r, 500));
      await expect(reader.read()).rejects.toThrow(/read nothing for 200 ms/);
      expect(errors).toHaveBeenCalledWith(expect.stringContaining('report csv export stopped'));
      if (name === 'postgres') expect(await idleInTransaction(handle.db)).toEqual([]);
      expect((await report(app, w.admin.accessToken, DAY)).status).toBe(200);
    } finally {
      errors.mockRestore();
    }
  });

  it('breaks the download off when the database fails mid-way, and ends the transaction', async () => {
    const errors = vi.spyOn(console, 'error').mockImplementation(() => {});
    try {
      const query: ReportQuery = reportQuerySchema.parse(paramsOf(`${DAY}&groupBy=sub1`));
      // Statement 4 is the second FETCH: the header and first rows are sent by then.
      const body = await reportCsv(failingTransactions(handle.db, 4), admin, query, { fetchRows: 100 });
      const reader = body.getReader();
      const first = await reader.read();
      expect(new TextDecoder().decode(first.value).split('\r\n')).toHaveLength(102);
      await expect(reader.read()).rejects.toThrow(/connection lost/);
      expect(errors).toHaveBeenCalledWith(expect.stringContaining('connection lost'));
      if (name === 'postgres') expect(await idleInTransaction(handle.db)).toEqual([]);
      expect((await report(app, w.admin.accessToken, DAY)).status).toBe(200);
    } finally {
      errors.mockRestore();
    }
  });

  it('runs one CSV export per user and two in all, refusing more with 429 before any transaction', async () => {
    const gated = gatedTransactions(handle.db);
    const limited = testApp(gated.db);
    const csv = `${DAY}&groupBy=sub1&format=csv`;
    // The first export has its slot and has asked for its transaction (held back until `open`).
    const first = report(limited, w.admin.accessToken, csv);
    await eventually(
      async () => gated.asked,
      (n) => n === 1,
    );
    const again = await report(limited, w.admin.accessToken, csv);
    expect([again.status, again.headers.get('retry-after')]).toEqual([429, '10']);
    expect(await again.json()).toMatchObject({
      error: {
        code: 'rate_limited',
        message: expect.stringMatching(/^At most 1 CSV export at a time per user/),
      },
    });
    expect(gated.asked).toBe(1);

    const second = report(limited, w.aff1.accessToken, csv);
    await eventually(
      async () => gated.asked,
      (n) => n === 2,
    );
    const third = await report(limited, w.aff2.accessToken, csv);
    expect([third.status, await errorCode(third.clone())]).toEqual([429, 'rate_limited']);
    expect(await third.text()).toContain('Too many CSV exports are running');
    expect(gated.asked).toBe(2);
    // JSON reports are not limited.
    expect((await report(limited, w.aff2.accessToken, DAY)).status).toBe(200);

    // One after the other: on PGlite the second transaction waits for the first.
    gated.open();
    const firstBody = await (await first).text();
    expect(firstBody.split('\r\n')).toHaveLength(ROWS + 2);
    const secondResponse = await second;
    expect(secondResponse.status).toBe(200);
    expect(await secondResponse.text()).toMatch(/^period,sub1,/);

    // Finished exports free their slots.
    for (const session of [w.admin, w.aff2]) {
      const next = await report(limited, session.accessToken, csv);
      expect(next.status).toBe(200);
      expect(await next.text()).toMatch(/^period,sub1,/);
    }
    expect(gated.asked).toBe(4);
  });

  it('cuts off an export that runs past its total duration, and ends the transaction', async () => {
    const errors = vi.spyOn(console, 'error').mockImplementation(() => {});
    try {
      const query: ReportQuery = reportQuerySchema.parse(paramsOf(`${DAY}&groupBy=sub1`));
      const onEnd = vi.fn();
      const body = await reportCsv(handle.db, admin, query, { fetchRows: 100, maxDurationMs: 400, onEnd });
      const reader = body.getReader();
      // A client that reads steadily (a chunk every 50 ms, never near the stall limit) but slowly:
      // 26 chunks would take 1.3 s.
      let chunks = 0;
      const started = Date.now();
      const failure = await (async () => {
        for (;;) {
          const { done } = await reader.read();
          if (done) return new Error('the export ended normally');
          chunks++;
          await sleep(50);
        }
      })().catch((error: unknown) => error);
      expect(String(failure)).toMatch(/export took longer than 400 ms/);
      expect(Date.now() - started).toBeLessThan(1000);
      expect(chunks).toBeGreaterThan(2);
      expect(onEnd).toHaveBeenCalledTimes(1);
      expect(errors).toHaveBeenCalledWith(expect.stringContaining('export took longer than 400 ms'));
      if (name === 'postgres') expect(await idleInTransaction(handle.db)).toEqual([]);
      // On PGlite this would wait forever had the transaction not ended.
      expect((await report(app, w.admin.accessToken, DAY)).status).toBe(200);
    } finally {
      errors.mockRestore();
    }
  });

  it("takes its limits from the routes' dependencies: the duration cap frees the slot", async () => {
    const errors = vi.spyOn(console, 'error').mockImplementation(() => {});
    try {
      const routes = reportRoutes({
        db: handle.db,
        keys: accessTokenKeys(JWT_SECRET),
        csvExports: { maxDurationMs: 300, retryAfterSeconds: 3 },
      });
      const reports = new OpenAPIHono().route('/api/v1/reports', routes);
      reports.onError((error, c) => {
        if (!(error instanceof ApiError)) throw error;
        c.header('retry-after', String(error.retryAfterSeconds));
        return c.json({ error: { code: error.code } }, error.status);
      });
      const csv = (token: string) =>
        reports.request(`/api/v1/reports?${DAY}&groupBy=sub1&format=csv`, {
          headers: { authorization: `Bearer ${token}` },
        });
      const slow = (await csv(w.admin.accessToken)).body!.getReader();
      await slow.read();
      if (name === 'postgres') {
        const refused = await csv(w.admin.accessToken);
        expect([refused.status, refused.headers.get('retry-after')]).toEqual([429, '3']);
      }
      // Read slowly (three batches of 1000 rows, 400 ms apart) until the 300 ms cap breaks it off.
      await expect(
        (async () => {
          for (;;) {
            await sleep(400);
            if ((await slow.read()).done) return;
          }
        })(),
      ).rejects.toThrow(/export took longer than 300 ms/);
      if (name === 'postgres') expect(await idleInTransaction(handle.db)).toEqual([]);
      const next = await csv(w.admin.accessToken);
      expect(next.status).toBe(200);
      // Read at once, an export ends well within the cap.
      expect((await next.text()).split('\r\n')).toHaveLength(ROWS + 2);
    } finally {
      errors.mockRestore();
    }
  });

  it('has Postgres end an export transaction left idle past its backstop timeout (not on PGlite)', async () => {
    const errors = vi.spyOn(console, 'error').mockImplementation(() => {});
    try {
      const query: ReportQuery = reportQuerySchema.parse(paramsOf(`${DAY}&groupBy=sub1`));
      let batches = 0;
      // As if this process stopped minding the export for longer than the idle timeout.
      const read = streamReport(
        handle.db,
        admin,
        query,
        async () => {
          if (batches++ === 0) await sleep(600);
        },
        { fetchRows: 100, timeouts: { statementMs: 60_000, idleInTransactionMs: 200 } },
      );
      if (name === 'postgres') {
        // (drizzle reports the ROLLBACK that fails on the closed connection)
        await expect(read).rejects.toThrow();
        expect(errors).toHaveBeenCalledWith(expect.stringContaining('idle-in-transaction timeout'));
        expect(batches).toBe(1);
        expect(await idleInTransaction(handle.db)).toEqual([]);
      } else {
        await read;
        expect(batches).toBe(Math.ceil((ROWS + 1) / 100));
      }
      expect((await report(app, w.admin.accessToken, DAY)).status).toBe(200);
    } finally {
      errors.mockRestore();
    }
  });

  it('answers a query that fails before its first rows with an error status', async () => {
    // The app's JSON log (pino) takes the unhandled error's line.
    const lines: string[] = [];
    const logger = createLogger({
      level: 'error',
      destination: { write: (line: string) => void lines.push(line) },
    });
    try {
      const failing = testApp(failingTransactions(handle.db, 2), { logger });
      const response = await report(failing, w.admin.accessToken, `${DAY}&format=csv`);
      expect([response.status, await errorCode(response)]).toEqual([500, 'internal_error']);
      // The failed export gave its slot back: the next one is tried, not refused.
      const again = await report(failing, w.admin.accessToken, `${DAY}&format=csv`);
      expect([again.status, await errorCode(again)]).toEqual([500, 'internal_error']);
      expect(lines.join('')).toContain('connection lost');
      if (name === 'postgres') expect(await idleInTransaction(handle.db)).toEqual([]);
    } finally {
      lines.length = 0;
    }
  });
});

describe('CSV reports streamed through the Neon driver', () => {
  let proxy: Awaited<ReturnType<typeof startNeonWsProxy>>;
  let neon: DatabaseHandle;
  beforeAll(async () => {
    proxy = await startNeonWsProxy();
    neon = connectPostgres(await createTestPostgresDatabase(), {
      driver: 'neon',
      neonWsProxy: proxy.address,
    });
  });
  afterAll(async () => {
    await neon.close();
    await proxy.close();
  });

  it('reads the rows through a cursor over WebSockets, the same as JSON', async () => {
    const app = testApp(neon.db);
    const w = await reportWorld(app, neon.db);
    await manySubClicks(neon.db, w, { day: '2026-11-25', count: FETCH_ROWS + 10 });
    const query = `${DAY}&groupBy=sub1`;
    const json = await csvOfJson(await report(app, w.admin.accessToken, query), admin, query);
    expect(json.rows).toHaveLength(FETCH_ROWS + 10);
    expect(await (await report(app, w.admin.accessToken, `${query}&format=csv`)).text()).toBe(json.csv);
  });
});
