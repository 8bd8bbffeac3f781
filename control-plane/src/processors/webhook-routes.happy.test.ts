import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ProcessorFakes, startProcessorFakes } from '../../test/processor-setup.ts';
import { testApp } from '../../test/test-app.ts';
import { testDatabases } from '../../test/test-databases.ts';
import { type Database, type DatabaseHandle, queryRows } from '../db/database.ts';
import { processorEvents } from '../db/schema/processor-events.ts';
import { createPayoutBatch, readPayoutItem } from './paypal/paypal-payouts.ts';
import type { ProcessorDeps } from './processor-deps.ts';
import { createExpressAccount, readTransfer, transferToConnectedAccount } from './stripe/stripe-connect.ts';
import { createWebhookHandlers } from './webhook-handlers.ts';

type Body = { received: boolean; outcome: string };

describe.each(testDatabases)('POST /webhooks/{stripe,paypal} on $name', ({ open }) => {
  let handle: DatabaseHandle;
  let fakes: ProcessorFakes;
  let processors: ProcessorDeps;
  let app: ReturnType<typeof testApp>;
  let handlerRuns = 0;

  // What a ledger handler would keep: TAS's view of each transfer and payout item, written in
  // the event's transaction. The handlers follow the rule in webhook-handlers.ts: they read the
  // object's current state at the processor instead of trusting the event's order.
  const states = (db: Database) =>
    queryRows<{ object_id: string; state: string; updates: number }>(
      db,
      sql`SELECT object_id, state, updates FROM test_object_states ORDER BY object_id`,
    );
  const upsert = (tx: Database, objectId: string, state: string) =>
    tx.execute(sql`INSERT INTO test_object_states (object_id, state, updates) VALUES (${objectId}, ${state}, 1)
      ON CONFLICT (object_id) DO UPDATE SET state = excluded.state, updates = test_object_states.updates + 1`);

  beforeAll(async () => {
    handle = await open();
    await handle.db.execute(
      sql`CREATE TABLE test_object_states (object_id text PRIMARY KEY, state text NOT NULL, updates integer NOT NULL)`,
    );
    fakes = await startProcessorFakes();
    const handlers = createWebhookHandlers();
    processors = fakes.processors(handlers);
    const stripe = processors.stripe!.client;
    const onTransfer = async (tx: Database, event: { objectId: string | null }) => {
      handlerRuns++;
      const now = await readTransfer(stripe, event.objectId ?? '');
      if (!now.ok) throw new Error(`transfer not readable: ${now.failure.kind}`);
      await upsert(tx, now.value.id, now.value.reversed ? 'reversed' : 'paid');
    };
    handlers.on('stripe', 'transfer.created', onTransfer).on('stripe', 'transfer.reversed', onTransfer);
    handlers.on('paypal', 'PAYMENT.PAYOUTS-ITEM.SUCCEEDED', async (tx, event) => {
      handlerRuns++;
      const item = await readPayoutItem(processors.paypal!, event.objectId ?? '');
      if (!item.ok) throw new Error(`payout item not readable: ${item.failure.kind}`);
      await upsert(tx, item.value.payoutItemId, item.value.transactionStatus);
    });
    app = testApp(handle.db, { processors });
  });
  afterAll(async () => {
    await fakes.close();
    await handle.close();
  });

  const postStripe = (event: unknown) =>
    app.request('/webhooks/stripe', { method: 'POST', ...fakes.stripe.signed(event) });
  const postPayPal = (event: unknown) =>
    app.request('/webhooks/paypal', { method: 'POST', ...fakes.paypal.signed(event) });

  const paidTransfer = async (affiliateId: number) => {
    const stripe = processors.stripe!.client;
    const account = await createExpressAccount(stripe, { affiliateId });
    if (!account.ok) throw new Error(account.failure.message);
    fakes.stripe.completeOnboarding(account.value.id);
    const transfer = await transferToConnectedAccount(stripe, {
      accountId: account.value.id,
      amountMinor: 1_000,
      currency: 'USD',
      idempotencyKey: `payout_${affiliateId}_${handle.driver}`,
    });
    if (!transfer.ok) throw new Error(transfer.failure.message);
    const created = fakes.stripe.events.findLast((e) => e.type === 'transfer.created')!;
    return { id: transfer.value.id, created };
  };

  it('stores a verified Stripe event, runs its handler in the same transaction, and answers 200', async () => {
    const transfer = await paidTransfer(1);
    const response = await postStripe(transfer.created);
    expect(response.status).toBe(200);
    expect((await response.json()) as Body).toEqual({ received: true, outcome: 'processed' });
    const [row] = await handle.db
      .select()
      .from(processorEvents)
      .where(eq(processorEvents.eventId, transfer.created.id));
    expect(row).toMatchObject({
      processor: 'stripe',
      type: 'transfer.created',
      objectId: transfer.id,
      error: null,
      failures: 0,
      payload: { id: transfer.created.id, data: { object: { id: transfer.id } } },
    });
    expect(row?.processedAt).toBeInstanceOf(Date);
    expect(row?.occurredAt?.getTime()).toBe(transfer.created.created * 1000);
    expect(await states(handle.db)).toContainEqual({ object_id: transfer.id, state: 'paid', updates: 1 });
  });

  it('acknowledges a replayed event without processing it again', async () => {
    const transfer = await paidTransfer(2);
    const runs = handlerRuns;
    const delivery = fakes.stripe.signed(transfer.created);
    for (const expected of ['processed', 'duplicate', 'duplicate']) {
      const response = await app.request('/webhooks/stripe', { method: 'POST', ...delivery });
      expect(response.status).toBe(200);
      expect(((await response.json()) as Body).outcome).toBe(expected);
    }
    // Two deliveries at once: one processes, the other waits on the row and finds it done.
    const another = await paidTransfer(3);
    const both = await Promise.all([postStripe(another.created), postStripe(another.created)]);
    expect((await Promise.all(both.map(async (r) => ((await r.json()) as Body).outcome))).sort()).toEqual([
      'duplicate',
      'processed',
    ]);
    expect(handlerRuns - runs).toBe(2);
    const rows = await handle.db
      .select()
      .from(processorEvents)
      .where(eq(processorEvents.eventId, another.created.id));
    expect(rows).toHaveLength(1);
    const seen = (await states(handle.db)).filter((s) => [transfer.id, another.id].includes(s.object_id));
    expect(new Set(seen.map((s) => JSON.stringify(s)))).toEqual(
      new Set([
        JSON.stringify({ object_id: transfer.id, state: 'paid', updates: 1 }),
        JSON.stringify({ object_id: another.id, state: 'paid', updates: 1 }),
      ]),
    );
  });

  it('ends in the right state when events arrive out of order (reversed before created)', async () => {
    const transfer = await paidTransfer(4);
    const reversed = fakes.stripe.reverseTransfer(transfer.id);
    expect(((await (await postStripe(reversed)).json()) as Body).outcome).toBe('processed');
    expect(((await (await postStripe(transfer.created)).json()) as Body).outcome).toBe('processed');
    // The late transfer.created did not bring the transfer back to "paid".
    expect((await states(handle.db)).find((s) => s.object_id === transfer.id)).toEqual({
      object_id: transfer.id,
      state: 'reversed',
      updates: 2,
    });
  });

  it('stores and acknowledges event types nobody handles, such as a Connect payout failure', async () => {
    const account = await createExpressAccount(processors.stripe!.client, { affiliateId: 5 });
    if (!account.ok) throw new Error(account.failure.message);
    const failed = fakes.stripe.failPayout(account.value.id, 1_000);
    const response = await postStripe(failed);
    expect(((await response.json()) as Body).outcome).toBe('ignored');
    const [row] = await handle.db
      .select()
      .from(processorEvents)
      .where(eq(processorEvents.eventId, failed.id));
    expect(row).toMatchObject({ type: 'payout.failed', payload: { account: account.value.id } });
    expect(row?.processedAt).toBeInstanceOf(Date);
  });

  it('verifies a PayPal delivery through PayPal, stores it once, and reads the item state in its handler', async () => {
    const created = await createPayoutBatch(processors.paypal!, {
      senderBatchId: `run_${handle.driver}_1`,
      items: [
        {
          senderItemId: 'p1',
          receiver: { type: 'EMAIL', value: 'aff@example.test' },
          amountMinor: 2_500,
          currency: 'USD',
        },
      ],
    });
    if (!created.ok) throw new Error(created.failure.message);
    const [succeeded] = fakes.paypal
      .settle()
      .filter((e) => e.event_type === 'PAYMENT.PAYOUTS-ITEM.SUCCEEDED');
    const verifyCalls = () =>
      fakes.paypal.requests.filter((r) => r.path === '/v1/notifications/verify-webhook-signature');
    const before = verifyCalls().length;
    const first = await postPayPal(succeeded);
    expect(first.status).toBe(200);
    expect(((await first.json()) as Body).outcome).toBe('processed');
    expect(verifyCalls().length).toBe(before + 1);
    expect(verifyCalls().at(-1)?.body).toMatchObject({
      auth_algo: 'SHA256withRSA',
      webhook_id: fakes.paypal.webhookId,
      webhook_event: { id: succeeded!.id },
    });
    const replay = await postPayPal(succeeded);
    expect(((await replay.json()) as Body).outcome).toBe('duplicate');
    const itemId = (succeeded!.resource as { payout_item_id: string }).payout_item_id;
    const [row] = await handle.db
      .select()
      .from(processorEvents)
      .where(eq(processorEvents.eventId, succeeded!.id));
    expect(row).toMatchObject({
      processor: 'paypal',
      type: 'PAYMENT.PAYOUTS-ITEM.SUCCEEDED',
      objectId: itemId,
    });
    expect((await states(handle.db)).find((s) => s.object_id === itemId)).toEqual({
      object_id: itemId,
      state: 'SUCCESS',
      updates: 1,
    });
  });
});
