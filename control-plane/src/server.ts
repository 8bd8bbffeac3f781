import type { Server } from 'node:http';
import { serve } from '@hono/node-server';
import { adPlatformAppsOf, adPlatformEndpointsOf } from './ad-platforms/ad-platform-settings.ts';
import { startBudgetFollower } from './ad-platforms/budget-follower.ts';
import { startAdForwarding } from './ad-platforms/forwarding-outbox.ts';
import { startSpendSync } from './ad-platforms/spend-sync.ts';
import { newApp } from './app.ts';
import { startFundsSweeper } from './billing/funds-sweeper.ts';
import { startBudgetSweeper } from './campaigns/budget-sweeper.ts';
import { assetUrlSigner } from './creatives/assets/asset-urls.ts';
import { startCreativeJobWorker } from './creatives/jobs/creative-job-worker.ts';
import { creativeProvidersOf } from './creatives/providers/provider-registry.ts';
import { assetStorageOf } from './creatives/storage/storage-of-settings.ts';
import { createPaymentDetailsCipher } from './crypto/payment-details-cipher.ts';
import { createSecretBox } from './crypto/secret-box.ts';
import { connectPostgres } from './db/database.ts';
import { openDatabase } from './db/open-database.ts';
import { seedDemo, seedDemoUsers, syncDemoLedger } from './demo/seed-demo.ts';
import { createEdgePublisher } from './edge-sync/edge-publisher.ts';
import { resyncEdge } from './edge-sync/resync.ts';
import { startRateWindowPruner } from './http/rate-limit/rate-window-pruner.ts';
import { startInvoiceScheduler } from './invoices/invoice-scheduler.ts';
import { countUnpostedConversions } from './ledger/unposted-conversions.ts';
import { mailerOf } from './mail/mailer-of-settings.ts';
import { createLogger } from './observability/logger.ts';
import { createMetrics } from './observability/metrics.ts';
import { metricsAccessOf } from './observability/metrics-access.ts';
import { startClickPartitionMaintenance } from './partitions/click-partition-maintenance.ts';
import { startPayoutScheduler } from './payouts/payout-schedule.ts';
import { startPostbackWorker } from './postbacks/postback-outbox.ts';
import { startPersonalDataRetention } from './privacy/personal-data-retention.ts';
import { processorsOf } from './processors/processor-deps.ts';
import { startProcessorEventRetry } from './processors/processor-event-retry.ts';
import { startRotationSweeper } from './rotation/rotation-sweeper.ts';
import { createReadiness } from './runtime/readiness.ts';
import { createShutdown } from './runtime/shutdown.ts';
import { resolveRuntimeSecrets } from './runtime-secrets.ts';
import { loadSettings } from './settings.ts';
import { startIngestMinutesPruner } from './system/ingest-minutes-pruner.ts';

const settings = (() => {
  try {
    return loadSettings(process.env);
  } catch (error) {
    // A settings problem is the operator's to fix: say what it is, without a stack trace.
    console.error(error instanceof Error ? error.message : String(error));
    process.exit(1);
  }
})();
const database = await openDatabase(settings);
// Reports and exports may read a replica (never migrated from here: it follows the primary).
const reportsDatabase = settings.REPORTS_DATABASE_URL
  ? connectPostgres(
      settings.REPORTS_DATABASE_URL,
      settings.DATABASE_DRIVER ? { driver: settings.DATABASE_DRIVER } : {},
    )
  : null;
const edge = createEdgePublisher({
  edgeUrl: settings.EDGE_URL,
  signingSecret: settings.CONFIG_SIGNING_SECRET,
});

if (settings.SEED_DEMO) {
  if (await seedDemo(database.db, edge)) console.log('demo data seeded');
  if (await seedDemoUsers(database.db)) console.log('demo users seeded');
  const ledger = await syncDemoLedger(database.db);
  if (ledger.posted > 0) console.log(`demo ledger synced: ${ledger.posted} conversions posted`);
}
// KV may have been wiped (a fresh local edge) or missed a change: make the edge match Postgres.
try {
  const synced = await resyncEdge(database.db, edge);
  console.log(`edge configuration synced: ${synced.offers} offers, ${synced.affiliates} affiliates`);
} catch (error) {
  console.error(`edge configuration not synced (run \`pnpm resync\` once the edge is up): ${String(error)}`);
}

const secrets = resolveRuntimeSecrets(settings);
const outboundPolicy = {
  allowPrivateNetworks: settings.POSTBACK_ALLOW_PRIVATE_NETWORKS,
  trustedNetworks: settings.POSTBACK_TRUSTED_NETWORKS,
};
const mailer = mailerOf(settings, secrets.secretsDir);
// Stripe and PayPal are each enabled by their keys; without them their features answer 503.
const processors = processorsOf(settings);
console.log(
  `payment processors: stripe ${processors.stripe ? 'on' : 'off'}, paypal ${processors.paypal ? 'on' : 'off'}`,
);
// The asset library (a folder by default) and the generators creative jobs use (decision 029).
const assetStorage = assetStorageOf(settings);
const publicApiUrl = settings.PUBLIC_API_URL ?? `http://${settings.HOST}:${settings.PORT}`;
// The offline templates always, each AI provider when its key is set (providers/provider-registry.ts).
const creativeProviders = Object.fromEntries(creativeProvidersOf(settings));
console.log(`creative providers: ${Object.keys(creativeProviders).join(', ')}`);
// Who may read GET /metrics (observability/metrics-access.ts).
const metricsAccess = metricsAccessOf(settings);
console.log(
  `metrics: GET /metrics ${metricsAccess === 'open' ? 'open (loopback only)' : metricsAccess === 'closed' ? 'off (set METRICS_TOKEN)' : 'with METRICS_TOKEN'}`,
);
// Ad platforms (decision 030): the same dependencies for the routes and the background tasks.
const adPlatforms = {
  db: database.db,
  box: createSecretBox(secrets.PAYMENT_DETAILS_KEY, 'ad-platform-credentials'),
  endpoints: adPlatformEndpointsOf(settings),
  apps: adPlatformAppsOf(settings),
  fetch: (input: RequestInfo | URL, init?: RequestInit) => fetch(input, init),
  timeoutMs: 15_000,
  mailer,
  appUrl: settings.PUBLIC_APP_URL,
  apiUrl: publicApiUrl,
  stateSecret: secrets.JWT_SECRET,
};
const readiness = createReadiness(database.db);
const app = newApp({
  db: database.db,
  readiness,
  edge,
  ingestSigningSecret: settings.INGEST_SIGNING_SECRET,
  jwtSecret: secrets.JWT_SECRET,
  paymentDetailsKey: secrets.PAYMENT_DETAILS_KEY,
  edgePublicUrl: settings.EDGE_PUBLIC_URL ?? settings.EDGE_URL,
  outboundPolicy,
  mailer,
  publicAppUrl: settings.PUBLIC_APP_URL,
  trustedIpHeader: settings.TRUSTED_IP_HEADER,
  trustedProxyHops: settings.TRUSTED_PROXY_HOPS,
  processors,
  assetStorage,
  publicApiUrl,
  creativeProviders,
  adPlatforms,
  ...(reportsDatabase ? { reportsDb: reportsDatabase.db } : {}),
  // GET /metrics (process metrics too) and one JSON log line per request (observability/).
  metrics: createMetrics({ processMetrics: true }),
  metricsAccess,
  logger: createLogger({ level: settings.LOG_LEVEL }),
  rateLimits: {
    apiKeyPerMinute: settings.RATE_LIMIT_API_KEY_PER_MINUTE,
    userPerMinute: settings.RATE_LIMIT_USER_PER_MINUTE,
    ipPerMinute: settings.RATE_LIMIT_IP_PER_MINUTE,
  },
});
// Forwards conversions to ad platforms, reads their spend back, and follows budget stops.
const adForwarding = startAdForwarding(adPlatforms, settings.AD_PLATFORM_SWEEP_INTERVAL_MS);
const adSpendSync = startSpendSync(adPlatforms, settings.AD_SPEND_SYNC_INTERVAL_MS);
const adBudgetFollower = startBudgetFollower(adPlatforms);
// Sends the affiliate postbacks queued in the outbox, with retries (decision 014).
const postbackWorker = startPostbackWorker({
  db: database.db,
  outboundPolicy,
  mailer,
});
// Applies advertiser status changes left waiting and republishes campaign budget stops the
// request path could not (campaigns/budget-sweeper.ts).
const budgetSweeper = startBudgetSweeper({ db: database.db, edge, mailer });
// Recomputes the weights of offers in bandit mode on their interval and publishes those that moved
// (rotation/rotation-sweeper.ts).
const rotationSweeper = startRotationSweeper(
  { db: database.db, edge },
  { intervalMs: settings.ROTATION_SWEEP_INTERVAL_MS },
);
// Runs queued creative generation jobs, two per advertiser at once (creatives/jobs/creative-job-worker.ts).
const creativeJobWorker = startCreativeJobWorker({
  db: database.db,
  edge,
  storage: assetStorage,
  urls: assetUrlSigner(secrets.JWT_SECRET, publicApiUrl),
  providers: creativeProviders,
});
// Stops and restarts advertisers' offers as their money runs out or comes back, where the request
// path could not (billing/funds-sweeper.ts).
const fundsSweeper = startFundsSweeper({ db: database.db, edge, mailer });
// Creates the raw clicks' day partitions ahead and drops those past CLICK_RETENTION_DAYS (partitions/).
const clickPartitions = startClickPartitionMaintenance(database.db, {
  aheadDays: settings.CLICK_PARTITIONS_AHEAD_DAYS,
  retentionDays: settings.CLICK_RETENTION_DAYS,
});
// Erases visitors' ip, user agent and customer hashes past PERSONAL_DATA_RETENTION_DAYS (privacy/).
const personalDataRetention = startPersonalDataRetention(database.db, settings.PERSONAL_DATA_RETENTION_DAYS);
// Keeps the system view's per-minute ingest figures to a week.
const ingestMinutesPruner = startIngestMinutesPruner(database.db);
// Forgets rate-limit counters of callers not seen for an hour (http/rate-limit/).
const rateWindowPruner = startRateWindowPruner(database.db);
// Processes webhook events whose handler failed, before the processor delivers them again.
const processorEventRetry = startProcessorEventRetry(database.db, processors.webhookHandlers);
// Starts the scheduled payout runs when the network pays automatically (payouts/payout-schedule.ts).
const payoutScheduler = startPayoutScheduler({
  db: database.db,
  processors,
  cipher: createPaymentDetailsCipher(secrets.PAYMENT_DETAILS_KEY),
});
// Invoices postpaid advertisers hourly once their period has ended, through Stripe Invoicing
// (invoices/invoice-scheduler.ts); without Stripe there is no task.
const invoiceScheduler = startInvoiceScheduler({ db: database.db, processors });
// Conversions stored before the ledger existed are posted by `ledger sync`, not at start (it may
// take a while on a large install): say so, without holding up the start.
void countUnpostedConversions(database.db)
  .then((n) => {
    if (n > 0)
      console.warn(
        `ledger: ${n >= 100_000 ? 'at least ' : ''}${n} conversions were stored before the ledger and are not posted; ` +
          'run `pnpm --filter @tas/control-plane ledger sync`',
      );
  })
  .catch((error: unknown) => console.error(`ledger: unposted conversions not counted: ${String(error)}`));
const server = serve({ fetch: app.fetch, port: settings.PORT, hostname: settings.HOST }, (info) => {
  console.log(`control plane listening on http://${info.address}:${info.port} (${database.driver})`);
});

// Graceful shutdown within the platform's grace period (runtime/shutdown.ts): /readyz says 503,
// the server takes no new connections, in-flight requests finish while the tasks stop, then the pool.
const shutdown = createShutdown({
  server: server as Server,
  readiness,
  tasks: [
    { name: 'postback worker', stop: () => postbackWorker.stop() },
    { name: 'ad forwarding', stop: () => adForwarding.stop() },
    { name: 'ad spend sync', stop: () => adSpendSync.stop() },
    { name: 'ad budget follower', stop: () => adBudgetFollower.stop() },
    { name: 'budget sweeper', stop: () => budgetSweeper.stop() },
    { name: 'rotation sweeper', stop: () => rotationSweeper.stop() },
    { name: 'creative job worker', stop: () => creativeJobWorker.stop() },
    { name: 'funds sweeper', stop: () => fundsSweeper.stop() },
    { name: 'ingest minutes pruner', stop: () => ingestMinutesPruner.stop() },
    { name: 'rate window pruner', stop: () => rateWindowPruner.stop() },
    { name: 'click partitions', stop: () => clickPartitions.stop() },
    { name: 'personal data retention', stop: () => personalDataRetention.stop() },
    { name: 'processor event retry', stop: () => processorEventRetry.stop() },
    { name: 'payout scheduler', stop: () => payoutScheduler.stop() },
    ...(invoiceScheduler ? [{ name: 'invoice scheduler', stop: () => invoiceScheduler.stop() }] : []),
  ],
  closeDatabase: async () => {
    await reportsDatabase?.close();
    await database.close();
  },
  graceMs: settings.SHUTDOWN_GRACE_MS,
  delayMs: settings.SHUTDOWN_DELAY_MS,
});
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    void shutdown(signal).then((result) => process.exit(result.clean ? 0 : 1));
  });
}
