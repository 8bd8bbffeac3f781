import { DurableObject } from 'cloudflare:workers';
import { z } from 'zod';

const nowSchema = z.number().int().nonnegative();
const claimSchema = z.object({
  conversionId: z.uuid(),
  nowMs: nowSchema,
  /** Only look: say whether it is counted already, claim nothing (an expired click's retry). */
  probe: z.boolean().default(false),
});
const txidClaimSchema = z.object({
  /** Derived from (offer, event, txid): one key per order of an offer. */
  key: z.uuid(),
  clickId: z.string().min(1).max(64),
  /** The id this conversion takes if the key is free (the key itself, or a pixel's own id). */
  conversionId: z.uuid(),
  /** Its id when another conversion already has `conversionId` (click-scoped, the same on every retry). */
  alternateId: z.uuid(),
  /** A server postback on an offer that demands a secret or an ip allowlist. */
  trusted: z.boolean(),
  /** Whether the conversion can earn (its click was not sent to the fallback, its affiliate may run the offer). */
  payable: z.boolean(),
  probe: z.boolean().default(false),
  nowMs: nowSchema,
});
export type TxidClaim = z.input<typeof txidClaimSchema>;

export type ClaimRef = { conversionId: string; clickId: string };

/** A conversion to record, and what it does to other claims of its order. */
export type CountedClaim = {
  outcome: 'counted';
  conversionId: string;
  /** Untrusted conversions of the order that this trusted one rejects. */
  supersedes: ClaimRef[];
  /** Untrusted conversions of other clicks that claim the same order: held for review with this one. */
  holds: ClaimRef[];
  contested: boolean;
};

export type ClaimOutcome =
  | CountedClaim
  /** Counted already: a retry from the same click (sameClick), or an order a trusted source holds. */
  | { outcome: 'duplicate'; conversionId: string; sameClick: boolean }
  /** Another request is recording this very conversion right now: retry shortly. */
  | { outcome: 'in_progress' }
  /** Probe only: nothing counted for this click and order. */
  | { outcome: 'absent' };

/**
 * A claim is leased until its conversion is confirmed queued: a request that died between claim
 * and queue (or whose release was lost) leaves a lease that runs out, and the next retry takes it
 * over and records the same conversion (same id, so the ingest stores it once). Until then a
 * retry is told "in progress", never "duplicate" of something that was never recorded.
 */
const LEASE_MS = 15_000;
const RETENTION_MS = 400 * 86_400_000;
// Untrusted claimants of one order stored at most; further ones still count (held for review),
// their ids being click-scoped and so the same on every retry, but are not stored.
const MAX_STORED_CLAIMANTS = 16;

type TxidRow = {
  click_id: string;
  conversion_id: string;
  trusted: number;
  payable: number;
  confirmed: number;
  lease_until_ms: number;
  supersedes: string;
  holds: string;
};

/**
 * Remembers which conversions were counted, so that N identical requests arriving at once count
 * once. Sharded by key. Two kinds of claims (docs/decisions/018-counting-truth.md):
 * - `claim` by conversion id: a pixel's (offer, event, click), and, from before txid claims knew
 *   their click, an order's (offer, event, txid) key;
 * - `claimTxid`: an order's key together with the click that claimed it, whether the source was
 *   trusted and whether the conversion can earn, so an affiliate firing guessable order ids from
 *   its own clicks can neither block nor take the advertiser's real postback for another click.
 */
export class ConversionDedupe extends DurableObject<Env> {
  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    const sql = ctx.storage.sql;
    sql.exec(`CREATE TABLE IF NOT EXISTS claim (conversion_id TEXT PRIMARY KEY, at_ms INTEGER NOT NULL)`);
    // Claims made before leases existed were confirmed by the request that made them.
    const columns = sql.exec<{ name: string }>('PRAGMA table_info(claim)').toArray();
    if (!columns.some((c) => c.name === 'confirmed')) {
      sql.exec('ALTER TABLE claim ADD COLUMN confirmed INTEGER NOT NULL DEFAULT 1');
      sql.exec('ALTER TABLE claim ADD COLUMN lease_until_ms INTEGER NOT NULL DEFAULT 0');
    }
    sql.exec(
      `CREATE TABLE IF NOT EXISTS txid_claim (
         key TEXT NOT NULL, click_id TEXT NOT NULL, conversion_id TEXT NOT NULL,
         trusted INTEGER NOT NULL, payable INTEGER NOT NULL, confirmed INTEGER NOT NULL,
         lease_until_ms INTEGER NOT NULL, supersedes TEXT NOT NULL, holds TEXT NOT NULL,
         at_ms INTEGER NOT NULL, PRIMARY KEY (key, click_id))`,
    );
  }

  /** A pixel's claim of (offer, event, click). */
  async claim(input: z.input<typeof claimSchema>): Promise<ClaimOutcome> {
    const { conversionId, nowMs, probe } = claimSchema.parse(input);
    const sql = this.ctx.storage.sql;
    const row = sql
      .exec<{ confirmed: number; lease_until_ms: number }>(
        'SELECT confirmed, lease_until_ms FROM claim WHERE conversion_id = ?',
        conversionId,
      )
      .toArray()[0];
    if (row?.confirmed === 1) return { outcome: 'duplicate', conversionId, sameClick: true };
    if (row && row.lease_until_ms > nowMs) return { outcome: 'in_progress' };
    if (probe) return { outcome: 'absent' };
    sql.exec(
      `INSERT INTO claim (conversion_id, at_ms, confirmed, lease_until_ms) VALUES (?, ?, 0, ?)
       ON CONFLICT (conversion_id) DO UPDATE SET lease_until_ms = excluded.lease_until_ms`,
      conversionId,
      nowMs,
      nowMs + LEASE_MS,
    );
    await this.scheduleCleanup(nowMs);
    return { outcome: 'counted', conversionId, supersedes: [], holds: [], contested: false };
  }

  /** The conversion is in the Queue: the claim is final. */
  async confirm(input: { conversionId: string }): Promise<void> {
    const { conversionId } = claimSchema.pick({ conversionId: true }).parse(input);
    this.ctx.storage.sql.exec('UPDATE claim SET confirmed = 1 WHERE conversion_id = ?', conversionId);
  }

  /** The conversion could not be queued: the next retry may take the claim at once. */
  async release(input: { conversionId: string }): Promise<void> {
    const { conversionId } = claimSchema.pick({ conversionId: true }).parse(input);
    this.ctx.storage.sql.exec(
      'UPDATE claim SET lease_until_ms = 0 WHERE conversion_id = ? AND confirmed = 0',
      conversionId,
    );
  }

  async claimTxid(input: TxidClaim): Promise<ClaimOutcome> {
    const claim = txidClaimSchema.parse(input);
    const sql = this.ctx.storage.sql;
    const rows = sql
      .exec<TxidRow>(
        `SELECT click_id, conversion_id, trusted, payable, confirmed, lease_until_ms, supersedes, holds
         FROM txid_claim WHERE key = ? ORDER BY at_ms`,
        claim.key,
      )
      .toArray();
    const own = rows.find((r) => r.click_id === claim.clickId);
    const others = rows.filter((r) => r.click_id !== claim.clickId);
    const lease = claim.nowMs + LEASE_MS;

    if (own && own.confirmed === 0) {
      if (own.lease_until_ms > claim.nowMs) return { outcome: 'in_progress' };
      if (claim.probe) return { outcome: 'absent' };
      // The request that claimed it never said it was queued: record the same conversion again.
      sql.exec(
        'UPDATE txid_claim SET lease_until_ms = ? WHERE key = ? AND click_id = ?',
        lease,
        claim.key,
        claim.clickId,
      );
      return counted(own);
    }
    // Counted before claims knew their click: whoever it was, this is the order it counted.
    if (!own && sql.exec('SELECT 1 FROM claim WHERE conversion_id = ?', claim.key).toArray().length > 0)
      return { outcome: 'duplicate', conversionId: claim.key, sameClick: true };

    if (own && (!claim.trusted || own.trusted === 1))
      return { outcome: 'duplicate', conversionId: own.conversion_id, sameClick: true };
    const trustedHolder = others.find((r) => r.trusted === 1);
    // The advertiser's own server already said whose order this is.
    if (trustedHolder)
      return { outcome: 'duplicate', conversionId: trustedHolder.conversion_id, sameClick: false };
    if (claim.probe) return { outcome: 'absent' };

    const idTaken = (id: string) => rows.some((r) => r.conversion_id === id);
    const rivals = others.filter((r) => r.payable === 1).map(refOf);
    if (own) {
      // A trusted postback for a click whose order an untrusted request (its own pixel, say)
      // claimed first: the advertiser's figures replace the guess, which is rejected.
      const result: CountedClaim = {
        outcome: 'counted',
        conversionId: claim.alternateId,
        supersedes: [refOf(own), ...rivals],
        holds: [],
        contested: false,
      };
      sql.exec(
        `UPDATE txid_claim SET conversion_id = ?, trusted = 1, payable = ?, confirmed = 0, lease_until_ms = ?,
           supersedes = ?, holds = '[]' WHERE key = ? AND click_id = ?`,
        result.conversionId,
        claim.payable ? 1 : 0,
        lease,
        JSON.stringify(result.supersedes),
        claim.key,
        claim.clickId,
      );
      return result;
    }

    const conversionId = idTaken(claim.conversionId) ? claim.alternateId : claim.conversionId;
    let result: CountedClaim;
    if (claim.trusted) {
      // A trusted postback takes the order from every untrusted claim of other clicks.
      result = { outcome: 'counted', conversionId, supersedes: rivals, holds: [], contested: false };
    } else if (rivals.length === 0 || !claim.payable) {
      // Claims that cannot earn hold nothing back, and are held by nothing.
      result = { outcome: 'counted', conversionId, supersedes: [], holds: [], contested: false };
    } else {
      // Two untrusted claims of one order: nobody can tell the guess from the real one, so both
      // are kept and both are held for review.
      result = { outcome: 'counted', conversionId, supersedes: [], holds: rivals, contested: true };
    }
    if (claim.trusted || others.length < MAX_STORED_CLAIMANTS) {
      sql.exec(
        `INSERT INTO txid_claim (key, click_id, conversion_id, trusted, payable, confirmed, lease_until_ms,
           supersedes, holds, at_ms) VALUES (?, ?, ?, ?, ?, 0, ?, ?, ?, ?)`,
        claim.key,
        claim.clickId,
        result.conversionId,
        claim.trusted ? 1 : 0,
        claim.payable ? 1 : 0,
        lease,
        JSON.stringify(result.supersedes),
        JSON.stringify(result.holds),
        claim.nowMs,
      );
    }
    await this.scheduleCleanup(claim.nowMs);
    return result;
  }

  async confirmTxid(input: { key: string; clickId: string }): Promise<void> {
    const { key, clickId } = txidClaimSchema.pick({ key: true, clickId: true }).parse(input);
    this.ctx.storage.sql.exec(
      'UPDATE txid_claim SET confirmed = 1 WHERE key = ? AND click_id = ?',
      key,
      clickId,
    );
  }

  async releaseTxid(input: { key: string; clickId: string }): Promise<void> {
    const { key, clickId } = txidClaimSchema.pick({ key: true, clickId: true }).parse(input);
    this.ctx.storage.sql.exec(
      'UPDATE txid_claim SET lease_until_ms = 0 WHERE key = ? AND click_id = ? AND confirmed = 0',
      key,
      clickId,
    );
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

function refOf(row: TxidRow): ClaimRef {
  return { conversionId: row.conversion_id, clickId: row.click_id };
}

function counted(row: TxidRow): CountedClaim {
  const holds = JSON.parse(row.holds) as ClaimRef[];
  return {
    outcome: 'counted',
    conversionId: row.conversion_id,
    supersedes: JSON.parse(row.supersedes) as ClaimRef[],
    holds,
    contested: holds.length > 0,
  };
}

export const DEDUPE_SHARDS = 64;

export function dedupeShardName(conversionId: string): string {
  return `dedupe:${Number.parseInt(conversionId.slice(0, 8), 16) % DEDUPE_SHARDS}`;
}
