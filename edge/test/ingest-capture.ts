import { type IngestBatch, ingestRequestSchema, trackingEventSchema } from '@tas/shared/events';
import { verifyBody } from '@tas/shared/signature';
import { vi } from 'vitest';
import { TEST_SECRETS } from './test-secrets.ts';

/**
 * Stands in for the control plane's /internal/ingest (a remote peer of the edge): it captures
 * every batch the real Queue consumer posts, checks its signature and schema, and answers with
 * the status the test chooses. Like the real ingest it judges events one by one: invalid ones are
 * kept apart (`quarantined`), the valid ones captured. `failWhen` makes it answer 500 to any
 * request holding an event the test names (a poison event the ingest cannot store). Other
 * requests pass through.
 */
export function captureIngest() {
  const batches: IngestBatch[] = [];
  const quarantined: unknown[] = [];
  const requests: number[] = [];
  let status = 200;
  let poison: ((event: unknown) => boolean) | null = null;
  let defer: ((event: unknown) => boolean) | null = null;
  const deferred: unknown[] = [];
  const canDeferAsked: boolean[] = [];
  const original = globalThis.fetch;
  const spy = vi.spyOn(globalThis, 'fetch').mockImplementation(async (input, init) => {
    const request = new Request(input, init);
    if (!new URL(request.url).pathname.endsWith('/internal/ingest')) return original(input, init);
    const body = await request.text();
    const check = await verifyBody(
      TEST_SECRETS.INGEST_SIGNING_SECRET,
      new URL(request.url).pathname,
      body,
      request.headers.get('x-tas-signature'),
    );
    if (!check.ok) throw new Error(`consumer sent a badly signed batch: ${check.reason}`);
    const { events, canDefer } = ingestRequestSchema.parse(JSON.parse(body));
    requests.push(events.length);
    canDeferAsked.push(canDefer);
    if (status === 200 && poison && events.some(poison))
      return new Response(JSON.stringify({ error: 'poison' }), { status: 500 });
    if (status !== 200) return new Response(JSON.stringify({ ok: false }), { status });
    const held = canDefer && defer ? events.filter(defer) : [];
    deferred.push(...held);
    const valid = events.flatMap((e) => {
      if (held.includes(e)) return [];
      const parsed = trackingEventSchema.safeParse(e);
      if (!parsed.success) quarantined.push(e);
      return parsed.success ? [parsed.data] : [];
    });
    if (valid.length > 0) batches.push({ events: valid });
    const deferredIds = held.map((e) => (e as { id: string }).id);
    return new Response(JSON.stringify({ ok: true, deferred: deferredIds }), { status });
  });
  return {
    batches,
    events: () => batches.flatMap((b) => b.events),
    /** Conversions of one offer. */
    conversionsOf: (offerId: number) => () =>
      batches
        .flatMap((b) => b.events)
        .flatMap((e) => (e.type === 'conversion' && e.offerId === offerId ? [e] : [])),
    /** Events of one offer: tests use their own offer ids, since the Queue outlives a test. */
    eventsOf: (offerId: number) => () =>
      batches.flatMap((b) => b.events).filter((e) => e.offerId === offerId),
    quarantined,
    /** Events answered `deferred`, each time it was. */
    deferred,
    /** Whether each request said `canDefer`. */
    canDeferAsked,
    /** Number of events in each request the consumer made, answered or not. */
    requests,
    failWith(next: number) {
      status = next;
    },
    failWhen(predicate: ((event: unknown) => boolean) | null) {
      poison = predicate;
    },
    deferWhen(predicate: ((event: unknown) => boolean) | null) {
      defer = predicate;
    },
    restore: () => spy.mockRestore(),
  };
}

/** Polls until `predicate` holds (events travel through the Queue asynchronously). */
export async function eventually<T>(
  read: () => T,
  predicate: (value: T) => boolean,
  timeoutMs = 8000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = read();
    if (predicate(value)) return value;
    if (Date.now() > deadline)
      throw new Error(`condition not met within ${timeoutMs} ms: ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
