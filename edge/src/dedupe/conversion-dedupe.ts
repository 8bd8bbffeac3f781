import { DurableObject } from 'cloudflare:workers';
import { z } from 'zod';

const claimSchema = z.object({ conversionId: z.uuid(), nowMs: z.number().int().nonnegative() });
const RETENTION_MS = 400 * 86_400_000;

/**
 * Remembers which conversions (by their id, derived from offer + event + txid) were accepted, so
 * that N identical postbacks arriving at once count once: the first claim wins, the others are
 * told "duplicate". Sharded by conversion id (dedupe/dedupe-shard.ts).
 */
export class ConversionDedupe extends DurableObject<Env> {
  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    ctx.storage.sql.exec(
      `CREATE TABLE IF NOT EXISTS claim (conversion_id TEXT PRIMARY KEY, at_ms INTEGER NOT NULL)`,
    );
  }

  async claim(input: z.infer<typeof claimSchema>): Promise<{ first: boolean }> {
    const { conversionId, nowMs } = claimSchema.parse(input);
    const inserted = this.ctx.storage.sql
      .exec(
        'INSERT OR IGNORE INTO claim (conversion_id, at_ms) VALUES (?, ?) RETURNING 1',
        conversionId,
        nowMs,
      )
      .toArray();
    if ((await this.ctx.storage.getAlarm()) === null) await this.ctx.storage.setAlarm(nowMs + 86_400_000);
    return { first: inserted.length === 1 };
  }

  /** Forgets a claim whose conversion could not be queued, so the advertiser's retry is accepted. */
  async release(input: { conversionId: string }): Promise<void> {
    const { conversionId } = claimSchema.pick({ conversionId: true }).parse(input);
    this.ctx.storage.sql.exec('DELETE FROM claim WHERE conversion_id = ?', conversionId);
  }

  override async alarm(): Promise<void> {
    this.ctx.storage.sql.exec('DELETE FROM claim WHERE at_ms < ?', Date.now() - RETENTION_MS);
    await this.ctx.storage.setAlarm(Date.now() + 86_400_000);
  }
}

export const DEDUPE_SHARDS = 64;

export function dedupeShardName(conversionId: string): string {
  return `dedupe:${Number.parseInt(conversionId.slice(0, 8), 16) % DEDUPE_SHARDS}`;
}
