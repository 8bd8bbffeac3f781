import { ingestBatchSchema } from '@tas/shared/events';
import { SIGNATURE_HEADER, verifyBody } from '@tas/shared/signature';
import { Hono } from 'hono';
import { syncBudgetStateLogged } from '../campaigns/campaign-budget-state.ts';
import { applyStatusUpdates } from '../conversions/advertiser-status-updates.ts';
import type { Database } from '../db/database.ts';
import type { EdgePublisher } from '../edge-sync/edge-publisher.ts';
import { ApiError } from '../http/api-error.ts';
import type { Mailer } from '../mail/mailer.ts';
import { ingestEvents } from './ingest-events.ts';

const MAX_BODY_BYTES = 8 * 1024 * 1024;

/** `POST /internal/ingest`: event batches from the edge's Queue consumer, HMAC-signed. */
export function ingestRoute(deps: {
  db: Database;
  edge: EdgePublisher;
  mailer: Mailer;
  ingestSigningSecret: string;
  now?: () => Date;
}) {
  return new Hono().post('/', async (c) => {
    if (Number(c.req.header('content-length') ?? 0) > MAX_BODY_BYTES) {
      throw new ApiError('payload_too_large', `A batch may not exceed ${MAX_BODY_BYTES} bytes.`);
    }
    const body = await c.req.text();
    if (body.length > MAX_BODY_BYTES)
      throw new ApiError('payload_too_large', `A batch may not exceed ${MAX_BODY_BYTES} bytes.`);
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
    const parsed = ingestBatchSchema.safeParse(json);
    if (!parsed.success) {
      const detail = parsed.error.issues
        .slice(0, 5)
        .map((i) => `${i.path.join('.')}: ${i.message}`)
        .join('; ');
      throw new ApiError('invalid_request', `The batch is malformed: ${detail}`);
    }
    const { statusUpdates, approvedCampaignIds, ...result } = await ingestEvents(deps.db, parsed.data);
    // The events are stored; what follows derives from them. Its failures are logged and retried
    // by later batches and the budget sweep, never by asking the edge to resend stored events.
    const now = deps.now?.() ?? new Date();
    const changedCampaigns =
      statusUpdates > 0 || result.conversionsInserted > 0
        ? await applyStatusUpdates(deps.db, now).catch((error: unknown) => {
            console.error(JSON.stringify({ msg: 'status updates not applied', error: String(error) }));
            return [];
          })
        : [];
    await syncBudgetStateLogged(deps, [...new Set([...approvedCampaignIds, ...changedCampaigns])], now);
    return c.json(result);
  });
}
