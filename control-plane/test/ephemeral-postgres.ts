import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * A throwaway PostgreSQL server for tests: initdb into a temp dir, start on a free loopback port,
 * remove everything on stop. Postgres refuses to run as root, so as root it runs as an
 * unprivileged system user created on first use.
 */
export type EphemeralPostgres = {
  port: number;
  /** URL of database `name` on this server. */
  url(name?: string): string;
  /**
   * Restarts the server in place (same port and data): sessions are closed, committed data stays.
   * A clean ("fast") shutdown, not a crash: with synchronous_commit off a crash could drop commits
   * already acknowledged, which would blame a lost write on the code under test. Asynchronous, so
   * the caller's traffic keeps flowing while the server is down.
   */
  restart(): Promise<void>;
  stop(): void;
};

const RUN_AS = 'tas-pg';

function binDir(): string {
  const onPath = spawnSync('sh', ['-c', 'command -v initdb'], { encoding: 'utf8' }).stdout.trim();
  if (onPath) return onPath.replace(/\/initdb$/, '');
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root) ? readdirSync(root).sort((a, b) => Number(b) - Number(a)) : [];
  for (const version of versions)
    if (existsSync(join(root, version, 'bin', 'initdb'))) return join(root, version, 'bin');
  throw new Error('PostgreSQL binaries (initdb, pg_ctl) not found: install the postgresql package');
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

function asPostgresUser(command: string, args: string[]): string[] {
  if (process.getuid?.() !== 0) return [command, ...args];
  if (spawnSync('id', ['-u', RUN_AS]).status !== 0) {
    execFileSync('useradd', ['--system', '--no-create-home', '--shell', '/usr/sbin/nologin', RUN_AS]);
  }
  return ['runuser', '-u', RUN_AS, '--', command, ...args];
}

function run(command: string, args: string[]) {
  const [bin, ...rest] = asPostgresUser(command, args);
  const result = spawnSync(bin!, rest, { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`${command} failed: ${result.stderr || result.stdout}`);
}

function runAsync(command: string, args: string[]): Promise<void> {
  const [bin, ...rest] = asPostgresUser(command, args);
  return new Promise((resolve, reject) => {
    const child = spawn(bin!, rest, { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.once('error', reject);
    child.once('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`${command} failed (${code}): ${stderr}`)),
    );
  });
}

export async function startEphemeralPostgres(): Promise<EphemeralPostgres> {
  const bin = binDir();
  const dir = mkdtempSync(join(tmpdir(), 'tas-pg-'));
  chmodSync(dir, 0o777);
  if (process.getuid?.() === 0) {
    asPostgresUser('true', []); // creates the user if needed
    execFileSync('chown', [RUN_AS, dir]);
  }
  const data = join(dir, 'data');
  run(join(bin, 'initdb'), [
    '-D',
    data,
    '-U',
    'postgres',
    '-A',
    'trust',
    '-E',
    'UTF8',
    '--no-locale',
    '--no-sync',
  ]);
  const port = await freePort();
  const options = `-p ${port} -k ${dir} -h 127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200`;
  run(join(bin, 'pg_ctl'), ['-D', data, '-w', '-l', join(dir, 'log'), '-o', options, 'start']);
  return {
    port,
    url: (name = 'postgres') => `postgres://postgres@127.0.0.1:${port}/${name}`,
    restart() {
      return runAsync(join(bin, 'pg_ctl'), [
        '-D',
        data,
        '-w',
        '-m',
        'fast',
        '-l',
        join(dir, 'log'),
        '-o',
        options,
        'restart',
      ]);
    },
    stop() {
      try {
        run(join(bin, 'pg_ctl'), ['-D', data, '-m', 'immediate', 'stop']);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}
