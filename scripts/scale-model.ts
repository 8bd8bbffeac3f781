/**
 * `tsx scripts/scale-model.ts`: what one hot offer does to the edge's Durable Objects and to the
 * events Queue (issue 13, decision 031). Prints figures; asserts nothing but the cap.
 *
 * 1. Caps: a simulation, in 1 ms steps, of CLICKS_PER_S clicks a second spread at random over
 *    ISOLATES isolates, each spending leased tokens as edge/src/caps/cap-lease.ts does and one
 *    ledger lending them as CapCounter.acquire does (same sizing, expiry, returns and rationing
 *    waits; a ledger round trip of RTT_MS). The offer's daily cap is used up midway, so the
 *    steady state, the approach to the cap and the full state are all seen. Counts the ledger's
 *    requests per second, checks that the cap is never exceeded, and measures what was delivered.
 * 2. Fraud counters and conversion dedupe: requests per object from the real shard function
 *    over a spread of visitor ips (and of conversion ids).
 * 3. The Queue: click envelopes per second from the isolates (edge/src/queue/event-batcher.ts,
 *    decision 007) against Cloudflare's 5,000 messages/s per queue, by formula and simulated;
 *    how many shards (edge/src/queue/event-queues.ts) each linger needs; and the built setting,
 *    simulated shard by shard (round-robin per isolate, conversions on the first shard), also
 *    with one shard refusing every send.
 *
 * Environment: CLICKS_PER_S (20000), ISOLATES (1000), SECONDS (80), CAP (1000000), RTT_MS (10),
 * CONVERSION_RATE (0.02).
 */
import { FRAUD_SHARDS, fraudShardName } from '../edge/src/fraud/fraud-shard.ts';
import { EVENT_QUEUE_BINDINGS } from '../edge/src/queue/event-queues.ts';

const CLICKS_PER_S = Number(process.env.CLICKS_PER_S ?? 20_000);
const ISOLATES = Number(process.env.ISOLATES ?? 1000);
const SECONDS = Number(process.env.SECONDS ?? 80);
const CAP = Number(process.env.CAP ?? 1_000_000);
const RTT_MS = Number(process.env.RTT_MS ?? 10);
const CONVERSION_RATE = Number(process.env.CONVERSION_RATE ?? 0.02);

// The edge's constants (edge/src/caps/cap-lease.ts, cap-counter.ts; edge/src/dedupe, queue).
const LEASE = { ttlMs: 10_000, maxLease: 2048, initialWant: 4 };
const SHARE_DIVISOR = 2;
const LEDGER_CALLS_PER_SECOND = 500;
const MIN_RENEW_WAIT_MS = 50;
const FULL_RETRY_MS = 5_000;
const EXPIRED_RETRY_GRACE_MS = 100;
const DEDUPE_SHARDS = 64;
const LINGER_MS = 100;
const QUEUE_SHARDS = EVENT_QUEUE_BINDINGS.length;
// What the queue was before decision 031's fix: one queue, 25 ms.
const BEFORE = { shards: 1, lingerMs: 25 };
// Cloudflare: about 1,000 requests/s for one Durable Object (soft), 5,000 messages/s per queue.
const OBJECT_SOFT_LIMIT = 1000;
const QUEUE_LIMIT = 5000;
// Headroom kept under the queue limit when sizing the shards.
const QUEUE_TARGET = 0.8 * QUEUE_LIMIT;

// A seeded generator, so that two runs print the same figures.
let seed = 0x2545f491;
function random(): number {
  seed ^= seed << 13;
  seed ^= seed >>> 17;
  seed ^= seed << 5;
  return (seed >>> 0) / 0x100000000;
}

const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
const pct = (n: number) => `${(n * 100).toFixed(2)}%`;

// ---------------------------------------------------------------------------------------------
// 1. Caps with leases
// ---------------------------------------------------------------------------------------------

type Lease = { id: number; tokens: number; granted: number; grantedAt: number; expiresAt: number };
type Isolate = {
  lease: Lease | null;
  pending: boolean;
  waiters: number;
  fullUntil: number;
  want: number;
};
type Grant = { id: number; tokens: number; retryAfterMs: number };

function simulateCaps() {
  const steps = SECONDS * 1000;
  const ledgerCalls = new Uint32Array(steps + LEASE.ttlMs + 1000);
  const ledger = { used: 0, nextId: 1, leases: new Map<number, { tokens: number; expiresAt: number }>() };
  const isolates: Isolate[] = Array.from({ length: ISOLATES }, () => ({
    lease: null,
    pending: false,
    waiters: 0,
    fullUntil: 0,
    want: LEASE.initialWant,
  }));
  const arrivals = new Map<number, { isolate: number; grant: Grant }[]>();
  const expiries = new Map<number, { isolate: number; lease: Lease }[]>();
  const at = <T>(map: Map<number, T[]>, t: number, item: T) => {
    const list = map.get(t);
    if (list) list.push(item);
    else map.set(t, [item]);
  };

  let delivered = 0;
  let refused = 0;
  let refusedWhileTokensLeft = 0;
  let maxDelivered = 0;
  let fullAt: number | null = null;

  const activeHolders = (t: number) => {
    let n = 0;
    for (const lease of ledger.leases.values()) if (lease.expiresAt > t) n++;
    return n;
  };
  const renewWaitMs = (holders: number) => {
    const wait = Math.floor((1000 * holders) / LEDGER_CALLS_PER_SECOND);
    return wait < MIN_RENEW_WAIT_MS ? 0 : wait;
  };
  const settle = (id: number, unspent: number) => {
    const lease = ledger.leases.get(id);
    if (!lease) return;
    ledger.leases.delete(id);
    ledger.used -= Math.min(unspent, lease.tokens);
  };
  const acquire = (t: number, want: number, previous: { id: number; unspent: number } | null): Grant => {
    ledgerCalls[t]!++;
    if (previous) settle(previous.id, previous.unspent);
    const remaining = CAP - ledger.used;
    if (remaining <= 0) {
      fullAt ??= t;
      let soonest: number | null = null;
      for (const lease of ledger.leases.values())
        if (lease.expiresAt > t && (soonest === null || lease.expiresAt < soonest)) soonest = lease.expiresAt;
      const retry =
        soonest === null ? FULL_RETRY_MS : Math.min(FULL_RETRY_MS, soonest - t + EXPIRED_RETRY_GRACE_MS);
      const spread = renewWaitMs(activeHolders(t));
      return { id: 0, tokens: 0, retryAfterMs: Math.max(retry, spread) + Math.floor(random() * spread) };
    }
    const others = activeHolders(t);
    const share = Math.floor(remaining / (SHARE_DIVISOR * (others + 1)));
    const renewWait = renewWaitMs(others + 1);
    const forTheWait = Math.ceil((want * renewWait) / LEASE.ttlMs);
    const tokens = Math.min(want, remaining, Math.max(1, share, forTheWait));
    const id = ledger.nextId++;
    ledger.leases.set(id, { tokens, expiresAt: t + LEASE.ttlMs });
    ledger.used += tokens;
    if (ledger.used > CAP) throw new Error('the ledger lent past the cap');
    return { id, tokens, retryAfterMs: tokens < want ? renewWait : 0 };
  };
  const renew = (t: number, i: number) => {
    const isolate = isolates[i]!;
    const previous = isolate.lease;
    isolate.lease = null;
    let back: { id: number; unspent: number } | null = null;
    if (previous) {
      back = { id: previous.id, unspent: previous.tokens };
      const spent = previous.granted - previous.tokens;
      const elapsed = Math.max(1, t - previous.grantedAt);
      isolate.want = Math.min(LEASE.maxLease, Math.max(1, Math.ceil((spent / elapsed) * LEASE.ttlMs)));
      previous.tokens = 0;
    }
    isolate.pending = true;
    at(arrivals, t + RTT_MS, { isolate: i, grant: acquire(t, isolate.want, back) });
  };
  const spend = (n: number) => {
    delivered += n;
    maxDelivered = Math.max(maxDelivered, delivered);
    if (delivered > CAP) throw new Error('delivered past the cap');
  };
  const refuse = (n: number) => {
    refused += n;
    if (fullAt === null) refusedWhileTokensLeft += n;
  };

  const perMs = CLICKS_PER_S / 1000;
  let carry = 0;
  for (let t = 0; t < steps; t++) {
    for (const { isolate: i, grant } of arrivals.get(t) ?? []) {
      const isolate = isolates[i]!;
      isolate.pending = false;
      if (grant.tokens === 0) {
        isolate.fullUntil = t + grant.retryAfterMs;
        refuse(isolate.waiters);
        isolate.waiters = 0;
        continue;
      }
      const lease: Lease = {
        id: grant.id,
        tokens: grant.tokens,
        granted: grant.tokens,
        grantedAt: t,
        // The isolate shortens each lease by up to a quarter at random (TTL_JITTER).
        expiresAt: t + Math.floor(LEASE.ttlMs * (1 - 0.25 * random())),
      };
      isolate.lease = lease;
      isolate.fullUntil = grant.retryAfterMs > 0 ? t + grant.retryAfterMs : 0;
      at(expiries, lease.expiresAt, { isolate: i, lease });
      const served = Math.min(isolate.waiters, lease.tokens);
      lease.tokens -= served;
      spend(served);
      isolate.waiters -= served;
      if (isolate.waiters > 0) {
        if (isolate.fullUntil > t) {
          refuse(isolate.waiters);
          isolate.waiters = 0;
        } else renew(t, i);
      }
    }
    arrivals.delete(t);
    for (const { isolate: i, lease } of expiries.get(t) ?? []) {
      const isolate = isolates[i]!;
      if (isolate.lease !== lease) continue;
      isolate.lease = null;
      ledgerCalls[t]!++;
      settle(lease.id, lease.tokens);
      lease.tokens = 0;
    }
    expiries.delete(t);

    carry += perMs;
    const clicks = Math.floor(carry);
    carry -= clicks;
    for (let c = 0; c < clicks; c++) {
      const i = Math.floor(random() * ISOLATES);
      const isolate = isolates[i]!;
      const lease = isolate.lease;
      if (lease && lease.tokens > 0 && t < lease.expiresAt) {
        lease.tokens--;
        spend(1);
      } else if (isolate.pending) isolate.waiters++;
      else if (isolate.fullUntil > t) refuse(1);
      else {
        isolate.waiters = 1;
        renew(t, i);
      }
    }
  }

  const perSecond = (from: number, to: number) => {
    let max = 0;
    let sum = 0;
    for (let s = from; s < to; s++) {
      let n = 0;
      for (let t = s * 1000; t < (s + 1) * 1000; t++) n += ledgerCalls[t]!;
      max = Math.max(max, n);
      sum += n;
    }
    return { mean: sum / Math.max(1, to - from), max };
  };
  let peak100 = 0;
  for (let t = 0; t + 100 <= steps; t += 10) {
    let n = 0;
    for (let u = t; u < t + 100; u++) n += ledgerCalls[u]!;
    peak100 = Math.max(peak100, n * 10);
  }
  const fullSecond = fullAt === null ? SECONDS : Math.floor(fullAt / 1000);
  return {
    delivered,
    refused,
    refusedWhileTokensLeft,
    fullAt,
    launch: perSecond(0, 2),
    steady: perSecond(2, Math.min(fullSecond - 5, SECONDS)),
    approach: perSecond(Math.max(0, fullSecond - 5), Math.min(fullSecond + 1, SECONDS)),
    afterFull: perSecond(Math.min(fullSecond + 1, SECONDS), SECONDS),
    all: perSecond(0, SECONDS),
    peak100,
    ledgerUsed: ledger.used,
    outstanding: [...ledger.leases.values()].reduce((n, l) => n + (l.expiresAt > steps ? l.tokens : 0), 0),
  };
}

// ---------------------------------------------------------------------------------------------
// 2. Fraud counters and conversion dedupe
// ---------------------------------------------------------------------------------------------

function shardLoad(distinctIps: number) {
  const perShard = new Float64Array(FRAUD_SHARDS);
  // Visitors click alike: each ip gets the same share of the offer's clicks.
  for (let n = 0; n < distinctIps; n++) {
    const ip = `${(n >>> 16) & 255}.${(n >>> 8) & 255}.${n & 255}.${1 + ((n * 7) % 250)}`;
    const shard = Number(fraudShardName(ip).slice('fraud:'.length));
    perShard[shard]! += CLICKS_PER_S / distinctIps;
  }
  return { mean: CLICKS_PER_S / FRAUD_SHARDS, max: Math.max(...perShard) };
}

function dedupeLoad() {
  const conversions = CLICKS_PER_S * CONVERSION_RATE;
  const perShard = new Float64Array(DEDUPE_SHARDS);
  const sample = 200_000;
  for (let n = 0; n < sample; n++) {
    // Conversion ids are hex digests: their first 8 hex digits are uniform.
    const shard = Math.floor(random() * 0x100000000) % DEDUPE_SHARDS;
    // claim, then confirm: two requests per conversion.
    perShard[shard]! += (2 * conversions) / sample;
  }
  return { conversions, mean: (2 * conversions) / DEDUPE_SHARDS, max: Math.max(...perShard) };
}

// ---------------------------------------------------------------------------------------------
// 3. The Queue
// ---------------------------------------------------------------------------------------------

/** Envelopes a second: each isolate's first click after a send opens one, sent LINGER ms later. */
function envelopesPerSecond(isolates: number, clicksPerS: number, lingerMs: number) {
  const lambda = clicksPerS / isolates / 1000;
  // A cycle is the linger plus the wait for the next click (Poisson arrivals).
  return (isolates / (lingerMs + 1 / lambda)) * 1000;
}

/**
 * Messages per second on each shard: an isolate's envelopes go round-robin over the shards from a
 * random start (event-queues.ts shardOrder); a shard that refuses every send (`down`) passes each
 * of its envelopes to one of the others at random. Conversions are not in it.
 */
function simulateEnvelopes(
  isolates: number,
  clicksPerS: number,
  lingerMs: number,
  shards = 1,
  down: number | null = null,
  seconds = 20,
) {
  const closesAt = new Float64Array(isolates).fill(-1);
  const turn = Uint32Array.from({ length: isolates }, () => Math.floor(random() * shards));
  const perShard = new Float64Array(shards);
  const clicks = clicksPerS * seconds;
  for (let c = 0; c < clicks; c++) {
    const t = (c / clicksPerS) * 1000;
    const i = Math.floor(random() * isolates);
    if (t >= closesAt[i]!) {
      closesAt[i] = t + lingerMs;
      let shard = turn[i]! % shards;
      turn[i] = (shard + 1) % shards;
      if (shard === down) shard = (shard + 1 + Math.floor(random() * (shards - 1))) % shards;
      perShard[shard]!++;
    }
  }
  const rates = [...perShard].map((n) => n / seconds);
  return { total: rates.reduce((a, b) => a + b, 0), perShard: rates };
}

/** Fewest shards keeping every queue under QUEUE_TARGET, conversions all on the first shard. */
function shardsNeeded(envelopes: number, conversions: number) {
  return Math.max(1, Math.ceil(envelopes / (QUEUE_TARGET - conversions)));
}

// ---------------------------------------------------------------------------------------------

console.log(
  `scale model: ${fmt(CLICKS_PER_S)} clicks/s on one offer over ${fmt(ISOLATES)} isolates (${(CLICKS_PER_S / ISOLATES).toFixed(1)} clicks/s each)\n`,
);

const caps = simulateCaps();
console.log(
  `1. Caps (one offer-level daily cap of ${fmt(CAP)}; ${SECONDS} s simulated, ledger round trip ${RTT_MS} ms)`,
);
console.log(
  `   before (one exact reservation a click): ${fmt(CLICKS_PER_S)} requests/s on the offer's object, and as many on the affiliate's (${(CLICKS_PER_S / OBJECT_SOFT_LIMIT).toFixed(0)}x the ~${fmt(OBJECT_SOFT_LIMIT)}/s soft limit)`,
);
console.log(
  `   leased: ledger requests/s  launch (every isolate's first leases, first 2 s): mean ${fmt(caps.launch.mean)}, max second ${fmt(caps.launch.max)} | steady ${fmt(caps.steady.mean)} (max second ${fmt(caps.steady.max)}) | last 5 s before full: mean ${fmt(caps.approach.mean)}, max second ${fmt(caps.approach.max)} | full: mean ${fmt(caps.afterFull.mean)}, max second ${fmt(caps.afterFull.max)}`,
);
console.log(`           busiest 100 ms window, as a rate: ${fmt(caps.peak100)}/s`);
console.log(
  `   cap ${fmt(CAP)}: reached at ${caps.fullAt === null ? 'never' : `${(caps.fullAt / 1000).toFixed(2)} s`}; delivered ${fmt(caps.delivered)} = ${pct(caps.delivered / CAP)} (never over: checked on every click and grant)`,
);
console.log(
  `   refused before the ledger was empty (rationing waits): ${fmt(caps.refusedWhileTokensLeft)} clicks = ${pct(caps.refusedWhileTokensLeft / CAP)} of the cap; lent but unspent at the end: ${fmt(caps.outstanding)}`,
);
console.log(
  '   per-affiliate ledgers see the same pattern for their own traffic: at most one acquire and one return per holder per lease',
);
console.log(
  `   (${fmt((2 * ISOLATES * 1000) / LEASE.ttlMs)}/s for ${fmt(ISOLATES)} holders with ${LEASE.ttlMs / 1000} s leases) plus rationed renewals, which are held to ~${LEDGER_CALLS_PER_SECOND}/s.`,
);

console.log('\n2. Fraud counters (sharded by ip over 256 objects; one request a click when a rule applies)');
for (const ips of [1_000_000, 100_000, 10_000]) {
  const load = shardLoad(ips);
  console.log(
    `   ${fmt(ips).padStart(9)} distinct ips: mean ${fmt(load.mean)}/s per object, busiest ${fmt(load.max)}/s`,
  );
}
console.log(
  `   one ip sending everything puts ${fmt(CLICKS_PER_S)}/s on one object: that object overloads, and fraud counters fail open (decision 006);\n   such a flood is caught by the blocklists and the per-ip velocity rule long before.`,
);
const dedupe = dedupeLoad();
console.log(
  `\n   Conversion dedupe (64 shards; claim + confirm): ${fmt(dedupe.conversions)} conversions/s at ${pct(CONVERSION_RATE)} -> mean ${fmt(dedupe.mean)}/s per object, busiest ${fmt(dedupe.max)}/s`,
);
console.log(
  `   Conversion caps stay exact (one reservation a conversion): ${fmt(dedupe.conversions)}/s on the offer's ledger (limit ~${fmt(OBJECT_SOFT_LIMIT)}/s, i.e. fine up to a ${pct(OBJECT_SOFT_LIMIT / CLICKS_PER_S)} conversion rate at this click rate)`,
);

const conversions = dedupe.conversions;
console.log(
  `\n3. The Queue (limit ${fmt(QUEUE_LIMIT)} messages/s per queue, sized for ${Math.round((100 * QUEUE_TARGET) / QUEUE_LIMIT)}% of it; conversions add one message each, ${fmt(conversions)}/s, all on the first shard)`,
);
console.log('   isolates  linger ms  envelopes/s (formula)  (simulated)  events/envelope  shards needed');
for (const isolates of [ISOLATES, ISOLATES * 5]) {
  for (const linger of [...new Set([BEFORE.lingerMs, 50, LINGER_MS, 250, 500, 1000])].sort((a, b) => a - b)) {
    const formula = envelopesPerSecond(isolates, CLICKS_PER_S, linger);
    const simulated = simulateEnvelopes(isolates, CLICKS_PER_S, linger).total;
    const mark = linger === LINGER_MS ? '   <- built' : linger === BEFORE.lingerMs ? '   <- before' : '';
    console.log(
      `   ${fmt(isolates).padStart(8)} ${String(linger).padStart(10)} ${fmt(formula).padStart(22)} ${fmt(simulated).padStart(12)} ${(CLICKS_PER_S / simulated).toFixed(1).padStart(16)} ${String(shardsNeeded(simulated, conversions)).padStart(14)}${mark}`,
    );
  }
}

const before = simulateEnvelopes(ISOLATES, CLICKS_PER_S, BEFORE.lingerMs).total + conversions;
console.log(
  `\n   before: ${BEFORE.shards} queue, ${BEFORE.lingerMs} ms linger: ${fmt(before)} messages/s on the one events queue = ${(before / QUEUE_LIMIT).toFixed(1)}x its limit` +
    " (an envelope holds a linger's worth of one isolate's clicks, ~0.5 at 20 clicks/s in 25 ms; the bound is isolates / linger, whatever the click rate).",
);
console.log(
  `   built: ${QUEUE_SHARDS} shards (${EVENT_QUEUE_BINDINGS.join(', ')}), ${LINGER_MS} ms linger; messages/s per queue, simulated:`,
);
let worstAtIsolates = 0;
for (const isolates of [ISOLATES, ISOLATES * 5]) {
  // A shard down: the last, so that its envelopes move and the conversions' shard stays up.
  for (const down of [null, QUEUE_SHARDS - 1]) {
    const { total, perShard } = simulateEnvelopes(isolates, CLICKS_PER_S, LINGER_MS, QUEUE_SHARDS, down);
    const queues = perShard.map((n, shard) => n + (shard === 0 ? conversions : 0));
    const busiest = Math.max(...queues);
    if (down === null && isolates === ISOLATES) worstAtIsolates = busiest;
    console.log(
      `   ${fmt(isolates).padStart(8)} isolates${down === null ? '' : `, shard ${down} refusing every send`}: ${queues.map((n) => fmt(n)).join(' / ')} (${fmt(total + conversions)} in all); busiest ${fmt(busiest)}/s = ${pct(busiest / QUEUE_LIMIT)} of the limit${down === null ? `; ${shardsNeeded(total, conversions)} shard(s) needed` : ''}`,
    );
  }
}
if (worstAtIsolates > QUEUE_TARGET)
  console.log(`   !! at ${fmt(ISOLATES)} isolates a queue is over ${fmt(QUEUE_TARGET)} messages/s`);
