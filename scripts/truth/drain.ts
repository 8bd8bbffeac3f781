import type pg from 'pg';
import { readCounts, readSnapshot } from './database-snapshot.ts';
import type { Ledger } from './ledger.ts';
import { type Reconciliation, reconcile } from './reconcile.ts';

export type DrainOutcome = {
  /** Everything expected was accounted for (stored or quarantined) before the timeout. */
  drained: boolean;
  ms: number;
  lastChangeMs: number;
};

/**
 * Waits for the Queue to deliver what the edge accepted: polls Postgres until every expected event
 * is stored or quarantined, or `timeoutMs` passes. The full reconciliation runs only when the
 * counts moved (it reads every id), at most every 2 s.
 */
export async function waitForDrain(db: pg.Pool, ledger: Ledger, timeoutMs: number): Promise<DrainOutcome> {
  const started = Date.now();
  let lastCounts = '';
  let lastChange = started;
  let lastFull = 0;
  let checkedCounts = '';
  for (;;) {
    const counts = await readCounts(db).catch(() => lastCounts);
    if (counts !== lastCounts) {
      lastCounts = counts;
      lastChange = Date.now();
    }
    if (counts !== checkedCounts && Date.now() - lastFull >= 2000) {
      lastFull = Date.now();
      checkedCounts = counts;
      const result = await readSnapshot(db)
        .then((snapshot) => reconcile(ledger, snapshot))
        .catch(() => null);
      if (result && settled(result))
        return { drained: true, ms: Date.now() - started, lastChangeMs: lastChange - started };
    }
    if (Date.now() - started > timeoutMs)
      return { drained: false, ms: Date.now() - started, lastChangeMs: lastChange - started };
    await new Promise((r) => setTimeout(r, 500));
  }
}

/**
 * Nothing the edge accepted is missing from Postgres. Injected batches are not waited for: they
 * had their final answer before the drain began. Doubles are not waited away: they are final.
 */
function settled(result: Reconciliation): boolean {
  const { kinds, rollup } = result;
  return kinds.click.lost + kinds.postback.lost + kinds.pixel.lost + kinds.status.lost + rollup.lost === 0;
}
