import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import { ensureDevSecrets, writeEdgeEnvFile } from './dev-secrets.ts';

/**
 * Starts the whole stack as child processes: the edge in local workerd (wrangler dev: KV, Queue
 * and Durable Objects simulated locally), the control plane on Node (embedded PGlite unless a
 * DATABASE_URL is given), and optionally the dashboard. Used by `pnpm dev` and by e2e tests.
 */
export type StackOptions = {
  stateDir: string;
  ports: { edge: number; api: number; dashboard?: number };
  databaseUrl?: string;
  seedDemo: boolean;
  /** Where the edge's Queue consumer sends batches; defaults to the control plane. */
  ingestUrl?: string;
  /**
   * How the dashboard runs when ports.dashboard is given: `react-router dev` (default), or the
   * production build in `buildRoot`/build (server/index.js and client/, as `react-router build`
   * writes them; the dashboard's packages must resolve from buildRoot) served by react-router-serve.
   */
  dashboard?: { buildRoot: string; sessionSecret: string };
  /** More settings of the control plane (e.g. POSTBACK_ALLOW_PRIVATE_NETWORKS for local receivers). */
  apiEnv?: Record<string, string>;
  log?: (service: string, line: string) => void;
};

export type ServiceName = 'edge' | 'api' | 'dashboard';

export type Stack = {
  urls: { edge: string; api: string; dashboard: string | null };
  secrets: ReturnType<typeof ensureDevSecrets>;
  stop(): Promise<void>;
  /** Stops one service (its whole process group) and waits until it has exited. */
  stopService(name: ServiceName): Promise<void>;
  /** Starts a stopped service again, same command and settings; resolves once it answers. */
  startService(name: ServiceName): Promise<void>;
  /** stopService then startService: how fault-injection runs take a service down mid-stream. */
  restart(name: ServiceName): Promise<void>;
};

const ROOT = resolve(import.meta.dirname, '..');

export async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address
          ? resolvePort(address.port)
          : reject(new Error('no free port')),
      );
    });
  });
}

async function waitFor(url: string, child: ChildProcess, name: string, timeoutMs = 90_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null)
      throw new Error(`${name} exited with code ${child.exitCode} before it was ready`);
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(2000) });
      if (response.status < 500) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${name} did not answer at ${url} within ${timeoutMs} ms`);
}

export async function startStack(options: StackOptions): Promise<Stack> {
  const stateDir = resolve(options.stateDir);
  const secrets = ensureDevSecrets(stateDir);
  const envFile = writeEdgeEnvFile(stateDir, secrets);
  const log = options.log ?? ((service, line) => console.log(`[${service}] ${line}`));
  // A restarted service keeps its place, so stop() still ends the services in reverse start order.
  const children: { name: ServiceName; child: ChildProcess; respawn: () => ChildProcess }[] = [];
  const urls = {
    edge: `http://127.0.0.1:${options.ports.edge}`,
    api: `http://127.0.0.1:${options.ports.api}`,
    dashboard: options.ports.dashboard ? `http://127.0.0.1:${options.ports.dashboard}` : null,
  };

  const launch = (
    name: ServiceName,
    command: string,
    args: string[],
    cwd: string,
    env: Record<string, string>,
  ) => {
    const child = spawnService(name, command, args, cwd, env);
    children.push({ name, child, respawn: () => spawnService(name, command, args, cwd, env) });
    return child;
  };

  function spawnService(
    name: ServiceName,
    command: string,
    args: string[],
    cwd: string,
    env: Record<string, string>,
  ) {
    const child = spawn(command, args, {
      cwd,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
      // Own process group, so stop() ends the service and everything it started.
      detached: true,
    });
    for (const stream of [child.stdout, child.stderr]) {
      let buffered = '';
      stream?.on('data', (chunk: Buffer) => {
        buffered += chunk.toString();
        const lines = buffered.split('\n');
        buffered = lines.pop() ?? '';
        for (const line of lines) if (line.trim()) log(name, line);
      });
    }
    return child;
  }

  const end = (child: ChildProcess) =>
    new Promise<void>((done) => {
      if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return done();
      const kill = (signal: NodeJS.Signals) => {
        try {
          process.kill(-child.pid!, signal);
        } catch {
          // already gone
        }
      };
      const force = setTimeout(() => kill('SIGKILL'), 5000);
      child.once('exit', () => {
        clearTimeout(force);
        done();
      });
      kill('SIGTERM');
    });

  const stop = async () => {
    await Promise.all([...children].reverse().map(({ child }) => end(child)));
  };

  const serviceNamed = (name: ServiceName) => {
    const service = children.find((c) => c.name === name);
    if (!service) throw new Error(`${name} is not part of this stack`);
    return service;
  };
  const healthUrls: Record<ServiceName, string> = {
    edge: `${urls.edge}/healthz`,
    api: `${urls.api}/healthz`,
    dashboard: urls.dashboard ?? '',
  };
  const stopService = (name: ServiceName) => end(serviceNamed(name).child);
  const startService = async (name: ServiceName) => {
    const service = serviceNamed(name);
    if (service.child.exitCode === null && service.child.signalCode === null)
      throw new Error(`${name} is still running`);
    service.child = service.respawn();
    await waitFor(healthUrls[name], service.child, name);
  };

  try {
    const edge = launch(
      'edge',
      join(ROOT, 'edge/node_modules/.bin/wrangler'),
      [
        'dev',
        '--config',
        join(ROOT, 'wrangler.toml'),
        '--ip',
        '127.0.0.1',
        '--port',
        String(options.ports.edge),
        '--inspector-port',
        String(await freePort()),
        '--persist-to',
        join(stateDir, 'edge'),
        '--env-file',
        envFile,
        '--var',
        `CONTROL_PLANE_URL:${options.ingestUrl ?? urls.api}`,
        '--show-interactive-dev-session=false',
        '--log-level',
        'warn',
      ],
      ROOT,
      {
        WRANGLER_SEND_METRICS: 'false',
        CLOUDFLARE_CF_FETCH_ENABLED: 'false',
        WRANGLER_LOG_PATH: join(stateDir, 'wrangler-logs'),
      },
    );
    await waitFor(`${urls.edge}/healthz`, edge, 'edge');

    const api = launch(
      'api',
      join(ROOT, 'control-plane/node_modules/.bin/tsx'),
      ['src/server.ts'],
      join(ROOT, 'control-plane'),
      {
        PORT: String(options.ports.api),
        HOST: '127.0.0.1',
        EDGE_URL: urls.edge,
        PGLITE_DIR: join(stateDir, 'pglite'),
        SEED_DEMO: options.seedDemo ? '1' : '0',
        // The stack's own tools (e2e tests, truth, the dashboard bench) make far more requests per
        // user and, through the dashboard's server, from one address than any person: no limits.
        RATE_LIMIT_API_KEY_PER_MINUTE: '0',
        RATE_LIMIT_USER_PER_MINUTE: '0',
        RATE_LIMIT_IP_PER_MINUTE: '0',
        INGEST_SIGNING_SECRET: secrets.INGEST_SIGNING_SECRET,
        CONFIG_SIGNING_SECRET: secrets.CONFIG_SIGNING_SECRET,
        // Links in emails (verification, password reset) open this stack's dashboard.
        ...(urls.dashboard ? { PUBLIC_APP_URL: urls.dashboard } : {}),
        ...(options.databaseUrl ? { DATABASE_URL: options.databaseUrl } : {}),
        ...options.apiEnv,
      },
    );
    await waitFor(`${urls.api}/healthz`, api, 'control plane');

    if (options.ports.dashboard) {
      const dashboardEnv = { TAS_EDGE_URL: urls.edge, TAS_API_URL: urls.api };
      const dashboard = options.dashboard
        ? launch(
            'dashboard',
            join(ROOT, 'dashboard/node_modules/.bin/react-router-serve'),
            ['build/server/index.js'],
            // The server build finds its assets at build/client relative to its working folder.
            options.dashboard.buildRoot,
            {
              ...dashboardEnv,
              NODE_ENV: 'production',
              HOST: '127.0.0.1',
              PORT: String(options.ports.dashboard),
              SESSION_SECRET: options.dashboard.sessionSecret,
            },
          )
        : launch(
            'dashboard',
            join(ROOT, 'dashboard/node_modules/.bin/react-router'),
            ['dev', '--host', '127.0.0.1', '--port', String(options.ports.dashboard), '--strictPort'],
            join(ROOT, 'dashboard'),
            dashboardEnv,
          );
      await waitFor(urls.dashboard!, dashboard, 'dashboard');
    }
  } catch (error) {
    await stop();
    throw error;
  }
  return {
    urls,
    secrets,
    stop,
    stopService,
    startService,
    restart: async (name) => {
      await stopService(name);
      await startService(name);
    },
  };
}
