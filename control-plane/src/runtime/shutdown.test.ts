import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { afterEach, describe, expect, it } from 'vitest';
import { createShutdown, type ShutdownDeps } from './shutdown.ts';

const servers: Server[] = [];
afterEach(() => {
  for (const server of servers.splice(0)) server.closeAllConnections();
});

/**
 * A server on a free port: `/slow` waits until released, `/forever` streams without end (like a
 * live feed), `/readyz` follows the readiness given to the shutdown. Events are recorded in order.
 */
async function start() {
  const events: string[] = [];
  let draining = false;
  let release = () => {};
  const released = new Promise<void>((resolve) => {
    release = resolve;
  });
  const app = new Hono()
    .get('/readyz', (c) => c.json({ draining }, draining ? 503 : 200))
    .get('/slow', async (c) => {
      events.push('slow request started');
      await released;
      events.push('slow request answered');
      return c.text('done');
    })
    .get('/forever', (c) => {
      events.push('endless request started');
      return c.body(
        new ReadableStream({ start: (stream) => stream.enqueue(new TextEncoder().encode(':\n')) }),
      );
    });
  const server = await new Promise<Server>((resolve) => {
    const s = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s as Server));
  });
  servers.push(server);
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const deps = (overrides: Partial<ShutdownDeps> = {}): ShutdownDeps => ({
    server,
    readiness: {
      drain: () => {
        draining = true;
        events.push('drained');
      },
    },
    tasks: [
      { name: 'outbox', stop: async () => void events.push('outbox stopped') },
      { name: 'sweeper', stop: async () => void events.push('sweeper stopped') },
    ],
    closeDatabase: async () => void events.push('database closed'),
    graceMs: 5_000,
    log: () => {},
    ...overrides,
  });
  return { server, url, events, release, deps };
}

const refused = (url: string) =>
  fetch(url, { signal: AbortSignal.timeout(2_000) }).then(
    () => false,
    () => true,
  );

describe('graceful shutdown', () => {
  it('stops taking work, drains the request under way, stops the tasks, then closes the pool', async () => {
    const { url, events, release, deps } = await start();
    const inFlight = fetch(`${url}/slow`);
    while (!events.includes('slow request started')) await new Promise((r) => setTimeout(r, 10));

    const shutdown = createShutdown(deps());
    const done = shutdown('SIGTERM');
    expect(events).toContain('drained');
    expect(await refused(`${url}/readyz`)).toBe(true);

    release();
    const response = await inFlight;
    expect(response.status).toBe(200);
    expect(await response.text()).toBe('done');
    const result = await done;

    expect(result.clean).toBe(true);
    expect(result.steps).toEqual([
      'not ready',
      'server closed to new connections',
      'background tasks stopped',
      'requests drained',
      'database closed',
    ]);
    expect(events.indexOf('drained')).toBeLessThan(events.indexOf('slow request answered'));
    expect(events.at(-1)).toBe('database closed');
    expect(events.indexOf('slow request answered')).toBeLessThan(events.indexOf('database closed'));
    expect(events).toContain('outbox stopped');
    expect(events).toContain('sweeper stopped');
    // A second signal does not start a second shutdown.
    expect(await shutdown('SIGINT')).toBe(result);
  });

  it('answers /readyz 503 during the delay, then refuses connections', async () => {
    const { url, deps } = await start();
    const done = createShutdown(deps({ delayMs: 300 }))('SIGTERM');
    expect((await fetch(`${url}/readyz`)).status).toBe(503);
    expect((await done).clean).toBe(true);
    expect(await refused(`${url}/readyz`)).toBe(true);
  });

  it('cuts a request that never ends within the grace period, and still closes the pool', async () => {
    const { url, events, deps } = await start();
    const response = await fetch(`${url}/forever`);
    expect(response.status).toBe(200);
    const body = response.text().catch(() => 'cut');
    const result = await createShutdown(deps({ graceMs: 1_000 }))('SIGTERM');
    expect(await body).toBe('cut');
    expect(result.clean).toBe(false);
    expect(result.steps).toContain('open requests cut');
    expect(result.elapsedMs).toBeLessThan(1_500);
    expect(events.at(-1)).toBe('database closed');
  });

  it('closes the pool when a task overruns the grace period', async () => {
    const { events, deps } = await start();
    const stuck = { name: 'stuck', stop: () => new Promise<void>(() => {}) };
    const result = await createShutdown(deps({ graceMs: 1_000, tasks: [stuck] }))('SIGTERM');
    expect(result.clean).toBe(false);
    expect(result.steps).toContain('grace period over before requests and tasks ended');
    expect(result.steps.at(-1)).toBe('database closed');
    expect(events.at(-1)).toBe('database closed');
    expect(result.elapsedMs).toBeLessThan(1_500);
  });
});
