/**
 * The events queue is sharded (decision 031): Cloudflare takes about 5,000 messages a second per
 * queue, and at a launch the isolates' envelopes alone are several times that. Every binding here
 * is a queue of its own with the same consumer and dead-letter queue (wrangler.toml). `EVENTS`
 * stays the first, so conversions, which are sent one by one and awaited, keep their queue.
 */
export const EVENT_QUEUE_BINDINGS = ['EVENTS', 'EVENTS_1', 'EVENTS_2', 'EVENTS_3'] as const;

// Generic rather than `Queue`, so that scripts/scale-model.ts (Node types) can import the list.
export function eventQueues<Q>(env: Readonly<Record<(typeof EVENT_QUEUE_BINDINGS)[number], Q>>): Q[] {
  return EVENT_QUEUE_BINDINGS.map((binding) => env[binding]);
}

// Round-robin per isolate from a random start, so that isolates which start together do not all
// begin on the first queue. Chosen on first use: randomness is not for global scope in workerd.
let turn = -1;

/**
 * The order in which one envelope tries the shards: the next in this isolate's round-robin, then
 * the others from a random one on, so that the envelopes a failing shard refuses spread over all
 * the others rather than doubling the load of its neighbour.
 */
export function shardOrder(count: number, random: () => number = Math.random): number[] {
  if (turn < 0) turn = Math.floor(random() * count);
  const first = turn % count;
  turn = (turn + 1) % count;
  const order = [first];
  const offset = Math.floor(random() * (count - 1));
  for (let i = 0; i < count - 1; i++) order.push((first + 1 + ((offset + i) % (count - 1))) % count);
  return order;
}
