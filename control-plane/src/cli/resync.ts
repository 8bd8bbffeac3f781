import { openDatabase } from '../db/open-database.ts';
import { createEdgePublisher } from '../edge-sync/edge-publisher.ts';
import { resyncEdge } from '../edge-sync/resync.ts';
import { loadSettings } from '../settings.ts';

/** `pnpm resync`: rebuilds the edge's KV from Postgres. */
const settings = loadSettings(process.env);
const database = await openDatabase(settings);
try {
  const edge = createEdgePublisher({
    edgeUrl: settings.EDGE_URL,
    signingSecret: settings.CONFIG_SIGNING_SECRET,
  });
  const result = await resyncEdge(database.db, edge);
  console.log(`resynced ${result.offers} offers and ${result.affiliates} affiliates to ${settings.EDGE_URL}`);
} finally {
  await database.close();
}
