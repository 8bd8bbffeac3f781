import { openDatabase } from '../db/open-database.ts';
import { createEdgePublisher } from '../edge-sync/edge-publisher.ts';
import { listQuarantine } from '../ingest/quarantine.ts';
import { replayQuarantine } from '../ingest/quarantine-replay.ts';
import { mailerOf } from '../mail/mailer-of-settings.ts';
import { resolveRuntimeSecrets } from '../runtime-secrets.ts';
import { loadSettings } from '../settings.ts';

/**
 * `pnpm --filter @tas/control-plane quarantine list|replay`: events the ingest could not store,
 * with their reasons, and their replay after a fix (the same as /api/v1/ingest-quarantine).
 */
const action = process.argv[2];
if (action !== 'list' && action !== 'replay') {
  console.error('usage: quarantine list|replay');
  process.exit(2);
}
const settings = loadSettings(process.env);
const database = await openDatabase(settings);
try {
  if (action === 'list') {
    let after: number | undefined;
    let total = 0;
    for (;;) {
      const rows = await listQuarantine(database.db, { after, limit: 200, includeReplayed: false });
      for (const row of rows) {
        console.log(
          `${row.id}\t${row.receivedAt.toISOString()}\t${row.eventType ?? '-'}\t${row.eventId ?? '-'}\t${row.reasonCode}\t${row.reason}`,
        );
      }
      total += rows.length;
      if (rows.length < 200) break;
      after = rows.at(-1)?.id;
    }
    console.log(`${total} events in quarantine`);
  } else {
    const deps = {
      db: database.db,
      edge: createEdgePublisher({
        edgeUrl: settings.EDGE_URL,
        signingSecret: settings.CONFIG_SIGNING_SECRET,
      }),
      mailer: mailerOf(settings, resolveRuntimeSecrets(settings).secretsDir),
      ingestSigningSecret: settings.INGEST_SIGNING_SECRET,
    };
    let replayed = 0;
    const still = new Map<number, string>();
    for (;;) {
      const pending = (await listQuarantine(database.db, { limit: 1000, includeReplayed: false })).filter(
        (row) => !still.has(row.id),
      );
      if (pending.length === 0) break;
      const outcome = await replayQuarantine(deps, { ids: pending.map((row) => row.id), limit: 1000 });
      replayed += outcome.replayed;
      for (const row of outcome.stillQuarantined) still.set(row.id, `${row.reasonCode}: ${row.reason}`);
      if (outcome.replayed === 0) break;
    }
    for (const [id, reason] of still) console.log(`still quarantined ${id}: ${reason}`);
    console.log(`replayed ${replayed}; ${still.size} still quarantined`);
  }
} finally {
  await database.close();
}
