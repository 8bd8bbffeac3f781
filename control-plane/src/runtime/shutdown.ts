import type { Server } from 'node:http';
import type { Readiness } from './readiness.ts';

/** Anything running in the background that can be asked to finish (PeriodicTask and the workers). */
export type Stoppable = { name: string; stop(): Promise<void> };

export type ShutdownDeps = {
  server: Pick<Server, 'close' | 'closeIdleConnections' | 'closeAllConnections'>;
  readiness: Pick<Readiness, 'drain'>;
  tasks: Stoppable[];
  closeDatabase: () => Promise<void>;
  /** The whole shutdown must end within this (the platform's grace period minus a margin). */
  graceMs: number;
  /**
   * How long `/readyz` answers 503 while the server still takes requests, so a load balancer
   * polling it stops routing here before connections are refused (0: close at once).
   */
  delayMs?: number;
  log?: (line: string) => void;
};

export type ShutdownResult = {
  /** Everything finished within the grace period (false: connections or tasks were cut short). */
  clean: boolean;
  /** What happened, in order; tests read it. */
  steps: string[];
  elapsedMs: number;
};

// Unref'd: a pending wait never keeps the process alive by itself.
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms).unref());

/**
 * The graceful shutdown of the control plane, in this order: stop taking work (`/readyz` 503,
 * then the HTTP server closes to new connections), let in-flight requests finish while the
 * background tasks stop, then close the database pool. Requests still open when 80% of the grace
 * period has gone (a live feed never ends by itself) are cut, so the tasks and the pool keep
 * their share of it. Called once; later calls get the first call's promise.
 */
export function createShutdown(deps: ShutdownDeps): (reason: string) => Promise<ShutdownResult> {
  let running: Promise<ShutdownResult> | null = null;
  const log = deps.log ?? ((line: string) => console.log(line));
  return (reason) => {
    running ??= run(reason);
    return running;
  };

  async function run(reason: string): Promise<ShutdownResult> {
    const started = Date.now();
    const steps: string[] = [];
    const step = (what: string) => {
      steps.push(what);
      log(`control plane shutdown (${reason}): ${what} after ${Date.now() - started} ms`);
    };
    let clean = true;

    deps.readiness.drain();
    step('not ready');
    if (deps.delayMs) await sleep(Math.min(deps.delayMs, deps.graceMs / 2));

    const httpDeadlineMs = Math.max(0, deps.graceMs * 0.8 - (Date.now() - started));
    const http = new Promise<void>((resolve) => {
      // Keep-alive connections that finish their request become idle: end them as they do.
      const idle = setInterval(() => deps.server.closeIdleConnections(), 50);
      const cut = setTimeout(() => {
        clean = false;
        step('open requests cut');
        deps.server.closeAllConnections();
      }, httpDeadlineMs);
      deps.server.close(() => {
        clearInterval(idle);
        clearTimeout(cut);
        step('requests drained');
        resolve();
      });
      deps.server.closeIdleConnections();
      step('server closed to new connections');
    });
    const tasks = Promise.allSettled(
      deps.tasks.map((task) =>
        task.stop().catch((error: unknown) => {
          clean = false;
          log(`control plane shutdown: ${task.name} did not stop cleanly: ${String(error)}`);
        }),
      ),
    ).then(() => step('background tasks stopped'));

    const remaining = () => Math.max(0, deps.graceMs - (Date.now() - started));
    const finished = await Promise.race([
      Promise.all([http, tasks]).then(() => true),
      sleep(remaining()).then(() => false),
    ]);
    if (!finished) {
      clean = false;
      step('grace period over before requests and tasks ended');
    }
    try {
      const closed = await Promise.race([
        deps.closeDatabase().then(() => true),
        sleep(Math.max(remaining(), 1_000)).then(() => false),
      ]);
      if (!closed) clean = false;
      step(closed ? 'database closed' : 'database close timed out');
    } catch (error) {
      clean = false;
      log(`control plane shutdown: database did not close cleanly: ${String(error)}`);
    }
    return { clean, steps, elapsedMs: Date.now() - started };
  }
}
