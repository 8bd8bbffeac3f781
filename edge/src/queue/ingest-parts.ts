import { utf8Length } from '@tas/shared/clean-text';
import { MAX_INGEST_BATCH, MAX_INGEST_BYTES } from '@tas/shared/events';
import type { Settings } from '../settings.ts';
import { postIngest } from './post-ingest.ts';

/** Some events that are acked, retried or stored together (a Queue message, a dead letter). */
export type EventParcel<T> = { item: T; events: readonly unknown[]; bytes: number };

// `{"events":[` ... `]}` around the events, and a little room for the signature's sake.
const BODY_OVERHEAD_BYTES = 64;

export function parcel<T>(item: T, events: readonly unknown[]): EventParcel<T> {
  return { item, events, bytes: utf8Length(JSON.stringify(events)) };
}

/**
 * Packs parcels, in order, into requests within the ingest's limits (MAX_INGEST_BATCH events,
 * MAX_INGEST_BYTES bytes): a request the control plane must refuse for its size is never sent.
 */
export function packForIngest<T>(parcels: readonly EventParcel<T>[]): EventParcel<T>[][] {
  const requests: EventParcel<T>[][] = [];
  let current: EventParcel<T>[] = [];
  let events = 0;
  let bytes = BODY_OVERHEAD_BYTES;
  for (const p of parcels) {
    if (
      current.length > 0 &&
      (events + p.events.length > MAX_INGEST_BATCH || bytes + p.bytes + 1 > MAX_INGEST_BYTES)
    ) {
      requests.push(current);
      current = [];
      events = 0;
      bytes = BODY_OVERHEAD_BYTES;
    }
    current.push(p);
    events += p.events.length;
    bytes += p.bytes + 1;
  }
  if (current.length > 0) requests.push(current);
  return requests;
}

export type Delivery<T> = {
  delivered: T[];
  failed: { item: T; failure: string }[];
  /** Ids of events the ingest held back (only when asked `canDefer`): to be sent again later. */
  deferred: Set<string>;
};

/**
 * Requests one delivery may make in all, splitting included: enough to find a few poison
 * messages in a full batch (log2 of it a poison), not enough to storm a control plane that is
 * failing for everyone.
 */
const MAX_REQUESTS = 64;

/**
 * Delivers parcels to the ingest without letting one hold back another: a request that fails in a
 * way its content may explain is split in halves, down to single parcels, so only the parcels that
 * fail are left failed. A parcel that still fails alone has its events sent in halves too, so its
 * good events are stored now; it is still reported failed (to be retried or kept, the ingest being
 * idempotent), since some of its events were not stored. At most MAX_REQUESTS requests in all:
 * what is left is failed, to be retried.
 */
export async function deliverParcels<T>(
  settings: Settings,
  parcels: readonly EventParcel<T>[],
  { requestId = crypto.randomUUID(), canDefer = false }: { requestId?: string; canDefer?: boolean } = {},
): Promise<Delivery<T>> {
  const result: Delivery<T> = { delivered: [], failed: [], deferred: new Set() };
  const budget: Budget = { left: MAX_REQUESTS, requestId, sent: 0, canDefer };
  await Promise.all(
    packForIngest(parcels).map((request) => deliverRequest(settings, request, result, budget)),
  );
  return result;
}

/**
 * Requests left, and the ids they take: `<requestId>.<n>`, one per request of this delivery; and
 * whether the caller sends deferred events again (the same for every request).
 */
type Budget = { left: number; requestId: string; sent: number; canDefer: boolean };

function take(budget: Budget): { requestId: string; canDefer: boolean } {
  budget.left--;
  budget.sent++;
  return { requestId: `${budget.requestId}.${budget.sent}`, canDefer: budget.canDefer };
}

async function deliverRequest<T>(
  settings: Settings,
  parcels: EventParcel<T>[],
  result: Delivery<T>,
  budget: Budget,
) {
  if (budget.left <= 0) {
    result.failed.push(...parcels.map((p) => ({ item: p.item, failure: 'not sent: request budget spent' })));
    return;
  }
  const outcome = await postIngest(
    settings,
    parcels.flatMap((p) => p.events),
    take(budget),
  );
  if (outcome.ok) {
    result.delivered.push(...parcels.map((p) => p.item));
    for (const id of outcome.deferred) result.deferred.add(id);
    return;
  }
  if (outcome.splittable && parcels.length > 1) {
    const half = Math.ceil(parcels.length / 2);
    await deliverRequest(settings, parcels.slice(0, half), result, budget);
    await deliverRequest(settings, parcels.slice(half), result, budget);
    return;
  }
  if (outcome.splittable && parcels.length === 1)
    await deliverGoodEvents(settings, parcels[0]!.events, budget);
  result.failed.push(...parcels.map((p) => ({ item: p.item, failure: outcome.failure })));
}

/**
 * Stores what can be stored of a failing parcel's events, by halves. What the ingest defers here
 * needs no keeping: the parcel is failed, so all of it is sent again.
 */
async function deliverGoodEvents(
  settings: Settings,
  events: readonly unknown[],
  budget: Budget,
): Promise<void> {
  if (events.length <= 1) return;
  const half = Math.ceil(events.length / 2);
  for (const part of [events.slice(0, half), events.slice(half)]) {
    if (budget.left <= 0) return;
    const outcome = await postIngest(settings, part, take(budget));
    if (!outcome.ok && outcome.splittable) await deliverGoodEvents(settings, part, budget);
  }
}
