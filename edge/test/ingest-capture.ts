import { type IngestBatch, ingestBatchSchema } from '@tas/shared/events';
import { verifyBody } from '@tas/shared/signature';
import { vi } from 'vitest';
import { TEST_SECRETS } from './test-secrets.ts';

/**
 * Stands in for the control plane's /internal/ingest (a remote peer of the edge): it captures
 * every batch the real Queue consumer posts, checks its signature and schema, and answers with
 * the status the test chooses. Other requests pass through.
 */
export function captureIngest() {
  const batches: IngestBatch[] = [];
  let status = 200;
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
    const batch = ingestBatchSchema.parse(JSON.parse(body));
    if (status === 200) batches.push(batch);
    return new Response(JSON.stringify({ ok: status === 200 }), { status });
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
    failWith(next: number) {
      status = next;
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
