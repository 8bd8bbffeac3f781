import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';

/**
 * `pnpm edge:bundle [--env production|staging] [--plan free|paid]`: bundles the edge worker as
 * `wrangler deploy --dry-run` would upload it (no account, no network), prints its size raw and
 * gzipped against Cloudflare's Worker size limit (compressed: 3 MB on the free plan, 10 MB on
 * paid; the free limit by default, the stricter), and fails above it. It first checks that the
 * environment has every binding and var of the top-level (local) configuration, since wrangler
 * inherits none of them: a binding added for local work and forgotten in production would
 * otherwise deploy a worker that fails at its first request.
 */
const ROOT = resolve(import.meta.dirname, '..');
const WRANGLER = join(ROOT, 'edge/node_modules/.bin/wrangler');
const LIMITS = { free: 3_000_000, paid: 10_000_000 } as const;

const args = process.argv.slice(2);
const option = (name: string, fallback: string) => {
  const at = args.indexOf(`--${name}`);
  return at >= 0 && args[at + 1] ? args[at + 1]! : fallback;
};
const environment = option('env', 'production');
const CONFIG = resolve(option('config', join(ROOT, 'wrangler.toml')));
const plan = option('plan', 'free');
if (plan !== 'free' && plan !== 'paid') {
  console.error('usage: edge-bundle [--env production|staging] [--plan free|paid] [--config wrangler.toml]');
  process.exit(2);
}

type RawEnvironment = {
  name?: string;
  vars?: Record<string, unknown>;
  kv_namespaces?: { binding: string }[];
  queues?: {
    producers?: { binding: string; queue: string }[];
    consumers?: { queue: string; dead_letter_queue?: string }[];
  };
  durable_objects?: { bindings?: { name: string; class_name: string }[] };
};
type RawConfig = RawEnvironment & { env?: Record<string, RawEnvironment> };

// wrangler reads its own config (TOML, JSON or JSONC); it is the edge package's dependency.
const wrangler = createRequire(join(ROOT, 'edge/package.json'))('wrangler') as {
  experimental_readRawConfig(args: { config: string }): { rawConfig: RawConfig };
};
const { rawConfig } = wrangler.experimental_readRawConfig({ config: CONFIG });
const target = rawConfig.env?.[environment];
if (!target) {
  console.error(`wrangler.toml has no [env.${environment}]`);
  process.exit(2);
}

const bindingsOf = (e: RawEnvironment) => [
  ...Object.keys(e.vars ?? {}).map((name) => `var ${name}`),
  ...(e.kv_namespaces ?? []).map((kv) => `kv ${kv.binding}`),
  ...(e.queues?.producers ?? []).map((p) => `queue producer ${p.binding}`),
  ...(e.queues?.consumers ?? []).map((c) =>
    c.dead_letter_queue ? 'queue consumer with DLQ' : 'queue consumer',
  ),
  ...(e.durable_objects?.bindings ?? []).map((d) => `durable object ${d.name} (${d.class_name})`),
];
const missing = [...bindingsOf(rawConfig)];
for (const binding of bindingsOf(target)) {
  const at = missing.indexOf(binding);
  if (at >= 0) missing.splice(at, 1);
}
const problems = missing.map((binding) => `[env.${environment}] lacks ${binding} of the top level`);
// The consumer routes on the queue's name (edge/src/index.ts): a DLQ's name ends in -dlq.
for (const consumer of target.queues?.consumers ?? []) {
  if (consumer.dead_letter_queue && !consumer.dead_letter_queue.endsWith('-dlq'))
    problems.push(`dead-letter queue ${consumer.dead_letter_queue} must end in -dlq`);
}
if (problems.length > 0) {
  console.error(`wrangler.toml environment ${environment} is incomplete:\n  ${problems.join('\n  ')}`);
  process.exit(1);
}

const work = mkdtempSync(join(tmpdir(), 'tas-edge-bundle-'));
const outdir = join(work, 'bundle');
try {
  const started = Date.now();
  const run = spawnSync(
    WRANGLER,
    ['deploy', '--dry-run', '--config', CONFIG, '--env', environment, '--outdir', outdir],
    {
      cwd: ROOT,
      encoding: 'utf8',
      env: {
        ...process.env,
        WRANGLER_SEND_METRICS: 'false',
        CLOUDFLARE_CF_FETCH_ENABLED: 'false',
        WRANGLER_LOG: 'warn',
        WRANGLER_LOG_PATH: join(work, 'logs'),
      },
    },
  );
  if (run.status !== 0) {
    console.error(`wrangler deploy --dry-run failed:\n${run.stdout}${run.stderr}`);
    process.exit(1);
  }
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  // What is uploaded: the modules (not their source maps, which wrangler uploads only on request).
  const files = readdirSync(outdir, { recursive: true, encoding: 'utf8' })
    .map((file) => join(outdir, file))
    .filter((path) => statSync(path).isFile() && !path.endsWith('.map') && !path.endsWith('README.md'));
  const contents = files.map((path) => readFileSync(path));
  const raw = contents.reduce((sum, bytes) => sum + bytes.length, 0);
  const gzip = gzipSync(Buffer.concat(contents), { level: 9 }).length;
  const limit = LIMITS[plan];
  const kib = (bytes: number) => `${(bytes / 1024).toFixed(1)} KiB`;
  console.log(
    `edge bundle (${environment}, wrangler deploy --dry-run in ${seconds} s): ${files.length} module(s), ` +
      `${kib(raw)} raw, ${kib(gzip)} gzip = ${((100 * gzip) / limit).toFixed(1)}% of the ${plan} plan's ` +
      `${limit / 1_000_000} MB compressed limit (free 3 MB, paid 10 MB)`,
  );
  if (gzip > limit) {
    console.error(`the edge bundle is over the Workers ${plan} plan limit`);
    process.exit(1);
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
