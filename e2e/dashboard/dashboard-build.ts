import { execFileSync, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  cpSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  symlinkSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '../..');
const DASHBOARD = join(ROOT, 'dashboard');
/** What a build is made of, besides shared/ (a workspace package, read in place). */
const SOURCES = ['app', 'package.json', 'vite.config.ts', 'react-router.config.ts', 'tsconfig.json'];
const BUILDS = join(tmpdir(), 'tas-dashboard-builds');

export type DashboardBuild = {
  /** The folder holding build/server/index.js and build/client, for react-router-serve. */
  root: string;
  /** The route modules in the build (`routes/_app.offers._index`): which pages exist in it. */
  routeIds: string[];
  /** Whether this call built it (false: an unchanged build was reused). */
  built: boolean;
  ms: number;
};

/**
 * Which dashboard to build: the working tree (default; what `npm test` checks), or HEAD, the
 * pages committed so far (steady while others are half-way through editing theirs).
 */
export type DashboardSource = 'worktree' | 'head';

function* files(dir: string): Generator<string> {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name === 'build' || entry.name === '.react-router') continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* files(path);
    else if (entry.isFile()) yield path;
  }
}

function hashOf(dirs: string[]): string {
  const hash = createHash('sha256');
  for (const dir of dirs)
    for (const file of [...files(dir)].sort())
      hash.update(relative(dir, file)).update('\0').update(readFileSync(file));
  return hash.digest('hex').slice(0, 16);
}

/** A frozen copy of the dashboard's sources, laid out as in the repository (tsconfig extends ../). */
function stage(source: DashboardSource, into: string): string {
  const dashboard = join(into, 'dashboard');
  mkdirSync(dashboard, { recursive: true });
  cpSync(join(ROOT, 'tsconfig.base.json'), join(into, 'tsconfig.base.json'));
  if (source === 'head') {
    const tar = execFileSync(
      'git',
      ['archive', '--format=tar', 'HEAD', ...SOURCES.map((s) => `dashboard/${s}`)],
      {
        cwd: ROOT,
        maxBuffer: 256 * 1024 * 1024,
      },
    );
    execFileSync('tar', ['-x', '-C', into], { input: tar });
  } else {
    for (const name of SOURCES) cpSync(join(DASHBOARD, name), join(dashboard, name), { recursive: true });
  }
  return dashboard;
}

/**
 * The dashboard's packages, one link each into dashboard/node_modules: the build and the server
 * resolve them from here, while Vite's cache (node_modules/.vite) stays this build's own and
 * never touches the dev server's.
 */
function linkPackages(dashboard: string) {
  const modules = join(dashboard, 'node_modules');
  mkdirSync(modules);
  for (const name of readdirSync(join(DASHBOARD, 'node_modules'))) {
    if (name.startsWith('.') && name !== '.bin') continue;
    symlinkSync(join(DASHBOARD, 'node_modules', name), join(modules, name));
  }
}

function run(command: string, args: string[], cwd: string): Promise<void> {
  return new Promise((done, fail) => {
    const child = spawn(command, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    for (const stream of [child.stdout, child.stderr]) stream.on('data', (c: Buffer) => (output += c));
    child.once('error', fail);
    child.once('exit', (code) =>
      code === 0
        ? done()
        : fail(new Error(`${command} ${args.join(' ')} failed (${code}):\n${output.slice(-3000)}`)),
    );
  });
}

/**
 * The dashboard's production build (`react-router build`), as react-router-serve runs it in
 * production: tests and the bench measure what users get, not Vite's dev server compiling each
 * module on first request. Built from a copy in the OS temp folder, so neither a file saved
 * half-way by someone else nor their own build in dashboard/build gets in its way; kept per hash
 * of its sources, so a second test file, or a rerun with nothing changed, reuses it.
 */
export async function dashboardBuild(
  source: DashboardSource = process.env.TAS_E2E_DASHBOARD_SOURCE === 'head' ? 'head' : 'worktree',
): Promise<DashboardBuild> {
  const started = performance.now();
  mkdirSync(BUILDS, { recursive: true });
  const staging = join(BUILDS, `${process.pid}-${Date.now().toString(36)}.tmp`);
  try {
    const dashboard = stage(source, staging);
    const hash = hashOf([dashboard, join(ROOT, 'shared', 'src')]);
    const root = join(BUILDS, hash, 'dashboard');
    if (!existsSync(join(root, 'build', 'server', 'index.js'))) {
      linkPackages(dashboard);
      await run(join(DASHBOARD, 'node_modules/.bin/react-router'), ['build'], dashboard);
      rmSync(join(BUILDS, hash), { recursive: true, force: true });
      renameSync(staging, join(BUILDS, hash));
      prune(join(BUILDS, hash));
      return { root, routeIds: routeIdsOf(root), built: true, ms: performance.now() - started };
    }
    return { root, routeIds: routeIdsOf(root), built: false, ms: performance.now() - started };
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}

/** Keeps the three newest builds, and any made in the last hour (another run may be serving it). */
function prune(keep: string) {
  const hourAgo = Date.now() - 3_600_000;
  const all = readdirSync(BUILDS)
    .map((name) => join(BUILDS, name))
    .filter((path) => path !== keep && !path.endsWith('.tmp'))
    .sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs);
  for (const old of all.slice(2))
    if (statSync(old).mtimeMs < hourAgo) rmSync(old, { recursive: true, force: true });
}

/** Route ids from the build's client manifest (`window.__reactRouterManifest={...}`). */
function routeIdsOf(root: string): string[] {
  const assets = join(root, 'build', 'client', 'assets');
  const manifest = readdirSync(assets).find((name) => /^manifest-[\w-]+\.js$/.test(name));
  if (!manifest) throw new Error(`no React Router manifest in ${assets}`);
  const text = readFileSync(join(assets, manifest), 'utf8');
  return [...text.matchAll(/"id":"(routes\/[^"]+)"/g)].map((m) => m[1]!);
}

/** Route ids of the source tree, for `react-router dev`, which serves whatever is there. */
export function sourceRouteIds(): string[] {
  return readdirSync(join(DASHBOARD, 'app', 'routes'))
    .filter((name) => /\.tsx?$/.test(name) && !/\.test\.tsx?$/.test(name))
    .map((name) => `routes/${name.replace(/\.tsx?$/, '')}`);
}
