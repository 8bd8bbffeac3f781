import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { errorCode } from '../../test/api-client.ts';
import { startNeonWsProxy } from '../../test/neon-ws-proxy.ts';
import { AWKWARD_SUBS, manySubClicks, report, reportWorld } from '../../test/report-setup.ts';
import { testApp } from '../../test/test-app.ts';
import { createTestPostgresDatabase, testDatabases } from '../../test/test-databases.ts';
import type { Principal } from '../auth/principal.ts';
import { connectPostgres, type Database, type DatabaseHandle, queryRows } from '../db/database.ts';
import { csvLine } from './csv.ts';
import { reportCsv } from './report-csv.ts';
import { reportColumns } from './report-query.ts';
import { type ReportQuery, type ReportRow, reportQuerySchema } from './report-schemas.ts';
import { FETCH_ROWS } from './report-stream.ts';

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
      'period,sub1,currency,clicks,uniqueClicks,conversions,revenueMinor,payoutMinor,profitMinor,cr,epcMinor',
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
      'period,affiliateId,sub1,currency,clicks,uniqueClicks,conversions,payoutMinor,cr,epcMinor',
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

  it('answers a query that fails before its first rows with an error status', async () => {
    const errors = vi.spyOn(console, 'error').mockImplementation(() => {});
    try {
      const failing = testApp(failingTransactions(handle.db, 2));
      const response = await report(failing, w.admin.accessToken, `${DAY}&format=csv`);
      expect([response.status, await errorCode(response)]).toEqual([500, 'internal_error']);
      expect(errors).toHaveBeenCalledWith(expect.stringContaining('connection lost'));
      if (name === 'postgres') expect(await idleInTransaction(handle.db)).toEqual([]);
    } finally {
      errors.mockRestore();
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
