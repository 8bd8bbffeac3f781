import { swaggerUI } from '@hono/swagger-ui';
import { OpenAPIHono } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { except } from 'hono/combine';
import { HTTPException } from 'hono/http-exception';
import { userRoutes } from './accounts/user-routes.ts';
import type { AdPlatformDeps } from './ad-platforms/ad-platform-deps.ts';
import { adPlatformRoutes } from './ad-platforms/ad-platform-routes.ts';
import { PRODUCTION_ENDPOINTS } from './ad-platforms/ad-platform-settings.ts';
import { roiRoutes } from './ad-platforms/roi-routes.ts';
import { advertiserRoutes } from './advertisers/advertiser-routes.ts';
import { affiliateRoutes } from './affiliates/affiliate-routes.ts';
import { applicationRoutes } from './applications/application-routes.ts';
import { auditRoutes } from './audit/audit-routes.ts';
import { accessTokenKeys } from './auth/access-tokens.ts';
import { apiKeyRoutes } from './auth/api-key-routes.ts';
import { authRoutes } from './auth/auth-routes.ts';
import { ownAccountRoutes } from './auth/own-account-routes.ts';
import { billingSettingsRoutes } from './billing/billing-settings-routes.ts';
import { registerTopUpHandlers } from './billing/top-up-handlers.ts';
import { topUpRoutes } from './billing/top-up-routes.ts';
import { campaignRoutes } from './campaigns/campaign-routes.ts';
import { conversionRoutes } from './conversions/conversion-routes.ts';
import {
  creativeAssetRoutes,
  creativeUploadRoutes,
  isAssetUpload,
  isSignedAssetFetch,
} from './creatives/assets/asset-routes.ts';
import { assetUrlSigner } from './creatives/assets/asset-urls.ts';
import { brandKitRoutes } from './creatives/brand-kits/brand-kit-routes.ts';
import { creativeRoutes } from './creatives/creative-routes.ts';
import { creativeJobRoutes } from './creatives/jobs/creative-job-routes.ts';
import type { ProviderSet } from './creatives/jobs/creative-job-service.ts';
import { templatesProvider } from './creatives/providers/templates.ts';
import type { AssetStorage } from './creatives/storage/asset-storage.ts';
import { memoryAssetStorage } from './creatives/storage/memory-storage.ts';
import { createPaymentDetailsCipher } from './crypto/payment-details-cipher.ts';
import { createSecretBox } from './crypto/secret-box.ts';
import type { Database } from './db/database.ts';
import type { EdgePublisher } from './edge-sync/edge-publisher.ts';
import { ApiError, type ErrorCode } from './http/api-error.ts';
import { identifyCaller } from './http/middleware/identify-caller.ts';
import { rateLimit } from './http/middleware/rate-limit.ts';
import { DEFAULT_RATE_LIMITS, type RateLimits } from './http/rate-limit/rate-limits.ts';
import { ingestRoute } from './ingest/ingest-route.ts';
import { quarantineRoutes } from './ingest/quarantine-routes.ts';
import { advertiserStatementRoutes } from './invoices/advertiser-statement-routes.ts';
import { invoiceRoutes } from './invoices/invoice-routes.ts';
import { registerInvoiceWebhooks } from './invoices/invoice-webhooks.ts';
import { ledgerRoutes } from './ledger/ledger-routes.ts';
import { liveRoutes } from './live/live-routes.ts';
import type { LiveStreamLimits } from './live/live-stream-slots.ts';
import type { Mailer } from './mail/mailer.ts';
import { networkRoutes } from './network/network-routes.ts';
import { registerBacklogGauges } from './observability/backlog-gauges.ts';
import { registerDeadLetterGauge } from './observability/dead-letter-gauge.ts';
import { httpMetrics } from './observability/http-metrics.ts';
import { initIngestMetrics } from './observability/ingest-metrics.ts';
import { createLogger, type Logger } from './observability/logger.ts';
import { createMetrics, type Metrics } from './observability/metrics.ts';
import type { MetricsAccess } from './observability/metrics-access.ts';
import { metricsRoute } from './observability/metrics-route.ts';
import { registerPartitionGauges } from './observability/partition-gauges.ts';
import { registerPoolGauges } from './observability/pool-gauges.ts';
import { requestIdOf } from './observability/request-id.ts';
import { requestLog } from './observability/request-log.ts';
import { offerCapRoutes } from './offers/offer-cap-routes.ts';
import { offerRoutes } from './offers/offer-routes.ts';
import { payoutRoutes } from './payouts/payout-routes.ts';
import { payoutRunRoutes } from './payouts/payout-run-routes.ts';
import { payoutSettingsRoutes } from './payouts/payout-settings-routes.ts';
import { registerPayoutWebhooks } from './payouts/payout-webhooks.ts';
import type { OutboundPolicy } from './postbacks/outbound-guard.ts';
import { postbackConfigRoutes } from './postbacks/postback-config-routes.ts';
import { postbackDeliveryRoutes } from './postbacks/postback-delivery-routes.ts';
import { privacyRoutes } from './privacy/privacy-routes.ts';
import { noProcessors, type ProcessorDeps } from './processors/processor-deps.ts';
import { webhookRoutes } from './processors/webhook-routes.ts';
import { reportRoutes } from './reports/report-routes.ts';
import { rotationRoutes } from './rotation/rotation-routes.ts';
import { createReadiness, type Readiness, readinessRoutes } from './runtime/readiness.ts';
import { systemRoutes } from './system/system-routes.ts';

export type AppDeps = {
  db: Database;
  edge: EdgePublisher;
  ingestSigningSecret: string;
  /** HMAC key of access tokens (settings JWT_SECRET). */
  jwtSecret: string;
  mailer: Mailer;
  /** Base of links in emails. */
  publicAppUrl: string;
  /** AES-256-GCM key (base64) for affiliates' payment details. */
  paymentDetailsKey: string;
  /** Public base URL of the edge, for tracking links shown to affiliates. */
  edgePublicUrl: string;
  /** Whether postbacks may go to private and loopback addresses (never in production). */
  outboundPolicy: OutboundPolicy;
  /** Header holding the client address when behind a trusted proxy; unset: the socket address. */
  trustedIpHeader?: string | undefined;
  /** How many trusted proxies append to that header (default 1). */
  trustedProxyHops?: number | undefined;
  now?: () => Date;
  /** How often the live feed looks for new events (default 2 s). */
  livePollMs?: number;
  /** How often an open live feed re-checks its credential (default 20 s). */
  liveRecheckMs?: number;
  /** How many live feeds may be open (default LIVE_STREAM_LIMITS). */
  liveLimits?: LiveStreamLimits;
  onMailQueued?: (sending: Promise<void>) => void;
  /** Stripe and PayPal, each null when not configured; webhook handlers by event type. */
  processors?: ProcessorDeps;
  /** The creatives' asset library (server.ts: the configured folder); default in memory. */
  assetStorage?: AssetStorage;
  /** Public base of this API, for the signed asset URLs creatives carry. */
  publicApiUrl?: string;
  /** Creative generators by id; default the offline templates only. */
  creativeProviders?: ProviderSet;
  /** Ad platforms (server.ts: from settings, shared with the outbox); default production addresses, no apps. */
  adPlatforms?: AdPlatformDeps;
  /** A read replica for reports and exports (settings REPORTS_DATABASE_URL); default `db`. */
  reportsDb?: Database;
  /** This app's metrics (server.ts: with process metrics); default a fresh registry. One app per Metrics. */
  metrics?: Metrics;
  /** Who may read GET /metrics (observability/metrics-access.ts); default closed (404). */
  metricsAccess?: MetricsAccess;
  /** JSON request log (pino); default: errors only, to stdout. */
  logger?: Logger;
  /** What /readyz answers (server.ts: drained at shutdown); default checks the database only. */
  readiness?: Readiness;
  /** Requests a minute per API key, user and anonymous address on /api (settings RATE_LIMIT_*); default DEFAULT_RATE_LIMITS. */
  rateLimits?: RateLimits;
};

/** The ad-platform dependencies of an app built without them: production addresses, no OAuth apps. */
export function defaultAdPlatformDeps(deps: AppDeps): AdPlatformDeps {
  return {
    db: deps.db,
    box: createSecretBox(deps.paymentDetailsKey, 'ad-platform-credentials'),
    endpoints: PRODUCTION_ENDPOINTS,
    apps: {},
    fetch: (input, init) => fetch(input, init),
    timeoutMs: 15_000,
    mailer: deps.mailer,
    appUrl: deps.publicAppUrl,
    apiUrl: deps.publicApiUrl ?? 'http://127.0.0.1:8788',
    stateSecret: deps.jwtSecret,
  };
}

const API_BODY_LIMIT = 1024 * 1024;

const nowOf = (deps: AppDeps) => (deps.now ? { now: deps.now } : {});

function errorBody(c: Context, code: ErrorCode, message: string) {
  const requestId = requestIdOf(c);
  return { error: { code, message, requestId } };
}

/** Builds the control plane app. Tests and the server use this same factory. */
export function newApp(deps: AppDeps) {
  const app = new OpenAPIHono();
  const keys = accessTokenKeys(deps.jwtSecret);
  const processors = deps.processors ?? noProcessors();
  // What Stripe's events mean for top-ups: the ledger credits them and stopped offers restart
  // (billing/top-up-handlers.ts).
  registerTopUpHandlers(processors.webhookHandlers, { edge: deps.edge, mailer: deps.mailer });
  // What processors say of payouts: paid, failed, reversed (payouts/payout-webhooks.ts).
  registerPayoutWebhooks(processors.webhookHandlers);
  // What Stripe says of postpaid invoices: sent, paid (posted to the ledger), void (invoices/invoice-webhooks.ts).
  registerInvoiceWebhooks(processors.webhookHandlers, { edge: deps.edge, mailer: deps.mailer });
  const routeDeps = {
    ...deps,
    keys,
    paymentCipher: createPaymentDetailsCipher(deps.paymentDetailsKey),
    processors,
    assetStorage: deps.assetStorage ?? memoryAssetStorage(),
    creativeProviders: deps.creativeProviders ?? { templates: templatesProvider() },
    assetUrls: assetUrlSigner(deps.jwtSecret, deps.publicApiUrl ?? 'http://127.0.0.1:8788'),
    adPlatforms: deps.adPlatforms ?? defaultAdPlatformDeps(deps),
  };

  const metrics = deps.metrics ?? createMetrics();
  // Without a logger (tests, scripts) only errors are written; server.ts passes the configured one.
  const logger = deps.logger ?? createLogger({ level: 'error' });
  initIngestMetrics(metrics);
  registerBacklogGauges(metrics, deps.db);
  registerPartitionGauges(metrics, deps.db);
  registerPoolGauges(metrics, deps.db);
  registerDeadLetterGauge(metrics, deps.edge);
  // First: every request gets its id, its log line and its timing, errors and 404s included.
  app.use('*', requestLog(logger));
  app.use('*', httpMetrics(metrics));

  app.onError((error, c) => {
    if (error instanceof ApiError) {
      if (error.retryAfterSeconds !== undefined) c.header('retry-after', String(error.retryAfterSeconds));
      return c.json(errorBody(c, error.code, error.message), error.status);
    }
    // Hono's own validators and limits throw HTTPException; keep them in our shape and enum.
    if (error instanceof HTTPException && error.status < 500) {
      const code: ErrorCode =
        error.status === 413
          ? 'payload_too_large'
          : /json/i.test(error.message)
            ? 'invalid_json'
            : 'invalid_request';
      return c.json(
        errorBody(c, code, error.message || 'Invalid request.'),
        code === 'payload_too_large' ? 413 : 400,
      );
    }
    const body = errorBody(c, 'internal_error', 'Something went wrong on our side.');
    // The request's own line follows, with its route and status.
    logger.error({ requestId: body.error.requestId, error: String(error) }, 'unhandled error');
    return c.json(body, 500);
  });
  app.notFound((c) => c.json(errorBody(c, 'not_found', 'No such endpoint.'), 404));

  app.get('/healthz', (c) => c.json({ status: 'ok' }));
  app.route('/', readinessRoutes(deps.readiness ?? createReadiness(deps.db)));
  app.route('/internal/ingest', ingestRoute({ ...deps, metrics }));
  app.route('/metrics', metricsRoute(metrics, deps.metricsAccess ?? 'closed'));
  // Stripe and PayPal call these; verified by signature, not by our credentials.
  app.route('/webhooks', webhookRoutes({ db: deps.db, processors }));

  const apiBodyLimit = bodyLimit({
    maxSize: API_BODY_LIMIT,
    onError: () => {
      throw new ApiError('payload_too_large', `A request body may not exceed ${API_BODY_LIMIT} bytes.`);
    },
  });
  // Asset uploads stream within their own limits, by what the file turns out to be
  // (creatives/assets/upload-content.ts).
  app.use('/api/*', (c, next) => (isAssetUpload(c.req.method, c.req.path) ? next() : apiBodyLimit(c, next)));
  // Every /api request is counted against its API key, its user or (without a valid credential)
  // its address, across instances. The ingest, webhooks, health and metrics are outside /api;
  // signed creative files are fetched by affiliates' visitors and verified by their signature.
  app.use(
    '/api/*',
    except(
      (c) => isSignedAssetFetch(c.req.method, c.req.path),
      identifyCaller(routeDeps),
      rateLimit({ db: deps.db, limits: deps.rateLimits ?? DEFAULT_RATE_LIMITS, ...nowOf(deps) }),
    ),
  );
  app.route('/api/v1/auth', authRoutes(routeDeps));
  app.route('/api/v1/auth', ownAccountRoutes(routeDeps));
  app.route('/api/v1/api-keys', apiKeyRoutes(routeDeps));
  app.route('/api/v1/users', userRoutes(routeDeps));
  app.route('/api/v1/audit-events', auditRoutes(routeDeps));
  app.route('/api/v1/advertisers', advertiserRoutes(routeDeps));
  app.route('/api/v1/affiliates', affiliateRoutes(routeDeps));
  app.route('/api/v1/offers', offerRoutes(routeDeps));
  app.route('/api/v1/offers', offerCapRoutes(routeDeps));
  app.route('/api/v1/offers', rotationRoutes(routeDeps));
  app.route('/api/v1', applicationRoutes(routeDeps));
  app.route('/api/v1/network-settings', networkRoutes(routeDeps));
  app.route('/api/v1/campaigns', campaignRoutes(routeDeps));
  app.route('/api/v1/creatives', creativeRoutes(routeDeps));
  app.route('/api/v1/creatives', creativeUploadRoutes(routeDeps));
  app.route('/api/v1/creative-assets', creativeAssetRoutes(routeDeps));
  app.route('/api/v1/brand-kits', brandKitRoutes(routeDeps));
  app.route('/api/v1/creative-jobs', creativeJobRoutes(routeDeps));
  app.route('/api/v1/postback-configs', postbackConfigRoutes(routeDeps));
  app.route('/api/v1/postback-deliveries', postbackDeliveryRoutes(routeDeps));
  app.route('/api/v1/conversions', conversionRoutes(routeDeps));
  app.route('/api/v1/reports', reportRoutes(routeDeps));
  app.route('/api/v1/reports', roiRoutes(routeDeps));
  app.route('/api/v1/ad-platforms', adPlatformRoutes(routeDeps));
  app.route('/api/v1/live', liveRoutes(routeDeps));
  app.route('/api/v1/ingest-quarantine', quarantineRoutes(routeDeps));
  app.route('/api/v1/ledger', ledgerRoutes(routeDeps));
  app.route('/api/v1/top-ups', topUpRoutes(routeDeps));
  app.route('/api/v1/invoices', invoiceRoutes(routeDeps));
  app.route('/api/v1/advertisers', advertiserStatementRoutes(routeDeps));
  app.route('/api/v1/advertisers', billingSettingsRoutes(routeDeps));
  app.route('/api/v1/payout-runs', payoutRunRoutes(routeDeps));
  app.route('/api/v1/payouts', payoutRoutes(routeDeps));
  app.route('/api/v1/payout-settings', payoutSettingsRoutes(routeDeps));
  app.route('/api/v1/system', systemRoutes(routeDeps));
  app.route('/api/v1/privacy', privacyRoutes(routeDeps));

  app.openAPIRegistry.registerComponent('securitySchemes', 'bearerAuth', {
    type: 'http',
    scheme: 'bearer',
    description: 'An access token from /api/v1/auth/login, or an API key (tas_...)',
  });
  app.doc31('/api/openapi.json', {
    openapi: '3.1.0',
    info: {
      title: 'TAS control plane API',
      version: '1',
      description:
        'Errors: `{ "error": { "code", "message", "requestId" } }` with a code from a closed list. ' +
        'Money is in integer minor units of the currency; times are UTC. ' +
        'Requests are rate-limited per API key, per user and per client address without a credential: ' +
        'answers carry `RateLimit-Limit`, `RateLimit-Remaining`, `RateLimit-Reset` and `RateLimit-Policy`, ' +
        'and over the limit 429 `rate_limited` with `Retry-After`.',
    },
  });
  app.get('/api/docs', swaggerUI({ url: '/api/openapi.json' }));
  return app;
}
