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

/**
 * Exact cap counters for one scope (an offer, or an offer + affiliate). A reservation reads and
 * increments without awaiting anything in between, and a Durable Object runs one such call at a
 * time, so N concurrent clicks against a cap of K get exactly K reservations.
 */
export class CapCounter extends DurableObject<Env> {
  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    ctx.storage.sql.exec(
      `CREATE TABLE IF NOT EXISTS counter (period TEXT PRIMARY KEY, used INTEGER NOT NULL)`,
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
}
