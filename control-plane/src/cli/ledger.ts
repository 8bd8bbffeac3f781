import { openDatabase } from '../db/open-database.ts';
import { reconcileLedger } from '../ledger/reconciliation.ts';
import { syncExistingConversions } from '../ledger/sync-existing-conversions.ts';
import { loadSettings } from '../settings.ts';

/**
 * `pnpm --filter @tas/control-plane ledger reconcile|sync [--after <conversion id>]`:
 * reconcile proves the ledger equal to the conversions (exit 1 when it is not, every difference
 * printed); sync posts the ledger of conversions stored before it existed (resumable, idempotent).
 */
const [action, flag, after] = process.argv.slice(2);
if ((action !== 'reconcile' && action !== 'sync') || (flag !== undefined && (flag !== '--after' || !after))) {
  console.error('usage: ledger reconcile | ledger sync [--after <conversion id>]');
  process.exit(2);
}
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
    const result = await reconcileLedger(database.db, {
      maxDifferences: 0,
      onDifference: (d) => console.log(`${d.check}\t${d.code}\t${d.message}`),
    });
    for (const check of result.checks) {
      console.log(
        check.status === 'not_checked'
          ? `${check.name}: NOT CHECKED (not built yet)`
          : `${check.name}: ${check.status}${check.differences ? ` (${check.differences})` : ''}`,
      );
    }
    console.log(
      result.clean
        ? `no differences${result.complete ? '' : ' in the parts checked'}`
        : `${result.differencesTotal} differences`,
    );
    if (!result.clean) exitCode = 1;
  }
} finally {
  await database.close();
}
process.exit(exitCode);
