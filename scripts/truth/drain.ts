import type pg from 'pg';
import { readCounts, readSnapshot } from './database-snapshot.ts';
import type { ProxyStats } from './ingest-fault-proxy.ts';
import type { Ledger } from './ledger.ts';
import { type Reconciliation, reconcile } from './reconcile.ts';

export type DrainOutcome = {
  /** Everything expected was accounted for (stored or quarantined) before the timeout. */
  drained: boolean;
  /** The rows the rule checks wait for were as expected (false: the grace after the drain ran out). */
  rulesHeld: boolean;
  ms: number;
  lastChangeMs: number;
};

/**
 * Waits for the Queue to deliver what the edge accepted: polls Postgres until every expected event
 * is stored or quarantined and no event the ingest failed is still due for redelivery (a batch
 * stored but answered 503 comes back seconds later, and its second coming must be seen not to
 * count twice), or `timeoutMs` passes. The full reconciliation runs only when the counts moved
 * (it reads every id), at most every 2 s. Then, for at most `RULES_GRACE_MS`, until `rulesHold`:
 * rows the rules expect to change after they are stored (a pixel conversion rejected when the
 * advertiser's postback takes its order) are changed right after their batch is stored.
 */
export async function waitForDrain(
  db: pg.Pool,
  ledger: Ledger,
  proxy: ProxyStats,
  timeoutMs: number,
  rulesHold: () => Promise<boolean> = async () => true,
): Promise<DrainOutcome> {
  const started = Date.now();
  let drainedAt: number | null = null;
  let lastCounts = '';
  let lastChange = started;
  let lastFull = 0;
  let checkedCounts = '';
  let accounted = false;
  for (;;) {
    const counts = await readCounts(db).catch(() => lastCounts);
    if (counts !== lastCounts) {
      lastCounts = counts;
      lastChange = Date.now();
    }
    if (!accounted && counts !== checkedCounts && Date.now() - lastFull >= 2000) {
      lastFull = Date.now();
      checkedCounts = counts;
      const result = await readSnapshot(db)
        .then((snapshot) => reconcile(ledger, snapshot))
        .catch(() => null);
      accounted = result !== null && settled(result);
    }
    if (accounted && proxy.awaitingRedelivery === 0) {
      drainedAt ??= Date.now();
      const rulesHeld = await rulesHold().catch(() => false);
      if (rulesHeld || Date.now() - drainedAt > RULES_GRACE_MS)
        return { drained: true, rulesHeld, ms: Date.now() - started, lastChangeMs: lastChange - started };
    } else if (Date.now() - started > timeoutMs) {
      return {
        drained: false,
        rulesHeld: false,
        ms: Date.now() - started,
        lastChangeMs: lastChange - started,
      };
    }
    await new Promise((r) => setTimeout(r, 500));
  }
}

const RULES_GRACE_MS = 15_000;

/**
 * Nothing the edge accepted is missing from Postgres. Injected batches are not waited for: they
 * had their final answer before the drain began. Doubles are not waited away: they are final.
 */
function settled(result: Reconciliation): boolean {
  const { kinds, rollup } = result;
  return kinds.click.lost + kinds.postback.lost + kinds.pixel.lost + kinds.status.lost + rollup.lost === 0;
}
