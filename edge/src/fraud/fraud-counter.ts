import { DurableObject } from 'cloudflare:workers';
import { z } from 'zod';

export const clickCheckSchema = z.object({
  ip: z.string().min(1).max(45),
  offerId: z.number().int().positive(),
  affiliateId: z.number().int().positive(),
  nowMs: z.number().int().nonnegative(),
  duplicateWindowSeconds: z.number().int().min(0),
  maxClicksPerIpPerMinute: z.number().int().positive().nullable(),
});
export type ClickCheck = z.infer<typeof clickCheckSchema>;
export type ClickCheckResult = { duplicate: boolean; velocityExceeded: boolean };

const RETENTION_MS = 31 * 86_400_000;

/**
 * Click-time fraud counters for the ips of one shard (fraud/fraud-shard.ts): the last counted click
 * per ip + offer + affiliate (duplicates) and clicks per ip per minute (velocity). One object
 * handles one shard of ips, so no single object sees all traffic; all checks of one ip land on
 * the same object, so they are exact.
 */
export class FraudCounter extends DurableObject<Env> {
  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    ctx.storage.sql.exec(
      `CREATE TABLE IF NOT EXISTS last_click (key TEXT PRIMARY KEY, at_ms INTEGER NOT NULL)`,
    );
    ctx.storage.sql.exec(
      `CREATE TABLE IF NOT EXISTS ip_minute (ip TEXT NOT NULL, minute INTEGER NOT NULL, clicks INTEGER NOT NULL,
       PRIMARY KEY (ip, minute))`,
    );
  }

  async checkClick(input: ClickCheck): Promise<ClickCheckResult> {
    const check = clickCheckSchema.parse(input);
    const sql = this.ctx.storage.sql;
    let duplicate = false;
    if (check.duplicateWindowSeconds > 0) {
      const key = `${check.ip}|${check.offerId}|${check.affiliateId}`;
      const last = sql
        .exec<{ at_ms: number }>('SELECT at_ms FROM last_click WHERE key = ?', key)
        .toArray()[0];
      duplicate = last !== undefined && check.nowMs - last.at_ms < check.duplicateWindowSeconds * 1000;
      // The window runs from the first counted click, so a stream of repeats cannot extend it forever.
      if (!duplicate)
        sql.exec('INSERT OR REPLACE INTO last_click (key, at_ms) VALUES (?, ?)', key, check.nowMs);
    }
    let velocityExceeded = false;
    if (check.maxClicksPerIpPerMinute !== null) {
      const minute = Math.floor(check.nowMs / 60_000);
      const row = sql
        .exec<{ clicks: number }>(
          `INSERT INTO ip_minute (ip, minute, clicks) VALUES (?, ?, 1)
           ON CONFLICT (ip, minute) DO UPDATE SET clicks = clicks + 1 RETURNING clicks`,
          check.ip,
          minute,
        )
        .one();
      velocityExceeded = row.clicks > check.maxClicksPerIpPerMinute;
    }
    if ((await this.ctx.storage.getAlarm()) === null)
      await this.ctx.storage.setAlarm(check.nowMs + 3_600_000);
    return { duplicate, velocityExceeded };
  }

  override async alarm(): Promise<void> {
    const now = Date.now();
    this.ctx.storage.sql.exec('DELETE FROM last_click WHERE at_ms < ?', now - RETENTION_MS);
    this.ctx.storage.sql.exec('DELETE FROM ip_minute WHERE minute < ?', Math.floor(now / 60_000) - 2);
    const left = this.ctx.storage.sql.exec<{ n: number }>('SELECT count(*) AS n FROM last_click').one().n;
    if (left > 0) await this.ctx.storage.setAlarm(now + 3_600_000);
  }
}
