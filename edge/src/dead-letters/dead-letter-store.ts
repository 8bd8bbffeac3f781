import { DurableObject } from 'cloudflare:workers';
import { z } from 'zod';

const storeSchema = z.array(z.object({ messageId: z.string().min(1).max(128), body: z.unknown() })).max(1000);

/**
 * Events that exhausted their retries (the control plane was down or refused them). Kept here,
 * durably, until an operator replays them (`POST /internal/dead-letters/replay`): nothing accepted
 * is dropped. Bodies that are not valid events are kept too, for inspection.
 */
export class DeadLetterStore extends DurableObject<Env> {
  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    ctx.storage.sql.exec(
      `CREATE TABLE IF NOT EXISTS dead_letter (message_id TEXT PRIMARY KEY, body TEXT NOT NULL, stored_at_ms INTEGER NOT NULL)`,
    );
  }

  async store(input: z.infer<typeof storeSchema>): Promise<number> {
    const letters = storeSchema.parse(input);
    const now = Date.now();
    for (const letter of letters) {
      this.ctx.storage.sql.exec(
        'INSERT OR IGNORE INTO dead_letter (message_id, body, stored_at_ms) VALUES (?, ?, ?)',
        letter.messageId,
        JSON.stringify(letter.body),
        now,
      );
    }
    return this.count();
  }

  async count(): Promise<number> {
    return this.ctx.storage.sql.exec<{ n: number }>('SELECT count(*) AS n FROM dead_letter').one().n;
  }

  /**
   * The oldest stored letters, as the JSON text they were stored as, to send again (JSON text:
   * RPC cannot type values it knows nothing of). Their events are judged by the ingest, one by
   * one; bad ones are quarantined there, with their reason.
   */
  async take(limit: number): Promise<{ messageId: string; json: string }[]> {
    return this.ctx.storage.sql
      .exec<{ message_id: string; body: string }>(
        'SELECT message_id, body FROM dead_letter ORDER BY stored_at_ms, message_id LIMIT ?',
        Math.min(Math.max(1, limit), 1000),
      )
      .toArray()
      .map((row) => ({ messageId: row.message_id, json: row.body }));
  }

  /** Moves letters that failed again behind the others, so they do not block the next replay. */
  async postpone(messageIds: string[]): Promise<void> {
    const now = Date.now();
    for (const id of z.array(z.string()).parse(messageIds)) {
      this.ctx.storage.sql.exec('UPDATE dead_letter SET stored_at_ms = ? WHERE message_id = ?', now, id);
    }
  }

  async remove(messageIds: string[]): Promise<void> {
    for (const id of z.array(z.string()).parse(messageIds)) {
      this.ctx.storage.sql.exec('DELETE FROM dead_letter WHERE message_id = ?', id);
    }
  }
}
