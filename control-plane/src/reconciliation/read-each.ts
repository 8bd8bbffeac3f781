import { failed, ok, type ProcessorResult } from '../processors/processor-result.ts';

/**
 * Reads each id from a processor, `limit` calls in flight (processors limit rates: Stripe about
 * 100 calls a second). A record the processor does not have comes back as null; any other failure
 * (down, keys refused) stops the reads and is the answer, since a half-read processor proves
 * nothing.
 */
export async function readEach<R>(
  ids: readonly string[],
  limit: number,
  read: (id: string) => Promise<ProcessorResult<R>>,
): Promise<ProcessorResult<Map<string, R | null>>> {
  const found = new Map<string, R | null>();
  const queue = [...ids];
  let stopped: ProcessorResult<never> | null = null;
  const worker = async () => {
    for (let id = queue.shift(); id !== undefined && stopped === null; id = queue.shift()) {
      const answer = await read(id);
      if (answer.ok) found.set(id, answer.value);
      else if (answer.failure.kind === 'not_found') found.set(id, null);
      else stopped ??= failed(answer.failure);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, ids.length)) }, worker));
  return stopped ?? ok(found);
}
