import type { Database } from '../db/database.ts';
import type { ProcessorEvent } from '../db/schema/processor-events.ts';

export type ProcessorName = 'stripe' | 'paypal';

/**
 * Does what an event means for TAS, inside the transaction that marks the event processed: what it
 * writes commits with that mark or not at all, so an event is acted on exactly once.
 *
 * The rule for handlers (events arrive late, twice, and out of order; Stripe and PayPal promise no
 * order): treat an event as news that an object changed, not as the change itself.
 * - Decide from the object's state, never from the event's position: read the object as it is now
 *   (Stripe: `readTransfer`, PayPal: `readPayoutItem`) or use the snapshot in the
 *   payload only when it is the newest TAS has seen for that object (`occurredAt`, `objectId`).
 * - Move TAS's own state only forward along the object's lifecycle (a transfer reversed is never
 *   "created" again; a PayPal item's PENDING arriving after its SUCCESS is stale, see
 *   `payoutItemStateRank`), and write through keyed, idempotent operations (the ledger's
 *   transfers have idempotency keys).
 * - Throw to refuse: the transaction rolls back, the event stays unprocessed with its error, the
 *   processor gets a 500 and delivers it again (Stripe for 3 days, PayPal up to 25 times), and
 *   `processPendingEvents` retries it meanwhile.
 */
export type WebhookHandler = (tx: Database, event: ProcessorEvent) => Promise<void>;

/** Event type -> handler, per processor. Types with no handler are stored and acknowledged. */
export type WebhookHandlers = {
  on(processor: ProcessorName, type: string, handler: WebhookHandler): WebhookHandlers;
  handlerFor(processor: ProcessorName, type: string): WebhookHandler | undefined;
};

export function createWebhookHandlers(): WebhookHandlers {
  const handlers = new Map<string, WebhookHandler>();
  const key = (processor: ProcessorName, type: string) => `${processor} ${type}`;
  const registry: WebhookHandlers = {
    on(processor, type, handler) {
      // One owner per event type: two handlers would each need the other's outcome to be safe.
      if (handlers.has(key(processor, type)))
        throw new Error(`A ${processor} ${type} handler is already registered.`);
      handlers.set(key(processor, type), handler);
      return registry;
    },
    handlerFor: (processor, type) => handlers.get(key(processor, type)),
  };
  return registry;
}
