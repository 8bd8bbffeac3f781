import { DurableObject } from 'cloudflare:workers';
import { z } from 'zod';

const claimSchema = z.object({ conversionId: z.uuid(), nowMs: z.number().int().nonnegative() });
const txidClaimSchema = z.object({
  /** Derived from (offer, event, txid): one key per order of an offer. */
  key: z.uuid(),
  clickId: z.string().min(1).max(64),
  /** The id this conversion takes if the key is free (the key itself, or a pixel's own id). */
  conversionId: z.uuid(),
  /** Its id when another click already holds the key (click-scoped, the same on every retry). */
  alternateId: z.uuid(),
  /** A server postback on an offer that demands a secret or an ip allowlist. */
  trusted: z.boolean(),
  nowMs: z.number().int().nonnegative(),
});
export type TxidClaim = z.infer<typeof txidClaimSchema>;

export type TxidClaimOutcome =
  /** Nobody held this order: counted. */
  | { outcome: 'first'; conversionId: string }
  /**
   * The same click already counted it (a retry: sameClick), or a trusted source holds it for
   * another click. Orders counted before claims knew their click say sameClick, and the control
   * plane checks the click of a status change itself.
   */
  | { outcome: 'duplicate'; conversionId: string; sameClick: boolean }
  /** A trusted postback takes the order from untrusted claims of other clicks, which it rejects. */
  | { outcome: 'takeover'; conversionId: string; supersedes: { conversionId: string; clickId: string }[] }
  /** Untrusted claims of two clicks on one order: both are kept and this one is held for review. */
  | { outcome: 'conflict'; conversionId: string };

const RETENTION_MS = 400 * 86_400_000;
// Claimants of one order beyond this are answered duplicate: a contested txid needs review, not
// an unbounded list.
const MAX_CLAIMANTS = 16;

type ClaimRow = { click_id: string; conversion_id: string; trusted: number };

/**
 * Remembers which conversions were counted, so that N identical requests arriving at once count
 * once: the first claim wins, the others are told "duplicate". Sharded by key.
 *
 * Two kinds of claims (docs/decisions/018-counting-truth.md):
 * - `claim` by conversion id: a pixel's (offer, event, click), and, from before txid claims knew
 *   their click, an order's (offer, event, txid) key;
 * - `claimTxid`: an order's key together with the click that claimed it and whether the source
 *   was trusted, so an affiliate firing guessable order ids from its own clicks can neither block
 *   nor take the advertiser's real postback for another affiliate's click.
 */
export class ConversionDedupe extends DurableObject<Env> {
  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    ctx.storage.sql.exec(
      `CREATE TABLE IF NOT EXISTS claim (conversion_id TEXT PRIMARY KEY, at_ms INTEGER NOT NULL)`,
    );
    ctx.storage.sql.exec(
      `CREATE TABLE IF NOT EXISTS txid_claim (
         key TEXT NOT NULL, click_id TEXT NOT NULL, conversion_id TEXT NOT NULL,
         trusted INTEGER NOT NULL, at_ms INTEGER NOT NULL, PRIMARY KEY (key, click_id))`,
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
    await this.scheduleCleanup(nowMs);
    return { first: inserted.length === 1 };
  }

  /** Forgets a claim whose conversion could not be queued, so the advertiser's retry is accepted. */
  async release(input: { conversionId: string }): Promise<void> {
    const { conversionId } = claimSchema.pick({ conversionId: true }).parse(input);
    this.ctx.storage.sql.exec('DELETE FROM claim WHERE conversion_id = ?', conversionId);
  }

  async claimTxid(input: TxidClaim): Promise<TxidClaimOutcome> {
    const claim = txidClaimSchema.parse(input);
    const sql = this.ctx.storage.sql;
    const own = sql
      .exec<ClaimRow>(
        'SELECT click_id, conversion_id, trusted FROM txid_claim WHERE key = ? AND click_id = ?',
        claim.key,
        claim.clickId,
      )
      .toArray()[0];
    if (own) return { outcome: 'duplicate', conversionId: own.conversion_id, sameClick: true };
    // Counted before claims knew their click: whoever it was, this is the order it counted.
    const legacy = sql.exec('SELECT 1 FROM claim WHERE conversion_id = ?', claim.key).toArray();
    if (legacy.length > 0) return { outcome: 'duplicate', conversionId: claim.key, sameClick: true };

    const holders = sql
      .exec<ClaimRow>(
        'SELECT click_id, conversion_id, trusted FROM txid_claim WHERE key = ? ORDER BY at_ms',
        claim.key,
      )
      .toArray();
    const record = (conversionId: string) => {
      sql.exec(
        'INSERT INTO txid_claim (key, click_id, conversion_id, trusted, at_ms) VALUES (?, ?, ?, ?, ?)',
        claim.key,
        claim.clickId,
        conversionId,
        claim.trusted ? 1 : 0,
        claim.nowMs,
      );
      return conversionId;
    };
    await this.scheduleCleanup(claim.nowMs);
    if (holders.length === 0) return { outcome: 'first', conversionId: record(claim.conversionId) };

    const trustedHolder = holders.find((h) => h.trusted === 1);
    // The advertiser's own server already said whose order this is.
    if (trustedHolder)
      return { outcome: 'duplicate', conversionId: trustedHolder.conversion_id, sameClick: false };
    if (holders.length >= MAX_CLAIMANTS)
      return { outcome: 'duplicate', conversionId: holders[0]!.conversion_id, sameClick: false };
    const taken = holders.some((h) => h.conversion_id === claim.conversionId);
    const conversionId = record(taken ? claim.alternateId : claim.conversionId);
    if (claim.trusted) {
      const supersedes = holders.map((h) => ({ conversionId: h.conversion_id, clickId: h.click_id }));
      return { outcome: 'takeover', conversionId, supersedes };
    }
    return { outcome: 'conflict', conversionId };
  }

  /** Forgets this click's claim of an order, when its conversion could not be queued. */
  async releaseTxid(input: { key: string; clickId: string }): Promise<void> {
    const { key, clickId } = txidClaimSchema.pick({ key: true, clickId: true }).parse(input);
    this.ctx.storage.sql.exec('DELETE FROM txid_claim WHERE key = ? AND click_id = ?', key, clickId);
  }

  override async alarm(): Promise<void> {
    const cutoff = Date.now() - RETENTION_MS;
    this.ctx.storage.sql.exec('DELETE FROM claim WHERE at_ms < ?', cutoff);
    this.ctx.storage.sql.exec('DELETE FROM txid_claim WHERE at_ms < ?', cutoff);
    await this.ctx.storage.setAlarm(Date.now() + 86_400_000);
  }

  private async scheduleCleanup(nowMs: number) {
    if ((await this.ctx.storage.getAlarm()) === null) await this.ctx.storage.setAlarm(nowMs + 86_400_000);
  }
}

export const DEDUPE_SHARDS = 64;

export function dedupeShardName(conversionId: string): string {
  return `dedupe:${Number.parseInt(conversionId.slice(0, 8), 16) % DEDUPE_SHARDS}`;
}
