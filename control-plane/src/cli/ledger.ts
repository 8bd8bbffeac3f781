import { openDatabase } from '../db/open-database.ts';
import { reconcileLedger } from '../ledger/reconciliation.ts';
import { syncExistingConversions } from '../ledger/sync-existing-conversions.ts';
import { processorsOf } from '../processors/processor-deps.ts';
import { loadSettings } from '../settings.ts';

/**
 * `pnpm --filter @tas/control-plane ledger reconcile [--since <date>] | sync [--after <id>]`:
 * reconcile proves the ledger equal to the conversions, the payouts and each configured
 * processor's records since the date (default: 90 days back); it exits 1 on any difference, 3
 * when some part could not be checked (a processor down), every difference printed. sync posts
 * the ledger of conversions stored before it existed (resumable, idempotent).
 */
const [action, flag, value] = process.argv.slice(2);
const flagFor = { reconcile: '--since', sync: '--after' } as const;
const since = action === 'reconcile' && value ? new Date(value) : undefined;
if (
  (action !== 'reconcile' && action !== 'sync') ||
  (flag !== undefined && (flag !== flagFor[action] || !value)) ||
  (since !== undefined && Number.isNaN(since.getTime()))
) {
  console.error('usage: ledger reconcile [--since <ISO date>] | ledger sync [--after <conversion id>]');
  process.exit(2);
}
const after = action === 'sync' ? value : undefined;
const settings = loadSettings(process.env);
const database = await openDatabase(settings);
let exitCode = 0;
try {
  if (action === 'sync') {
    const started = performance.now();
    const done = await syncExistingConversions(database.db, {
      ...(after ? { after } : {}),
      onBatch: (p) =>
        console.log(`${p.conversions} conversions read, ${p.posted} transfers posted; last id ${p.lastId}`),
    });
    for (const id of done.unpostable)
      console.log(`cannot post conversion ${id}: revenue without a known advertiser`);
    console.log(
      `ledger synced: ${done.conversions} conversions, ${done.posted} transfers posted, ` +
        `${done.unpostable.length} unpostable, in ${((performance.now() - started) / 1000).toFixed(1)} s`,
    );
  } else {
    const started = performance.now();
    const result = await reconcileLedger(database.db, {
      maxDifferences: 0,
      processors: processorsOf(settings),
      since,
      onDifference: (d) => console.log(`${d.check}\t${d.code}\t${d.message}`),
    });
    for (const check of result.checks) {
      console.log(
        check.status === 'not_checked' && !check.parts
          ? `${check.name}: NOT CHECKED (not built yet)`
          : `${check.name}: ${check.status === 'not_checked' ? 'NOT CHECKED' : check.status}${check.differences ? ` (${check.differences})` : ''}`,
      );
      for (const part of check.parts ?? []) {
        console.log(
          `  ${part.name}: ${part.status === 'not_checked' ? 'NOT CHECKED' : part.status}${part.message ? ` (${part.message})` : ''}`,
        );
      }
    }
    console.log(
      `${result.clean ? `no differences${result.complete ? '' : ' in the parts checked'}` : `${result.differencesTotal} differences`}` +
        ` (processors' records since ${result.since.toISOString()}; ${((performance.now() - started) / 1000).toFixed(1)} s)`,
    );
    if (!result.clean) exitCode = 1;
    else if (!result.complete) exitCode = 3;
  }
} finally {
  await database.close();
}
process.exit(exitCode);
