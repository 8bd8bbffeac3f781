/**
 * Click handler throughput against a bare 302, in one process and one run (issue 3's goal: the
 * full click handler at >= 50% of the bare 302's throughput).
 *
 * Both workers run in the same Miniflare (workerd) instance, each on its own direct socket (no
 * wrangler dev proxy), and are loaded by the same autocannon client with the same settings.
 * Local KV, Queues and Durable Objects are simulated, so only the ratio means anything.
 *
 *   pnpm --filter @tas/edge bench            (BENCH_SECONDS, BENCH_CONNECTIONS to change the load)
 */
import { fileURLToPath } from 'node:url';
import { offerConfigSchema } from '@tas/shared/offer-config';
import { signBody } from '@tas/shared/signature';
import autocannon from 'autocannon';
import { build } from 'esbuild';
import { Miniflare } from 'miniflare';
import { EVENT_QUEUE_BINDINGS } from '../src/queue/event-queues.ts';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 32);
const CONFIG_SECRET = 'bench-config-secret-0123456789abcdefghijkl';
const UA =
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';

const bundle = await build({
  entryPoints: [fileURLToPath(new URL('../src/index.ts', import.meta.url))],
  bundle: true,
  format: 'esm',
  platform: 'neutral',
  target: 'es2022',
  conditions: ['workerd', 'worker', 'browser'],
  mainFields: ['module', 'main'],
  external: ['cloudflare:*', 'node:*'],
  write: false,
  minify: true,
});
const edgeScript = bundle.outputFiles[0]!.text;

const EVENT_QUEUES = EVENT_QUEUE_BINDINGS.map((_, n) => (n === 0 ? 'tas-events' : `tas-events-${n}`));

const mf = new Miniflare({
  workers: [
    {
      name: 'bare',
      modules: true,
      script: `export default { fetch() { return new Response(null, { status: 302, headers: { location: 'https://adv.test/land', 'cache-control': 'no-store' } }); } };`,
      unsafeDirectSockets: [{ host: '127.0.0.1', port: 0 }],
    },
    {
      // Drains the events queue as the control plane's consumer would, so queued events do not
      // pile up in the local broker's memory for the length of the benchmark.
      name: 'sink',
      modules: true,
      script: 'export default { async queue(batch) { batch.ackAll(); } };',
      queueConsumers: Object.fromEntries(
        EVENT_QUEUES.map((queue) => [queue, { maxBatchSize: 100, maxBatchTimeout: 1 }]),
      ),
    },
    {
      name: 'edge',
      modules: true,
      script: edgeScript,
      compatibilityDate: '2026-04-20',
      compatibilityFlags: ['nodejs_compat'],
      kvNamespaces: { CONFIG: 'bench-config' },
      // The events queue's shards, as in wrangler.toml (edge/src/queue/event-queues.ts).
      queueProducers: Object.fromEntries(
        EVENT_QUEUE_BINDINGS.map((binding, n) => [binding, { queueName: EVENT_QUEUES[n]! }]),
      ),
      durableObjects: {
        FRAUD: { className: 'FraudCounter', useSQLite: true },
        CAPS: { className: 'CapCounter', useSQLite: true },
        DEDUPE: { className: 'ConversionDedupe', useSQLite: true },
        DEAD_LETTERS: { className: 'DeadLetterStore', useSQLite: true },
      },
      bindings: {
        CLICK_ID_KEYS: JSON.stringify([{ id: 1, secret: 'bench-click-secret-0123456789abcdefghijkl' }]),
        INGEST_SIGNING_SECRET: 'bench-ingest-secret-0123456789abcdefghijkl',
        CONFIG_SIGNING_SECRET: CONFIG_SECRET,
        CONTROL_PLANE_URL: 'http://127.0.0.1:9',
        DEFAULT_FALLBACK_URL: 'https://fallback.test/',
        CONFIG_CACHE_TTL_MS: '5000',
      },
      unsafeDirectSockets: [{ host: '127.0.0.1', port: 0 }],
    },
  ],
});

try {
  await mf.ready;
  const bareUrl = (await mf.unsafeGetDirectURL('bare')).toString().replace(/\/$/, '');
  const edgeUrl = (await mf.unsafeGetDirectURL('edge')).toString().replace(/\/$/, '');

  const offer = (id: number, extra: object = {}) =>
    offerConfigSchema.parse({
      id,
      status: 'active',
      destinationUrl: 'https://adv.test/land?cid={click_id}&s1={sub1}&a={aff_id}',
      fallbackUrl: 'https://fallback.test/',
      visibility: 'public',
      approvedAffiliateIds: [],
      defaultEvent: 'conversion',
      events: ['conversion'],
      attributionWindowHours: 720,
      currency: 'USD',
      postbackSecretSha256: null,
      revision: 1,
      ...extra,
    });
  const body = JSON.stringify({
    upsert: {
      offers: [
        offer(1),
        offer(2, { fraud: { duplicateClickWindowSeconds: 3600 } }),
        offer(3, {
          caps: { offer: { dailyClicks: 100_000_000 } },
          fraud: { duplicateClickWindowSeconds: 3600, action: 'fallback' },
        }),
        // The plain click with an offer cap and a per-affiliate cap: the caps are the only thing
        // its answer waits for (issue 13's "capped path").
        offer(4, {
          caps: { offer: { dailyClicks: 100_000_000 }, perAffiliate: { dailyClicks: 100_000_000 } },
        }),
      ],
      affiliates: [{ id: 7, status: 'active', revision: 1 }],
    },
  });
  const published = await fetch(`${edgeUrl}/internal/config`, {
    method: 'POST',
    headers: { 'x-tas-signature': await signBody(CONFIG_SECRET, '/internal/config', body) },
    body,
  });
  if (!published.ok) throw new Error(`publish failed: ${published.status} ${await published.text()}`);

  const run = async (name: string, url: string) => {
    // Warm up (JIT, caches), then measure.
    await autocannon({ url, connections: CONNECTIONS, duration: 2, headers: { 'user-agent': UA } });
    const result = await autocannon({
      url,
      connections: CONNECTIONS,
      duration: SECONDS,
      headers: { 'user-agent': UA },
    });
    const non3xx = result.non2xx - (result.statusCodeStats?.['302']?.count ?? 0);
    const statuses = Object.entries(result.statusCodeStats ?? {})
      .map(([code, stat]) => `${code}:${(stat as { count: number }).count}`)
      .join(' ');
    return {
      name,
      statuses,
      rps: result.requests.average,
      p50: result.latency.p50,
      p99: result.latency.p99,
      errors: result.errors + result.timeouts + Math.max(0, non3xx),
    };
  };

  // Bare and click alternate three times so that drift in the machine's load affects both alike;
  // each is reported by its median run, and every pair's ratio is printed.
  // The capped path alternates with them too (issue 13's goal is its ratio).
  const bareRuns: Awaited<ReturnType<typeof run>>[] = [];
  const clickRuns: Awaited<ReturnType<typeof run>>[] = [];
  const cappedRuns: Awaited<ReturnType<typeof run>>[] = [];
  for (let i = 0; i < 3; i++) {
    bareRuns.push(await run('bare 302', `${bareUrl}/c/1?aff_id=7&sub1=bench`));
    clickRuns.push(await run('click handler', `${edgeUrl}/c/1?aff_id=7&sub1=bench`));
    cappedRuns.push(await run('click + offer & affiliate cap', `${edgeUrl}/c/4?aff_id=7&sub1=bench`));
  }
  const median = <T extends { rps: number }>(runs: T[]) => [...runs].sort((a, b) => a.rps - b.rps)[1]!;
  const bare = median(bareRuns);
  const click = median(clickRuns);
  const pairRatios = bareRuns.map((b, i) => `${((clickRuns[i]!.rps / b.rps) * 100).toFixed(1)}%`).join(', ');
  const flagged = await run('click + fraud counter (after answer)', `${edgeUrl}/c/2?aff_id=7&sub1=bench`);
  const capped = median(cappedRuns);
  const cappedRatios = bareRuns
    .map((b, i) => `${((cappedRuns[i]!.rps / b.rps) * 100).toFixed(1)}%`)
    .join(', ');
  const cappedFraud = await run('click + cap + fraud (before answer)', `${edgeUrl}/c/3?aff_id=7&sub1=bench`);

  console.log(
    `\nedge click benchmark: ${SECONDS} s per run (bare, click and capped: median of 3 alternating runs), ${CONNECTIONS} connections, workerd via Miniflare direct sockets\n`,
  );
  console.log('run                                      req/s     p50 ms   p99 ms   errors   vs bare');
  for (const r of [bare, click, flagged, capped, cappedFraud]) {
    console.log(
      `${r.name.padEnd(40)} ${r.rps.toFixed(0).padStart(7)} ${String(r.p50).padStart(9)} ${String(r.p99).padStart(8)} ${String(r.errors).padStart(8)} ${((r.rps / bare.rps) * 100).toFixed(1).padStart(8)}%`,
    );
  }
  for (const r of [bare, click, flagged, capped, cappedFraud])
    console.log(`${r.name}: status codes ${r.statuses}`);
  console.log(
    `\nclick handler / bare 302 = ${((click.rps / bare.rps) * 100).toFixed(1)}% (goal >= 50%); per pair: ${pairRatios}`,
  );
  console.log(
    `capped path (offer + affiliate cap) / bare 302 = ${((capped.rps / bare.rps) * 100).toFixed(1)}% (goal >= 40%); per pair: ${cappedRatios}; with a fallback fraud rule too: ${((cappedFraud.rps / bare.rps) * 100).toFixed(1)}%`,
  );
} finally {
  await mf.dispose();
}
