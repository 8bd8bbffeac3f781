/**
 * `pnpm bench:dashboard`: how fast the dashboard renders with a large network, and how much
 * JavaScript a browser loads for it. Prints figures; asserts nothing.
 *
 * 1. Starts the stack (throwaway PostgreSQL, edge, control plane with the demo data, and the
 *    dashboard's production build served by react-router-serve), adds offers and affiliates, and
 *    loads BENCH_CLICKS clicks (1,000,000) and BENCH_CONVERSIONS conversions (20,000) over the
 *    last 30 days through the control plane's signed ingest endpoint, as the edge sends them and
 *    as control-plane/bench/ingest.ts does (rollups included); the demo affiliate and the demo
 *    advertiser's offers carry a large share, so their pages have plenty to show.
 * 2. Logs in as each demo role through the login form and requests each of its main pages
 *    BENCH_RUNS times (20, after 2 warm-ups) over HTTP with the session cookie, one at a time:
 *    p50/p95 of the server render (the whole streamed document) and of the first byte.
 * 3. Prints the gzipped JavaScript a browser loads for each main page (entry + root + the
 *    signed-in layout + the page, with their imports, from React Router's build manifest, which is
 *    what the server tells the browser to modulepreload), the main route /dashboard first; beside
 *    it, what is fetched lazily and so not preloaded (charts after hydration, the command palette
 *    on first use).
 *
 * `pnpm bench:dashboard --js-only` (or BENCH_JS_ONLY=1) builds the dashboard (or reuses an
 * unchanged build) and prints only 3., in seconds: no stack, no clicks.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runInNewContext } from 'node:vm';
import { gzipSync } from 'node:zlib';
import { NO_CONSENT_SIGNALS } from '@tas/shared/consent';
import type { ClickEvent, ConversionEvent } from '@tas/shared/events';
import { signBody } from '@tas/shared/signature';
import pg from 'pg';
import { startEphemeralPostgres } from '../control-plane/test/ephemeral-postgres.ts';
import { apiAs } from '../e2e/dashboard/api.ts';
import { type DashboardBuild, dashboardBuild } from '../e2e/dashboard/dashboard-build.ts';
import { mainPages, pageLanded } from '../e2e/dashboard/main-pages.ts';
import { DEMO, type Role } from '../e2e/dashboard/session.ts';
import { freePort, startStack } from './stack.ts';

const CLICKS = Number(process.env.BENCH_CLICKS ?? 1_000_000);
const CONVERSIONS = Number(process.env.BENCH_CONVERSIONS ?? 20_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 20);
const JS_ONLY = process.argv.includes('--js-only') || process.env.BENCH_JS_ONLY === '1';
const WARMUP = 2;
const EXTRA_OFFERS = 18;
const EXTRA_AFFILIATES = 60;
const DAYS = 30;
const BATCH = 1000;
const SENDERS = 4;
const GOAL_P95_MS = 300;
const GOAL_JS_KB = 200;

const fmt = (n: number) => n.toLocaleString('en-US');
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

// Skewed picks, as in control-plane/bench/ingest.ts: a few offers, affiliates and subs carry
// most of the traffic, as in real networks.
const skew = (i: number, salt: number, n: number) => {
  const x = ((Math.imul(i + 1, 2654435761) ^ Math.imul(salt, 40503)) >>> 0) / 2 ** 32;
  return Math.floor(n * x * x * x);
};
const COUNTRIES = ['US', 'DE', 'GB', 'FR', 'BR', 'IN', 'ES', 'IT', 'CA', 'AU'];
const DEVICES = ['mobile', 'desktop', 'tablet', 'other'] as const;

function clickId(i: number): string {
  const bytes = Buffer.alloc(33);
  bytes.writeUInt32BE(i, 0);
  bytes.writeUInt32BE(Math.imul(i, 2654435761) >>> 0, 4);
  bytes.write('dashboard-bench', 8);
  return bytes.toString('base64url');
}

function conversionId(k: number): string {
  const hex = Buffer.concat([Buffer.from('dbench'), Buffer.alloc(10)]);
  hex.writeUInt32BE(k, 12);
  hex[6] = (hex[6]! & 0x0f) | 0x40;
  hex[8] = (hex[8]! & 0x3f) | 0x80;
  const h = hex.toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

/** The clicks and conversions of the last DAYS days, oldest first, each conversion after its click. */
function* events(ids: { offers: number[]; affiliates: number[] }, now: number) {
  const start = now - DAYS * 86_400_000;
  const every = Math.max(1, Math.floor(CLICKS / CONVERSIONS));
  let k = 0;
  for (let i = 0; i < CLICKS; i++) {
    const at = start + Math.floor((i / CLICKS) * (DAYS * 86_400_000 - 3_600_000));
    const click: ClickEvent = {
      type: 'click',
      id: clickId(i),
      occurredAt: new Date(at).toISOString(),
      offerId: ids.offers[skew(i, 1, ids.offers.length)]!,
      affiliateId: ids.affiliates[skew(i, 2, ids.affiliates.length)]!,
      sub1: `s${skew(i, 3, 50)}`,
      sub2: `t${skew(i, 4, 20)}`,
      sub3: null,
      sub4: null,
      sub5: null,
      sourceId: null,
      creativeId: null,
      landingPageId: null,
      ip: `203.0.${i & 255}.${(i >> 8) & 255}`,
      userAgent: 'Mozilla/5.0 (Linux; Android 14) Bench',
      country: COUNTRIES[skew(i, 5, COUNTRIES.length)]!,
      device: DEVICES[skew(i, 6, DEVICES.length)]!,
      os: 'android',
      referrer: null,
      gclid: null,
      fbclid: null,
      msclkid: null,
      ttclid: null,
      gbraid: null,
      wbraid: null,
      ...NO_CONSENT_SIGNALS,
      outcome: 'redirect',
      reason: null,
      fraudFlags: [],
      unique: i % 17 !== 0,
      source: 'redirect',
      capCounterUnavailable: false,
      fraudCounterUnavailable: false,
    };
    yield click;
    if (i % every === 0 && k < CONVERSIONS) {
      const conversion: ConversionEvent = {
        type: 'conversion',
        id: conversionId(k),
        occurredAt: new Date(at + 600_000).toISOString(),
        clickId: click.id,
        clickedAt: click.occurredAt,
        offerId: click.offerId,
        affiliateId: click.affiliateId,
        event: 'conversion',
        amountMinor: 4990,
        currency: 'USD',
        sentAmountMinor: null,
        sentCurrency: null,
        exchangeRate: null,
        supersedes: [],
        holds: [],
        txid: `DB-${k}`,
        advertiserStatus: k % 10 === 0 ? 'pending' : null,
        source: 'postback',
        fraudFlags: [],
        reason: null,
        ip: null,
        userAgent: null,
        customerHashes: null,
        ...NO_CONSENT_SIGNALS,
      };
      k++;
      yield conversion;
    }
  }
}

async function ingest(apiUrl: string, secret: string, ids: { offers: number[]; affiliates: number[] }) {
  const source = events(ids, Date.now());
  let stored = 0;
  async function sender() {
    for (;;) {
      const batch = [];
      for (let n = 0; n < BATCH; n++) {
        const next = source.next();
        if (next.done) break;
        batch.push(next.value);
      }
      if (!batch.length) return;
      const body = JSON.stringify({ events: batch });
      const response = await fetch(`${apiUrl}/internal/ingest`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'x-tas-signature': await signBody(secret, '/internal/ingest', body),
        },
        body,
      });
      if (!response.ok) throw new Error(`ingest answered ${response.status}: ${await response.text()}`);
      const result = (await response.json()) as { clicksInserted: number; conversionsInserted: number };
      stored += result.clicksInserted + result.conversionsInserted;
    }
  }
  await Promise.all(Array.from({ length: SENDERS }, sender));
  return stored;
}

/** Logs in through the dashboard's login form (a plain form post) and returns the session cookie. */
async function sessionCookie(dashboardUrl: string, email: string, password: string): Promise<string> {
  const response = await fetch(`${dashboardUrl}/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ email, password, redirectTo: '' }),
    redirect: 'manual',
  });
  const cookie = response.headers.getSetCookie().find((c) => c.startsWith('__tas_session='));
  if (!cookie) throw new Error(`login as ${email} answered ${response.status} without a session`);
  return cookie.split(';')[0]!;
}

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;

async function timeRender(url: string, cookie: string) {
  const started = performance.now();
  const response = await fetch(url, { headers: { cookie }, redirect: 'manual' });
  const reader = response.body?.getReader();
  let first = 0;
  let bytes = 0;
  for (;;) {
    const chunk = await reader?.read();
    if (!chunk || chunk.done) break;
    if (!first) first = performance.now() - started;
    bytes += chunk.value.length;
  }
  return { status: response.status, ms: performance.now() - started, firstByteMs: first, bytes };
}

type Manifest = {
  entry: { module: string; imports: string[] };
  routes: Record<string, { module: string; imports?: string[]; parentId?: string }>;
};

/** React Router's client manifest of the build (`window.__reactRouterManifest={...}`). */
function readManifest(buildRoot: string): Manifest {
  const assets = join(buildRoot, 'build', 'client', 'assets');
  const file = readdirSync(assets).find((name) => /^manifest-[\w-]+\.js$/.test(name));
  if (!file) throw new Error(`no manifest in ${assets}`);
  const context: { window: { __reactRouterManifest?: Manifest } } = { window: {} };
  runInNewContext(readFileSync(join(assets, file), 'utf8'), context);
  return context.window.__reactRouterManifest!;
}

/** The JavaScript files a browser loads to show one route: the entry, and each route up its tree, with imports. */
function routeFiles(manifest: Manifest, routeId: string): Set<string> {
  const files = new Set([manifest.entry.module, ...manifest.entry.imports]);
  for (let id: string | undefined = routeId; id; id = manifest.routes[id]?.parentId) {
    const route = manifest.routes[id];
    if (!route) break;
    files.add(route.module);
    for (const f of route.imports ?? []) files.add(f);
  }
  return files;
}

function sizes(buildRoot: string, files: Iterable<string>) {
  const each = [...files].map((file) => {
    const content = readFileSync(join(buildRoot, 'build', 'client', file.replace(/^\//, '')));
    return { file, raw: content.length, gzip: gzipSync(content).length };
  });
  return {
    files: each.length,
    raw: each.reduce((sum, f) => sum + f.raw, 0),
    gzip: each.reduce((sum, f) => sum + f.gzip, 0),
    largest: each.sort((a, b) => b.gzip - a.gzip),
  };
}

/** The files one file imports, static and dynamic (`import("./x.js")`), as the manifest names them. */
function importsOf(buildRoot: string, file: string) {
  const text = readFileSync(join(buildRoot, 'build', 'client', file.replace(/^\//, '')), 'utf8');
  const asset = (name: string) => `/assets/${name.replace(/^\.\//, '')}`;
  return {
    static: [...text.matchAll(/\b(?:from|import)\s*["'](\.\/[^"'`]+\.js)["']/g)].map((m) => asset(m[1]!)),
    dynamic: [...text.matchAll(/\bimport\(\s*["'`](\.\/[^"'`]+\.js)["'`]\s*\)/g)].map((m) => asset(m[1]!)),
  };
}

/**
 * What the files of a route import lazily (a chart after hydration, the command palette on first
 * use): each dynamic import with its own static imports, less what is preloaded already. The
 * browser fetches these later, so they are not the route's JavaScript, but they are shown beside it.
 */
function lazyFiles(buildRoot: string, preloaded: Set<string>) {
  const files = new Set<string>();
  const names = new Set<string>();
  for (const file of preloaded)
    for (const target of importsOf(buildRoot, file).dynamic) {
      if (preloaded.has(target)) continue;
      names.add(target.replace(/^\/assets\//, '').replace(/-[\w-]{8}\.js$/, ''));
      const queue = [target];
      while (queue.length) {
        const next = queue.pop()!;
        if (files.has(next) || preloaded.has(next)) continue;
        files.add(next);
        queue.push(...importsOf(buildRoot, next).static);
      }
    }
  return { files, names: [...names] };
}

const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} kB`;

function routeIdOf(routeIds: readonly string[], path: string): string | undefined {
  const name = `routes/_app.${path.replace(/^\//, '').replaceAll('/', '.')}`;
  return [`${name}._index`, name].find((id) => routeIds.includes(id));
}

/** The gzipped JavaScript a browser loads for each main page, the main route /dashboard first. */
function printJavaScript(build: DashboardBuild) {
  const manifest = readManifest(build.root);
  console.log(
    `\nJavaScript a browser loads, gzipped (goal for the main route /dashboard: < ${GOAL_JS_KB} kB; ` +
      `"+ lazily" is fetched after hydration or on first use, not preloaded):`,
  );
  const paths = [
    '/dashboard',
    ...new Set(
      (['admin', 'advertiser', 'affiliate'] as const).flatMap((r) => mainPages(r).map((p) => p.path)),
    ),
  ];
  const later = (lazy: { files: Set<string>; names: string[] }) =>
    lazy.files.size ? `; + ${kb(sizes(build.root, lazy.files).gzip)} lazily: ${lazy.names.join(', ')}` : '';
  const shell = routeFiles(manifest, 'routes/_app');
  const base = sizes(build.root, shell);
  const shellLazy = lazyFiles(build.root, shell);
  console.log(
    `every signed-in page: entry + root + layout ${kb(base.gzip)} (${base.files} files)${later(shellLazy)}`,
  );
  for (const path of new Set(paths)) {
    const id = routeIdOf(build.routeIds, path);
    if (!id) continue;
    const files = routeFiles(manifest, id);
    const js = sizes(build.root, files);
    const own = sizes(
      build.root,
      [...files].filter((f) => !shell.has(f)),
    );
    // What the page itself loads lazily; the shell's (the command palette) is counted above.
    const lazy = lazyFiles(build.root, files);
    const pageLazy = {
      files: new Set([...lazy.files].filter((f) => !shellLazy.files.has(f))),
      names: lazy.names.filter((n) => !shellLazy.names.includes(n)),
    };
    const verdict =
      path !== '/dashboard' ? '' : js.gzip / 1024 < GOAL_JS_KB ? '  within the goal' : '  OVER the goal';
    console.log(
      `${path.padEnd(16)}${kb(js.gzip).padStart(10)} gzip, ${kb(own.gzip).padStart(9)} of it its own  (${(js.raw / 1024).toFixed(0)} kB raw, ${js.files} files)${verdict}${later(pageLazy)}`,
    );
  }
  const main = sizes(
    build.root,
    routeFiles(manifest, routeIdOf(build.routeIds, '/dashboard') ?? 'routes/_app'),
  );
  console.log(
    `largest files of /dashboard: ${main.largest
      .slice(0, 6)
      .map((f) => `${f.file.replace('/assets/', '')} ${kb(f.gzip)}`)
      .join(', ')}`,
  );
}

let stopping: (() => Promise<void>) | null = null;
for (const signal of ['SIGINT', 'SIGTERM'] as const)
  process.once(signal, () => {
    // Ctrl-C stops the stack too: its services run in process groups of their own.
    void (stopping?.() ?? Promise.resolve()).finally(() => process.exit(130));
  });

async function main() {
  const started = performance.now();
  const build = await dashboardBuild();
  console.log(`dashboard build: ${build.built ? seconds(build.ms) : 'reused'} (${build.root})`);
  if (JS_ONLY) {
    printJavaScript(build);
    console.log(`\ndone in ${seconds(performance.now() - started)}`);
    return;
  }
  const postgres = await startEphemeralPostgres();
  const stateDir = mkdtempSync(join(tmpdir(), 'tas-dashboard-bench-'));
  const db = new pg.Client({ connectionString: postgres.url() });
  let stack: Awaited<ReturnType<typeof startStack>> | null = null;
  const cleanUp = async () => {
    await stack?.stop();
    await db.end().catch(() => {});
    postgres.stop();
    rmSync(stateDir, { recursive: true, force: true });
  };
  stopping = cleanUp;
  try {
    stack = await startStack({
      stateDir,
      ports: { edge: await freePort(), api: await freePort(), dashboard: await freePort() },
      databaseUrl: postgres.url(),
      seedDemo: true,
      dashboard: { buildRoot: build.root, sessionSecret: randomBytes(32).toString('base64url') },
      log: () => {},
    });
    const { api: apiUrl, dashboard } = stack.urls;
    console.log(`stack up after ${seconds(performance.now() - started)}`);

    // --- the network: the demo's advertiser and affiliate, and more of both
    const admin = await apiAs(apiUrl, DEMO.admin.email, DEMO.admin.password);
    const me = await (await apiAs(apiUrl, DEMO.affiliate.email, DEMO.affiliate.password)).get<{
      affiliateId: number;
    }>('/api/v1/auth/me');
    const offers = [1, 2];
    for (let i = 0; i < EXTRA_OFFERS; i++) {
      const offer = await admin.post<{ id: number }>('/api/v1/offers', {
        advertiserId: 1,
        name: `Bench offer ${i + 1}`,
        payoutType: 'cpa',
        payoutMinor: 1000 + i * 50,
        revenueMinor: 1500 + i * 50,
        status: 'active',
        destinationUrl: 'https://shop.example.com/?click_id={click_id}',
        caps: { offer: { dailyConversions: 5000 } },
      });
      offers.push(offer.id);
    }
    const affiliates = [me.affiliateId];
    for (let i = 0; i < EXTRA_AFFILIATES; i++)
      affiliates.push(
        (await admin.post<{ id: number }>('/api/v1/affiliates', { companyName: `Bench media ${i + 1}` })).id,
      );

    // --- 1M clicks through the signed ingest endpoint
    const ingestStarted = performance.now();
    const stored = await ingest(apiUrl, stack.secrets.INGEST_SIGNING_SECRET, { offers, affiliates });
    const ingestMs = performance.now() - ingestStarted;
    await db.connect();
    await db.query('VACUUM ANALYZE');
    const counts = await db.query<{ clicks: string; conversions: string; mine: string }>(
      `SELECT (SELECT count(*) FROM clicks) AS clicks, (SELECT count(*) FROM conversions) AS conversions,
              (SELECT count(*) FROM clicks WHERE affiliate_id = $1) AS mine`,
      [me.affiliateId],
    );
    const row = counts.rows[0]!;
    console.log(
      `loaded ${fmt(Number(row.clicks))} clicks and ${fmt(Number(row.conversions))} conversions over ${DAYS} days ` +
        `(${fmt(stored)} rows in ${seconds(ingestMs)}, ${fmt(Math.round(stored / (ingestMs / 1000)))} rows/s; ` +
        `${offers.length} offers, ${affiliates.length} affiliates; the demo affiliate has ${fmt(Number(row.mine))} clicks)`,
    );

    // --- server render of each main page, per role
    console.log(
      `\nserver render, ${RUNS} requests a page after ${WARMUP} warm-ups, one at a time (goal p95 < ${GOAL_P95_MS} ms):`,
    );
    console.log(
      `${'role'.padEnd(11)}${'page'.padEnd(16)}${'status'.padStart(6)}${'p50'.padStart(8)}${'p95'.padStart(8)}${'max'.padStart(8)}${'1st byte p95'.padStart(14)}${'kB'.padStart(7)}`,
    );
    const slow: string[] = [];
    for (const role of ['admin', 'advertiser', 'affiliate'] as const satisfies Role[]) {
      // A browser has the time zone cookie from its first visit: without it the dashboard and the
      // reports answer at once with a page that asks for it.
      const cookie = `${await sessionCookie(dashboard!, DEMO[role].email, DEMO[role].password)}; tas_tz=UTC`;
      for (const page of mainPages(role)) {
        if (!pageLanded(build.routeIds, page.path)) {
          console.log(`${role.padEnd(11)}${page.path.padEnd(16)}  not in this build`);
          continue;
        }
        const runs = [];
        for (let i = 0; i < WARMUP + RUNS; i++)
          runs.push(await timeRender(`${dashboard}${page.path}`, cookie));
        const measured = runs.slice(WARMUP);
        const ms = measured.map((r) => r.ms).sort((a, b) => a - b);
        const first = measured.map((r) => r.firstByteMs).sort((a, b) => a - b);
        const p95 = percentile(ms, 95);
        if (p95 >= GOAL_P95_MS) slow.push(`${role} ${page.path}`);
        console.log(
          `${role.padEnd(11)}${page.path.padEnd(16)}${String(measured[0]!.status).padStart(6)}` +
            `${percentile(ms, 50).toFixed(0).padStart(8)}${p95.toFixed(0).padStart(8)}${ms.at(-1)!.toFixed(0).padStart(8)}` +
            `${percentile(first, 95).toFixed(0).padStart(14)}${(measured[0]!.bytes / 1024).toFixed(0).padStart(7)}`,
        );
      }
    }
    console.log(
      slow.length
        ? `over ${GOAL_P95_MS} ms at p95: ${slow.join(', ')}`
        : `every page p95 < ${GOAL_P95_MS} ms`,
    );

    printJavaScript(build);
    console.log(`\ndone in ${seconds(performance.now() - started)}`);
  } finally {
    stopping = null;
    await cleanUp();
  }
}

await main();
