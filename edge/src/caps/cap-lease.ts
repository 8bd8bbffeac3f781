import type { CapCounter, LeaseReturn } from './cap-counter.ts';

/** One cap scope of one period, as the ledger (`CapCounter`) is asked about it. */
export type LeaseScope = {
  name: string;
  kind: 'clicks' | 'conversions';
  day: string;
  month: string;
  dailyLimit: number | null;
  monthlyLimit: number | null;
};

export type LeaseOptions = {
  /** How long a lease may be spent; its unspent tokens go back to the ledger then. */
  ttlMs: number;
  /** The most tokens an isolate asks for at once. */
  maxLease: number;
  /** What a scope's first lease asks for, before the isolate knows its click rate. */
  initialWant: number;
};

// An isolate of a busy offer asks for about a TTL's worth of its own clicks: at 20 clicks/s an
// isolate asks once per lease (decision 031, scripts/scale-model.ts).
export const DEFAULT_LEASE_OPTIONS: LeaseOptions = { ttlMs: 10_000, maxLease: 2048, initialWant: 4 };

type Lease = { id: string; tokens: number; granted: number; grantedAt: number; expiresAt: number };
type Entry = {
  scope: LeaseScope;
  lease: Lease | null;
  /** The one request for a lease in flight; other clicks of the scope wait for it. */
  pending: Promise<void> | null;
  /**
   * The ledger said the cap is used up (or lent out), or that it is rationing: once the lease is
   * spent, refuse locally until then.
   */
  fullUntil: number;
  want: number;
  /** The ledger could not be reached: clicks fail (closed) without asking until then. */
  failedUntil: number;
  failure: unknown;
};

const FAILURE_BACKOFF_MS = 250;
const TTL_JITTER = 0.25;

type Ledger = DurableObjectNamespace<CapCounter>;
type WaitUntil = (promise: Promise<unknown>) => void;

/**
 * The isolate's side of leased cap counters: tokens lent by each scope's ledger, spent here
 * without a round trip. A token is only spent from a lease of the click's own period (the key
 * holds the UTC day and the limits), and a lease's unspent tokens are given back when it expires:
 * the ledger counts them as used until then, so the cap is never exceeded.
 */
export class CapLeaseCache {
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly options: LeaseOptions = DEFAULT_LEASE_OPTIONS) {}

  private entry(scope: LeaseScope): Entry {
    const key = `${scope.name}|${scope.kind}|${scope.day}|${scope.month}|${scope.dailyLimit}|${scope.monthlyLimit}`;
    let entry = this.entries.get(key);
    if (!entry) {
      // A new scope or period: forget the settled entries of past days, so the map stays small.
      for (const [other, old] of this.entries)
        if (old.scope.day !== scope.day && old.lease === null && old.pending === null)
          this.entries.delete(other);
      entry = {
        scope,
        lease: null,
        pending: null,
        fullUntil: 0,
        want: this.options.initialWant,
        failedUntil: 0,
        failure: null,
      };
      this.entries.set(key, entry);
    }
    return entry;
  }

  /** Whether the ledger lately said the scope is used up (no round trip). */
  knownFull(scope: LeaseScope): boolean {
    const entry = this.entry(scope);
    return entry.fullUntil > Date.now() && !(entry.lease && entry.lease.tokens > 0);
  }

  /** Whether this isolate holds an unspent, unexpired token of the scope (no round trip). */
  holds(scope: LeaseScope): boolean {
    const lease = this.entry(scope).lease;
    return lease !== null && lease.tokens > 0 && Date.now() < lease.expiresAt;
  }

  /**
   * Spends one token of every scope at once if this isolate holds one of each, with no await
   * (the path of nearly every click); otherwise spends nothing and says false.
   */
  takeNow(scopes: LeaseScope[]): boolean {
    const now = Date.now();
    const leases: Lease[] = [];
    for (const scope of scopes) {
      const lease = this.entry(scope).lease;
      if (lease === null || lease.tokens <= 0 || now >= lease.expiresAt) return false;
      leases.push(lease);
    }
    for (const lease of leases) lease.tokens--;
    return true;
  }

  /**
   * Spends one token of the scope: from the isolate's lease when it has one, else from a new
   * lease (one request per scope at a time; concurrent clicks wait for it). False: the cap is
   * used up, or every remaining token is lent to other isolates for now.
   */
  async take(ledger: Ledger, scope: LeaseScope, waitUntil: WaitUntil): Promise<boolean> {
    const entry = this.entry(scope);
    for (;;) {
      const now = Date.now();
      const lease = entry.lease;
      if (lease && lease.tokens > 0 && now < lease.expiresAt) {
        lease.tokens--;
        return true;
      }
      if (entry.pending) {
        // Wait on a timer of this request's own: a promise settled by another request's I/O must
        // not be awaited across requests (workerd would find this request hung, and its later
        // I/O would belong to the other request).
        while (entry.pending) await new Promise((resolve) => setTimeout(resolve, 1));
        continue;
      }
      if (entry.failedUntil > now) throw entry.failure;
      if (entry.fullUntil > now) return false;
      entry.pending = this.renew(ledger, entry, waitUntil)
        .catch((error: unknown) => {
          // The clicks waiting for this lease fail too (closed), and so does the next moment's.
          entry.failure = error;
          entry.failedUntil = Date.now() + FAILURE_BACKOFF_MS;
          throw error;
        })
        .finally(() => {
          entry.pending = null;
        });
      await entry.pending;
    }
  }

  /**
   * A token taken but not used (another scope refused the click) goes back into the lease, or,
   * when that lease has been settled meanwhile, to the ledger (one unit, as `release` does).
   */
  async putBack(ledger: Ledger, scope: LeaseScope): Promise<void> {
    const lease = this.entry(scope).lease;
    if (lease) {
      lease.tokens++;
      return;
    }
    await stubOf(ledger, scope).release({ kind: scope.kind, day: scope.day, month: scope.month });
  }

  /** Gives every lease back to its ledger now, rather than at expiry (tests). */
  async returnAll(ledger: Ledger): Promise<void> {
    await Promise.all(
      [...this.entries.values()].map(async (entry) => {
        while (entry.pending) await new Promise((resolve) => setTimeout(resolve, 1));
        const lease = entry.lease;
        if (!lease) return;
        entry.lease = null;
        const unspent = lease.tokens;
        lease.tokens = 0;
        await giveBack(ledger, entry.scope, { leaseId: lease.id, unspent });
      }),
    );
  }

  private async renew(ledger: Ledger, entry: Entry, waitUntil: WaitUntil): Promise<void> {
    const previous = entry.lease;
    entry.lease = null;
    let back: LeaseReturn | null = null;
    if (previous) {
      back = { leaseId: previous.id, unspent: previous.tokens };
      // Ask for what this isolate spends in a TTL, judged by how fast the last lease went.
      const spent = previous.granted - previous.tokens;
      const elapsed = Math.max(1, Date.now() - previous.grantedAt);
      entry.want = Math.min(
        this.options.maxLease,
        Math.max(1, Math.ceil((spent / elapsed) * this.options.ttlMs)),
      );
      previous.tokens = 0;
    }
    const grant = await stubOf(ledger, entry.scope).acquire({
      ...entry.scope,
      want: entry.want,
      ttlMs: this.options.ttlMs,
      previous: back,
    });
    const now = Date.now();
    // Leases taken in the same moment (a launch) would otherwise all expire, return and be
    // renewed in the same moment, every TTL.
    const life = Math.floor(grant.ttlMs * (1 - TTL_JITTER * Math.random()));
    if (grant.leaseId === null || grant.tokens === 0) {
      entry.fullUntil = now + grant.retryAfterMs;
      return;
    }
    const lease: Lease = {
      id: grant.leaseId,
      tokens: grant.tokens,
      granted: grant.tokens,
      grantedAt: now,
      expiresAt: now + life,
    };
    entry.lease = lease;
    // A rationed lease (smaller than asked, near the cap): once it is spent, refuse until then.
    entry.fullUntil = grant.retryAfterMs > 0 ? now + grant.retryAfterMs : 0;
    // At expiry the unspent tokens go back, inside the waitUntil of the click that took the lease
    // (so an idle isolate returns them too). If the isolate dies first, they stay counted as used.
    waitUntil(
      new Promise((resolve) => setTimeout(resolve, life)).then(async () => {
        if (entry.lease !== lease) return;
        entry.lease = null;
        const unspent = lease.tokens;
        lease.tokens = 0;
        await giveBack(ledger, entry.scope, { leaseId: lease.id, unspent }).catch((error: unknown) => {
          console.error(
            JSON.stringify({
              msg: 'cap lease not returned',
              scope: entry.scope.name,
              unspent,
              error: String(error),
            }),
          );
        });
      }),
    );
  }
}

const stubOf = (ledger: Ledger, scope: LeaseScope) => ledger.get(ledger.idFromName(scope.name));

async function giveBack(ledger: Ledger, scope: LeaseScope, back: LeaseReturn): Promise<void> {
  await stubOf(ledger, scope).giveBack(back);
}

/** The isolate's leases: module state lives as long as the isolate. */
export const capLeases = new CapLeaseCache();
