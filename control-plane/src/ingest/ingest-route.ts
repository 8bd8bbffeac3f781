import { ingestRequestSchema, MAX_INGEST_BYTES } from '@tas/shared/events';
import { SIGNATURE_HEADER, verifyBody } from '@tas/shared/signature';
import { Hono } from 'hono';
import { syncFundsOfOffersLogged } from '../billing/funds-stop.ts';
import { syncBudgetStateLogged } from '../campaigns/campaign-budget-state.ts';
import { applyStatusUpdates } from '../conversions/advertiser-status-updates.ts';
import type { Database } from '../db/database.ts';
import type { EdgePublisher } from '../edge-sync/edge-publisher.ts';
import { ApiError } from '../http/api-error.ts';
import { readLimitedBody } from '../http/read-limited-body.ts';
import type { Mailer } from '../mail/mailer.ts';
import { recordIngestBatch } from '../observability/ingest-metrics.ts';
import type { Metrics } from '../observability/metrics.ts';
import { annotateRequestLog } from '../observability/request-log.ts';
import { isDatabaseUnavailable, rootMessage } from './database-errors.ts';
import { type StoredBatch, type StoreOptions, storeBatch } from './store-batch.ts';

export type IngestDeps = {
  db: Database;
  edge: EdgePublisher;
  mailer: Mailer;
  ingestSigningSecret: string;
  now?: () => Date;
  /** Counts batches and their events (observability/ingest-metrics.ts). */
  metrics?: Metrics;
};

/**
 * `POST /internal/ingest`: event batches from the edge's Queue consumer, HMAC-signed. Every event
 * is judged alone: the answer is 200 once each one is stored or quarantined with its reason
 * (`quarantined` counts those), or held back for its click (`deferred` names those, when the
 * batch says `canDefer`: the consumer sends them again later), 400 only for a body that is not a
 * batch at all, and 503 when the database is down (the consumer retries the batch whole, later).
 */
export function ingestRoute(deps: IngestDeps) {
  return new Hono().post('/', async (c) => {
    // The size is checked while reading, before anything else is done with the body.
    const body = await readLimitedBody(c.req.raw, MAX_INGEST_BYTES);
    // The signature is checked on the raw bytes before anything is parsed.
    const check = await verifyBody(
      deps.ingestSigningSecret,
      c.req.path,
      body,
      c.req.header(SIGNATURE_HEADER),
    );
    if (!check.ok) throw new ApiError('invalid_signature', `Batch signature ${check.reason}.`);
    let json: unknown;
    try {
      json = JSON.parse(body);
    } catch {
      throw new ApiError('invalid_json', 'The batch is not valid JSON.');
    }
    const parsed = ingestRequestSchema.safeParse(json);
    if (!parsed.success) {
      const detail = parsed.error.issues
        .slice(0, 5)
        .map((i) => `${i.path.join('.')}: ${i.message}`)
        .join('; ');
      throw new ApiError('invalid_request', `The batch is malformed: ${detail}`);
    }
    const { events, canDefer } = parsed.data;
    const started = performance.now();
    const seconds = () => (performance.now() - started) / 1000;
    let stored: StoredBatch;
    try {
      stored = await ingestAndApply(deps, events, { canDefer });
    } catch (error) {
      const unavailable = error instanceof ApiError && error.code === 'database_unavailable';
      if (deps.metrics)
        recordIngestBatch(deps.metrics, {
          events,
          stored: null,
          seconds: seconds(),
          outcome: unavailable ? 'unavailable' : 'error',
        });
      throw error;
    }
    if (deps.metrics) recordIngestBatch(deps.metrics, { events, stored, seconds: seconds(), outcome: 'ok' });
    // The edge's request id (derived from its queue batch) is on this line too (request-log.ts).
    annotateRequestLog(c, {
      ingest: {
        received: stored.received,
        clicksInserted: stored.clicksInserted,
        conversionsInserted: stored.conversionsInserted,
        statusUpdates: stored.statusUpdates,
        quarantined: stored.quarantined,
        deferred: stored.deferred.length,
      },
    });
    return c.json({
      received: stored.received,
      clicksInserted: stored.clicksInserted,
      conversionsInserted: stored.conversionsInserted,
      quarantined: stored.quarantined,
      // Only to a sender that said it sends them again; to any other, nothing is ever deferred.
      ...(canDefer ? { deferred: stored.deferred } : {}),
    });
  });
}

/**
 * Stores events from the edge (or a replay of quarantined ones) and applies what derives from
 * them. Database outages become 503s; everything else about the events is settled here.
 */
export async function ingestAndApply(
  deps: IngestDeps,
  events: readonly unknown[],
  { canDefer = false }: Pick<StoreOptions, 'canDefer'> = {},
): Promise<StoredBatch> {
  let stored: StoredBatch;
  try {
    stored = await storeBatch(deps.db, events, { canDefer, now: deps.now?.() ?? new Date() });
  } catch (error) {
    if (isDatabaseUnavailable(error)) {
      console.error(JSON.stringify({ msg: 'ingest: database unavailable', error: rootMessage(error) }));
      throw new ApiError('database_unavailable', 'The database is unavailable; retry the batch later.');
    }
    throw error;
  }
  // The events are stored; what follows derives from them. Its failures are logged and retried
  // by later batches and the budget sweep, never by asking the edge to resend stored events.
  const now = deps.now?.() ?? new Date();
  const changedCampaigns =
    stored.statusUpdates > 0 || stored.conversionsInserted > 0
      ? await applyStatusUpdates(deps.db, now).catch((error: unknown) => {
          console.error(JSON.stringify({ msg: 'status updates not applied', error: String(error) }));
          return [];
        })
      : [];
  await syncBudgetStateLogged(deps, [...new Set([...stored.approvedCampaignIds, ...changedCampaigns])], now);
  // Conversions spend advertisers' money: re-evaluate those whose money can run out (decision 024).
  if (stored.conversionsInserted > 0 || stored.statusUpdates > 0) {
    await syncFundsOfOffersLogged(deps, stored.conversionOfferIds, now);
  }
  return stored;
}
