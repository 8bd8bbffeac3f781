import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ProcessorFakes, startProcessorFakes } from '../../test/processor-setup.ts';
import { testApp } from '../../test/test-app.ts';
import { testDatabases } from '../../test/test-databases.ts';
import { type DatabaseHandle, queryRows } from '../db/database.ts';
import { processorEvents } from '../db/schema/processor-events.ts';
import type { ProcessorDeps } from './processor-deps.ts';
import { processPendingEvents } from './processor-event-store.ts';
import { createWebhookHandlers } from './webhook-handlers.ts';

type ErrorBody = { error: { code: string; message: string } };

const event = (id: string, type: string, objectId: string) => ({
  id,
  object: 'event',
  type,
  created: Math.floor(Date.now() / 1000),
  livemode: false,
  data: { object: { id: objectId, object: 'transfer' } },
});

describe.each(testDatabases)('POST /webhooks/* failures on $name', ({ open }) => {
  let handle: DatabaseHandle;
  let fakes: ProcessorFakes;
  let processors: ProcessorDeps;
  let app: ReturnType<typeof testApp>;
  let failuresLeft = 0;

  beforeAll(async () => {
    handle = await open();
    await handle.db.execute(sql`CREATE TABLE test_effects (event_id text PRIMARY KEY)`);
    fakes = await startProcessorFakes();
    const handlers = createWebhookHandlers().on('stripe', 'transfer.reversed', async (tx, stored) => {
      // Writes, then fails: the write must roll back with the event's processed mark.
      await tx.execute(sql`INSERT INTO test_effects (event_id) VALUES (${stored.eventId})`);
      if (failuresLeft > 0) {
        failuresLeft--;
        throw new Error('ledger unavailable (test)');
      }
    });
    processors = fakes.processors(handlers);
    app = testApp(handle.db, { processors });
  });
  afterAll(async () => {
    await fakes.close();
    await handle.close();
  });

  const effects = () => queryRows<{ event_id: string }>(handle.db, sql`SELECT event_id FROM test_effects`);
  const stored = () => handle.db.select().from(processorEvents);

  it('answers 503 processor_not_configured when a processor has no keys, and stores nothing', async () => {
    const bare = testApp(handle.db);
    const delivery = fakes.stripe.signed(event('evt_unconfigured', 'transfer.created', 'tr_1'));
    for (const path of ['/webhooks/stripe', '/webhooks/paypal']) {
      const response = await bare.request(path, { method: 'POST', ...delivery });
      expect(response.status, path).toBe(503);
      const body = (await response.json()) as ErrorBody;
      expect(body.error.code, path).toBe('processor_not_configured');
      expect(body.error.message, path).toMatch(path.endsWith('stripe') ? /STRIPE_WEBHOOK_SECRET/ : /PAYPAL_/);
    }
    // A Stripe key without a webhook secret: the API works, webhooks cannot be verified.
    const noSecret = testApp(handle.db, {
      processors: { ...processors, stripe: { ...processors.stripe!, webhookSecret: undefined } },
    });
    expect((await noSecret.request('/webhooks/stripe', { method: 'POST', ...delivery })).status).toBe(503);
    expect(await stored()).toEqual([]);
  });

  it('keeps a failed handler out: 500, nothing it wrote, the error kept; the redelivery processes it', async () => {
    failuresLeft = 1;
    const delivery = fakes.stripe.signed(event('evt_fails_once', 'transfer.reversed', 'tr_2'));
    const failed = await app.request('/webhooks/stripe', { method: 'POST', ...delivery });
    expect(failed.status).toBe(500);
    expect(((await failed.json()) as ErrorBody).error.code).toBe('webhook_handler_failed');
    const [row] = await handle.db
      .select()
      .from(processorEvents)
      .where(eq(processorEvents.eventId, 'evt_fails_once'));
    expect(row).toMatchObject({ processedAt: null, failures: 1, error: 'ledger unavailable (test)' });
    expect(await effects()).toEqual([]);

    const again = await app.request('/webhooks/stripe', { method: 'POST', ...delivery });
    expect(again.status).toBe(200);
    const [done] = await handle.db
      .select()
      .from(processorEvents)
      .where(eq(processorEvents.eventId, 'evt_fails_once'));
    expect(done).toMatchObject({ failures: 1, error: null });
    expect(done?.processedAt).toBeInstanceOf(Date);
    expect(await effects()).toEqual([{ event_id: 'evt_fails_once' }]);
  });

  it('retries stored unprocessed events in the background, once each', async () => {
    failuresLeft = 2;
    for (const id of ['evt_retry_a', 'evt_retry_b']) {
      const response = await app.request('/webhooks/stripe', {
        method: 'POST',
        ...fakes.stripe.signed(event(id, 'transfer.reversed', `tr_${id}`)),
      });
      expect(response.status).toBe(500);
    }
    expect(await processPendingEvents(handle.db, processors.webhookHandlers)).toEqual({
      processed: 2,
      ignored: 0,
      duplicate: 0,
      failed: 0,
    });
    expect(await processPendingEvents(handle.db, processors.webhookHandlers)).toEqual({
      processed: 0,
      ignored: 0,
      duplicate: 0,
      failed: 0,
    });
    expect((await effects()).map((e) => e.event_id).sort()).toEqual([
      'evt_fails_once',
      'evt_retry_a',
      'evt_retry_b',
    ]);
  });

  it('answers 503 processor_unavailable when PayPal cannot verify a delivery, and stores nothing', async () => {
    const before = (await stored()).length;
    const delivery = fakes.paypal.signed({
      id: 'WH-DOWN-1',
      event_type: 'PAYMENT.PAYOUTS-ITEM.SUCCEEDED',
      create_time: new Date().toISOString(),
      resource: { payout_item_id: 'ITEM1' },
    });
    fakes.paypal.failNext(1, 503);
    const response = await app.request('/webhooks/paypal', { method: 'POST', ...delivery });
    expect(response.status).toBe(503);
    expect(((await response.json()) as ErrorBody).error.code).toBe('processor_unavailable');
    expect((await stored()).length).toBe(before);
    // PayPal delivers it again later: verified and stored then.
    expect((await app.request('/webhooks/paypal', { method: 'POST', ...delivery })).status).toBe(200);
  });

  it('refuses a signed body that is no event with 400 invalid_request, and an oversized one with 413', async () => {
    const before = (await stored()).length;
    const signedNothing = fakes.stripe.signed({ hello: 'world' });
    const notEvent = await app.request('/webhooks/stripe', { method: 'POST', ...signedNothing });
    expect(notEvent.status).toBe(400);
    expect(((await notEvent.json()) as ErrorBody).error.code).toBe('invalid_request');
    const paypalNotEvent = await app.request('/webhooks/paypal', {
      method: 'POST',
      ...fakes.paypal.signed([1, 2]),
    });
    expect(((await paypalNotEvent.json()) as ErrorBody).error.code).toBe('invalid_request');
    const huge = fakes.stripe.signed({
      ...event('evt_huge', 'transfer.created', 'tr_3'),
      pad: 'x'.repeat(1_100_000),
    });
    const tooLarge = await app.request('/webhooks/stripe', { method: 'POST', ...huge });
    expect(tooLarge.status).toBe(413);
    expect((await stored()).length).toBe(before);
  });
});
