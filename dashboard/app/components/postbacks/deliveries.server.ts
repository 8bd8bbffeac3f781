import type { SubmissionResult } from '@conform-to/react';
import { parseWithZod } from '@conform-to/zod/v4';
import { data } from 'react-router';
import type { Schemas } from '~/lib/api.server';
import { apiMessage } from '~/lib/api-errors';
import type { Auth } from '~/lib/auth.server';
import { type BulkReplayOutcome, bulkReplaySchema, MAX_BULK_REPLAY } from './bulk-replay-schema';
import { DELIVERY_STATES, type DeliveryState, FAILURE_STATES } from './postback-text';
import { type PostbackAttempt, type PostbackDelivery, requirePostbacks } from './postbacks.server';

const ID = /^[1-9]\d{0,9}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const DELIVERY_PAGE = 50;

export type DeliveryFilters = {
  state: DeliveryState | 'failures' | null;
  postbackConfigId: string | null;
  conversionId: string | null;
  before: string | null;
};

/** The delivery log's filters from the URL; values the API would refuse are dropped. */
export function deliveryFilters(params: URLSearchParams): DeliveryFilters {
  const state = params.get('state');
  const before = params.get('before');
  return {
    state: state === 'failures' ? 'failures' : (DELIVERY_STATES.find((s) => s === state) ?? null),
    postbackConfigId: ID.test(params.get('postbackConfigId') ?? '') ? params.get('postbackConfigId') : null,
    conversionId: UUID.test(params.get('conversionId') ?? '') ? params.get('conversionId') : null,
    before: before && !Number.isNaN(Date.parse(before)) ? before : null,
  };
}

/**
 * A page of deliveries, newest first. "failures" is the failed, disabled and cancelled ones
 * together: one API call per state, merged by time, the page's last time being the next cursor.
 */
export async function listDeliveries(
  auth: Auth,
  filters: DeliveryFilters,
): Promise<{ deliveries: PostbackDelivery[]; nextBefore: string | null }> {
  const states: (DeliveryState | undefined)[] =
    filters.state === 'failures' ? [...FAILURE_STATES] : [filters.state ?? undefined];
  const pages = await Promise.all(
    states.map(async (state) => {
      const {
        data: body,
        error,
        response,
      } = await auth.api.GET('/api/v1/postback-deliveries', {
        params: {
          query: {
            limit: DELIVERY_PAGE,
            ...(state ? { state } : {}),
            ...(filters.postbackConfigId ? { postbackConfigId: filters.postbackConfigId } : {}),
            ...(filters.conversionId ? { conversionId: filters.conversionId } : {}),
            ...(filters.before ? { before: filters.before } : {}),
          },
        },
      });
      if (!body) {
        throw data(
          { message: apiMessage(error, 'The deliveries could not be loaded.') },
          { status: response.status },
        );
      }
      return body;
    }),
  );
  if (pages.length === 1)
    return { deliveries: pages[0]?.data ?? [], nextBefore: pages[0]?.nextBefore ?? null };
  const merged = pages
    .flatMap((page) => page.data)
    .sort((a, b) => Date.parse(b.createdAt) - Date.parse(a.createdAt));
  const more = merged.length > DELIVERY_PAGE || pages.some((page) => page.nextBefore !== null);
  const deliveries = merged.slice(0, DELIVERY_PAGE);
  return { deliveries, nextBefore: more ? (deliveries.at(-1)?.createdAt ?? null) : null };
}

export type DeliveryActionResult =
  | { intent: 'replay'; ok: true; attempt: PostbackAttempt }
  | { intent: 'replay'; ok: false; message: string }
  | { intent: 'bulk'; reply: SubmissionResult<string[]>; outcome: BulkReplayOutcome | null };

/** Replays one delivery now, or (bulk) counts then re-queues many. */
export async function deliveryAction(auth: Auth, request: Request): Promise<DeliveryActionResult> {
  const { api, viewer } = requirePostbacks(auth);
  const formData = await request.formData();
  if (formData.get('intent') === 'replay') {
    const id = String(formData.get('id') ?? '');
    if (!UUID.test(id)) return { intent: 'replay', ok: false, message: 'There is no such delivery.' };
    const { data: attempt, error } = await api.POST('/api/v1/postback-deliveries/{id}/replay', {
      params: { path: { id } },
    });
    return attempt
      ? { intent: 'replay', ok: true, attempt }
      : { intent: 'replay', ok: false, message: apiMessage(error, 'The delivery could not be replayed.') };
  }
  const submission = parseWithZod(formData, { schema: bulkReplaySchema(viewer.role) });
  if (submission.status !== 'success') return { intent: 'bulk', reply: submission.reply(), outcome: null };
  const form = submission.value;
  const body: Schemas['PostbackBulkReplayRequest'] = {
    states: form.states,
    dryRun: form.step === 'preview',
    ...(form.postbackConfigId ? { postbackConfigId: Number(form.postbackConfigId) } : {}),
    ...(form.affiliateId && viewer.role === 'admin' ? { affiliateId: Number(form.affiliateId) } : {}),
    ...(form.offerId ? { offerId: Number(form.offerId) } : {}),
    ...(form.from ? { from: `${form.from}T00:00:00.000Z` } : {}),
    ...(form.to ? { to: nextDay(form.to) } : {}),
    limit: form.limit ?? MAX_BULK_REPLAY,
  };
  const { data: result, error } = await api.POST('/api/v1/postback-deliveries/replay', { body });
  if (!result) {
    return {
      intent: 'bulk',
      reply: submission.reply({ formErrors: [apiMessage(error, 'The replay could not be made.')] }),
      outcome: null,
    };
  }
  return { intent: 'bulk', reply: submission.reply(), outcome: { step: form.step, ...result } };
}

function nextDay(day: string): string {
  const date = new Date(`${day}T00:00:00.000Z`);
  date.setUTCDate(date.getUTCDate() + 1);
  return date.toISOString();
}
