import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  cpSync,
  existsSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { join, relative, resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '../..');
const DASHBOARD = join(ROOT, 'dashboard');
/**
 * Builds are kept in dashboard/node_modules (ignored by git; inside dashboard/ so the server
 * build's packages resolve), one folder per hash of the sources: a second test file or a rerun
 * with nothing changed starts at once, and a build another engineer makes in dashboard/build
 * meanwhile cannot pull the assets from under a running test.
 */
const SNAPSHOTS = join(DASHBOARD, 'node_modules', '.tas-e2e-build');

export type DashboardBuild = {
  /** The folder holding build/server/index.js and build/client, for react-router-serve. */
  root: string;
  /** Whether this call built it (false: an unchanged build was reused). */
  built: boolean;
  ms: number;
};

function* files(dir: string): Generator<string> {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name === '+types') continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* files(path);
    else if (entry.isFile()) yield path;
  }
}

/** What the build is made of: the dashboard's app and config, and the shared package it imports. */
function sourceHash(): string {
  const hash = createHash('sha256');
  const inputs = [
    ...files(join(DASHBOARD, 'app')),
    ...files(join(ROOT, 'shared')),
    ...['package.json', 'vite.config.ts', 'react-router.config.ts', 'tsconfig.json'].map((f) =>
      join(DASHBOARD, f),
    ),
  ].filter((f) => existsSync(f) && !/\.test\.tsx?$/.test(f));
  for (const file of inputs.sort()) hash.update(relative(ROOT, file)).update('\0').update(readFileSync(file));
  return hash.digest('hex').slice(0, 16);
}

function run(command: string, args: string[], cwd: string): Promise<void> {
  return new Promise((done, fail) => {
    const child = spawn(command, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    for (const stream of [child.stdout, child.stderr]) stream.on('data', (c: Buffer) => (output += c));
    child.once('error', fail);
    child.once('exit', (code) =>
      code === 0 ? done() : fail(new Error(`${command} ${args.join(' ')} failed (${code}):\n${output}`)),
    );
  });
}

/**
 * The dashboard's production build (`react-router build`), as react-router-serve runs it in
 * production: tests and the bench measure what users get, not Vite's dev server compiling each
 * module on first request.
 */
export async function dashboardBuild(): Promise<DashboardBuild> {
  const started = performance.now();
  const hash = sourceHash();
  const root = join(SNAPSHOTS, hash);
  if (existsSync(join(root, 'build', 'server', 'index.js')))
    return { root, built: false, ms: performance.now() - started };
  await run(join(DASHBOARD, 'node_modules/.bin/react-router'), ['build'], DASHBOARD);
  const staging = `${root}.${process.pid}.tmp`;
  rmSync(staging, { recursive: true, force: true });
  cpSync(join(DASHBOARD, 'build'), join(staging, 'build'), { recursive: true });
  writeFileSync(join(staging, 'SOURCE_HASH'), `${hash}\n`);
  rmSync(root, { recursive: true, force: true });
  renameSync(staging, root);
  pruneSnapshots(root);
  return { root, built: true, ms: performance.now() - started };
}

/** Keeps the three newest builds. */
function pruneSnapshots(keep: string) {
  const all = readdirSync(SNAPSHOTS)
    .map((name) => join(SNAPSHOTS, name))
    .filter((path) => path !== keep && !path.endsWith('.tmp'))
    .sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs);
  for (const old of all.slice(2)) rmSync(old, { recursive: true, force: true });
}
