import { DurableObject } from 'cloudflare:workers';
import type { ScopeUsage } from '@tas/shared/cap-usage';
import { z } from 'zod';

export const capReservationSchema = z.object({
  kind: z.enum(['clicks', 'conversions']),
  day: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
  month: z.string().regex(/^\d{4}-\d{2}$/),
  dailyLimit: z.number().int().min(0).nullable(),
  monthlyLimit: z.number().int().min(0).nullable(),
});
export type CapReservation = z.infer<typeof capReservationSchema>;
export type CapReservationResult = { ok: boolean; daily: number; monthly: number };

// Near the cap leases shrink and holders come back often: a ledger rationing its tokens tells each
// holder to wait holders / this many seconds before asking again, so it stays well under the
// ~1,000 requests/s one object takes (the clicks in between are refused: brief under-delivery).
export const LEDGER_CALLS_PER_SECOND = 500;
// Below this the wait is not worth imposing (a handful of holders, as in a small test).
const MIN_RENEW_WAIT_MS = 50;

/** The most tokens one lease may hold, and the longest a lease may live (decision 031). */
export const MAX_LEASE_TOKENS = 10_000;
export const MAX_LEASE_TTL_MS = 60_000;
/** Leases near the cap are at most remaining / (LEASE_SHARE_DIVISOR * holders). */
export const LEASE_SHARE_DIVISOR = 2;
// A full scope with no lease out can only free up by a release or a raised limit: ask again
// after this long. With leases out, ask again once the first of them has expired.
const FULL_RETRY_MS = 5_000;
const EXPIRED_RETRY_GRACE_MS = 100;
// Expired leases are kept this long so that a late return still gives its tokens back.
const EXPIRED_LEASE_KEPT_MS = 86_400_000;

const leaseIdSchema = z.string().min(1).max(64);
export const leaseReturnSchema = z.object({
  leaseId: leaseIdSchema,
  unspent: z.number().int().min(0).max(MAX_LEASE_TOKENS),
});
export type LeaseReturn = z.infer<typeof leaseReturnSchema>;
export const leaseRequestSchema = capReservationSchema.extend({
  want: z.number().int().min(1).max(MAX_LEASE_TOKENS),
  ttlMs: z.number().int().min(10).max(MAX_LEASE_TTL_MS),
  /** The holder's previous lease of this scope and period, given back in the same call. */
  previous: leaseReturnSchema.nullable(),
});
export type LeaseRequest = z.infer<typeof leaseRequestSchema>;
/**
 * `tokens: 0`: the cap is used up (or lent out). Either way the holder asks again no sooner than
 * `retryAfterMs` from now once this lease is spent.
 */
export type LeaseGrant = { leaseId: string | null; tokens: number; ttlMs: number; retryAfterMs: number };

/**
 * The ledger of one cap scope (an offer, or an offer + affiliate). `used` of a period is what was
 * granted minus what was given back, so the cap is never exceeded: a token is counted as used
 * from the moment it leaves the ledger until its holder returns it.
 *
 * Two ways to take from it, both reading and writing without awaiting anything in between (a
 * Durable Object runs one such call at a time):
 * - `reserve`: one unit, exact (conversions, which are rare);
 * - `acquire`: a lease of tokens that an isolate spends locally (clicks, decision 031). Lease
 *   sizes shrink as the cap nears, down to 1, so the last tokens are spread over the holders.
 */
export class CapCounter extends DurableObject<Env> {
  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    ctx.storage.sql.exec(
      `CREATE TABLE IF NOT EXISTS counter (period TEXT PRIMARY KEY, used INTEGER NOT NULL);
       CREATE TABLE IF NOT EXISTS lease (
         id TEXT PRIMARY KEY, kind TEXT NOT NULL, day TEXT NOT NULL, month TEXT NOT NULL,
         tokens INTEGER NOT NULL, expires_at INTEGER NOT NULL);
       CREATE INDEX IF NOT EXISTS lease_expiry ON lease (kind, day, expires_at);`,
    );
  }

  private used(period: string): number {
    return (
      this.ctx.storage.sql
        .exec<{ used: number }>('SELECT used FROM counter WHERE period = ?', period)
        .toArray()[0]?.used ?? 0
    );
  }

  private add(period: string, delta: number) {
    this.ctx.storage.sql.exec(
      `INSERT INTO counter (period, used) VALUES (?, max(0, ?))
       ON CONFLICT (period) DO UPDATE SET used = max(0, used + ?)`,
      period,
      delta,
      delta,
    );
  }

  async reserve(input: CapReservation): Promise<CapReservationResult> {
    const r = capReservationSchema.parse(input);
    const dayKey = `${r.kind}:d:${r.day}`;
    const monthKey = `${r.kind}:m:${r.month}`;
    const daily = this.used(dayKey);
    const monthly = this.used(monthKey);
    const full =
      (r.dailyLimit !== null && daily >= r.dailyLimit) ||
      (r.monthlyLimit !== null && monthly >= r.monthlyLimit);
    if (full) return { ok: false, daily, monthly };
    this.add(dayKey, 1);
    this.add(monthKey, 1);
    return { ok: true, daily: daily + 1, monthly: monthly + 1 };
  }

  /** Whether the scope's cap is full, reserving nothing (for clicks that must not use it up: bots). */
  async full(input: CapReservation): Promise<boolean> {
    const r = capReservationSchema.parse(input);
    return (
      (r.dailyLimit !== null && this.used(`${r.kind}:d:${r.day}`) >= r.dailyLimit) ||
      (r.monthlyLimit !== null && this.used(`${r.kind}:m:${r.month}`) >= r.monthlyLimit)
    );
  }

  /** What the scope has used of its caps in a UTC day and month (for the control plane's view). */
  async usage(input: Pick<CapReservation, 'day' | 'month'>): Promise<ScopeUsage> {
    const r = capReservationSchema.pick({ day: true, month: true }).parse(input);
    const of = (kind: CapReservation['kind']) => ({
      daily: this.used(`${kind}:d:${r.day}`),
      monthly: this.used(`${kind}:m:${r.month}`),
    });
    return { clicks: of('clicks'), conversions: of('conversions') };
  }

  /** Gives a reservation back (the other scope of the same click was full). */
  async release(input: Pick<CapReservation, 'kind' | 'day' | 'month'>): Promise<void> {
    const r = capReservationSchema.pick({ kind: true, day: true, month: true }).parse(input);
    this.add(`${r.kind}:d:${r.day}`, -1);
    this.add(`${r.kind}:m:${r.month}`, -1);
  }

  /**
   * Lends up to `want` tokens for `ttlMs` (after settling the holder's previous lease): near the
   * cap no more than remaining / (2 * active holders), or what the holder spends while it must
   * wait to ask again, and at least 1 while anything remains.
   */
  async acquire(input: LeaseRequest): Promise<LeaseGrant> {
    const r = leaseRequestSchema.parse(input);
    const now = Date.now();
    if (r.previous) this.settle(r.previous);
    this.ctx.storage.sql.exec('DELETE FROM lease WHERE expires_at < ?', now - EXPIRED_LEASE_KEPT_MS);
    const dayKey = `${r.kind}:d:${r.day}`;
    const monthKey = `${r.kind}:m:${r.month}`;
    const remaining = Math.min(
      r.dailyLimit === null ? Number.POSITIVE_INFINITY : r.dailyLimit - this.used(dayKey),
      r.monthlyLimit === null ? Number.POSITIVE_INFINITY : r.monthlyLimit - this.used(monthKey),
    );
    if (remaining <= 0) {
      const soonest = this.ctx.storage.sql
        .exec<{ at: number | null }>(
          'SELECT min(expires_at) AS at FROM lease WHERE kind = ? AND month = ? AND expires_at > ?',
          r.kind,
          r.month,
          now,
        )
        .one().at;
      const retryAfterMs =
        soonest === null ? FULL_RETRY_MS : Math.min(FULL_RETRY_MS, soonest - now + EXPIRED_RETRY_GRACE_MS);
      // Spread the holders' next attempts over the ledger's budget, so they do not all come back
      // in the same instant.
      const spread = this.renewWaitMs(this.activeHolders(r.kind, r.day, now));
      return {
        leaseId: null,
        tokens: 0,
        ttlMs: 0,
        retryAfterMs: Math.max(retryAfterMs, spread) + Math.floor(Math.random() * spread),
      };
    }
    const others = this.activeHolders(r.kind, r.day, now);
    const share = Math.floor(remaining / (LEASE_SHARE_DIVISOR * (others + 1)));
    // A holder told to wait before asking again gets what it spends in that wait (its `want` is a
    // TTL's worth), so near the cap clicks are not refused while tokens remain.
    const renewWait = this.renewWaitMs(others + 1);
    const forTheWait = Math.ceil((r.want * renewWait) / r.ttlMs);
    const tokens = Math.min(r.want, remaining, Math.max(1, share, forTheWait));
    const leaseId = crypto.randomUUID();
    this.ctx.storage.sql.exec(
      'INSERT INTO lease (id, kind, day, month, tokens, expires_at) VALUES (?, ?, ?, ?, ?, ?)',
      leaseId,
      r.kind,
      r.day,
      r.month,
      tokens,
      now + r.ttlMs,
    );
    this.add(dayKey, tokens);
    this.add(monthKey, tokens);
    // Rationed: come back no sooner than the ledger's budget allows for this many holders.
    const retryAfterMs = tokens < r.want ? renewWait : 0;
    return { leaseId, tokens, ttlMs: r.ttlMs, retryAfterMs };
  }

  private renewWaitMs(holders: number): number {
    const wait = Math.floor((1000 * holders) / LEDGER_CALLS_PER_SECOND);
    return wait < MIN_RENEW_WAIT_MS ? 0 : wait;
  }

  private activeHolders(kind: string, day: string, now: number): number {
    return this.ctx.storage.sql
      .exec<{ n: number }>(
        'SELECT count(*) AS n FROM lease WHERE kind = ? AND day = ? AND expires_at > ?',
        kind,
        day,
        now,
      )
      .one().n;
  }

  /** Ends a lease, giving back what its holder did not spend (expired, or a new period). */
  async giveBack(input: LeaseReturn): Promise<void> {
    this.settle(leaseReturnSchema.parse(input));
  }

  // Once per lease: the row goes, so a repeated return gives nothing back twice. A holder never
  // gives back more than it was lent.
  private settle({ leaseId, unspent }: LeaseReturn) {
    const lease = this.ctx.storage.sql
      .exec<{ kind: string; day: string; month: string; tokens: number }>(
        'SELECT kind, day, month, tokens FROM lease WHERE id = ?',
        leaseId,
      )
      .toArray()[0];
    if (!lease) return;
    this.ctx.storage.sql.exec('DELETE FROM lease WHERE id = ?', leaseId);
    const back = Math.min(unspent, lease.tokens);
    if (back === 0) return;
    this.add(`${lease.kind}:d:${lease.day}`, -back);
    this.add(`${lease.kind}:m:${lease.month}`, -back);
  }
}
