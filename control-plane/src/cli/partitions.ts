import { connectPglite, connectPostgres } from '../db/database.ts';
import { maintainClickPartitions } from '../partitions/click-partition-maintenance.ts';
import { listClickPartitions } from '../partitions/click-partitions.ts';
import { prepareClickPartitioning } from '../partitions/prepare-click-partitioning.ts';
import { loadSettings } from '../settings.ts';

/**
 * `pnpm --filter @tas/control-plane partitions <command>` (decision 032):
 * - `prepare`: before upgrading a large install to partitioned clicks, builds the migration's
 *   indexes and bound without blocking ingest or reports (it does not migrate);
 * - `status`: the click partitions and their ranges;
 * - `maintain`: one round now (days ahead created, days past CLICK_RETENTION_DAYS dropped).
 */
const command = process.argv[2];
const settings = loadSettings(process.env);
const database = settings.DATABASE_URL
  ? connectPostgres(
      settings.DATABASE_URL,
      settings.DATABASE_DRIVER ? { driver: settings.DATABASE_DRIVER } : {},
    )
  : await connectPglite(settings.PGLITE_DIR);
try {
  if (command === 'prepare') {
    const result = await prepareClickPartitioning(database.db, { now: new Date() });
    console.log(
      result.status === 'prepared'
        ? `prepared: upgrade before ${result.bound.toISOString()} (clicks after it would be quarantined until then)`
        : 'clicks is already partitioned: nothing to prepare',
    );
  } else if (command === 'status') {
    for (const p of await listClickPartitions(database.db)) {
      console.log(
        `${p.name}\t${p.from?.toISOString() ?? 'MINVALUE'}\t${p.to.toISOString()}${p.detachPending ? '\tdetach pending' : ''}`,
      );
    }
  } else if (command === 'maintain') {
    await database.migrate();
    const result = await maintainClickPartitions(database.db, {
      aheadDays: settings.CLICK_PARTITIONS_AHEAD_DAYS,
      retentionDays: settings.CLICK_RETENTION_DAYS,
    });
    console.log(`created ${result.created.length}, dropped ${result.dropped.length}`);
  } else {
    console.error('usage: partitions prepare | status | maintain');
    process.exitCode = 2;
  }
} finally {
  await database.close();
}
