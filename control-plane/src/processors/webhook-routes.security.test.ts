import Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { type ProcessorFakes, startProcessorFakes } from '../../test/processor-setup.ts';
import { testApp } from '../../test/test-app.ts';
import { testDatabases } from '../../test/test-databases.ts';
import type { DatabaseHandle } from '../db/database.ts';
import { processorEvents } from '../db/schema/processor-events.ts';
import { createPayPalProcessor } from './paypal/paypal-client.ts';
import { createPayoutBatch } from './paypal/paypal-payouts.ts';
import type { ProcessorDeps } from './processor-deps.ts';
import { createStripeProcessor } from './stripe/stripe-client.ts';
import { createExpressAccount, readConnectedAccount } from './stripe/stripe-connect.ts';
import { createWebhookHandlers } from './webhook-handlers.ts';

type ErrorBody = { error: { code: string; message: string } };

const stripeEvent = (id: string) => ({
  id,
  object: 'event',
  type: 'transfer.reversed',
  created: Math.floor(Date.now() / 1000),
  livemode: false,
  data: { object: { id: 'tr_sec', object: 'transfer', amount: 1000 } },
});
const paypalEvent = (id: string) => ({
  id,
  event_version: '1.0',
  event_type: 'PAYMENT.PAYOUTS-ITEM.SUCCEEDED',
  create_time: new Date().toISOString(),
  resource_type: 'payouts_item',
  resource: { payout_item_id: 'ITEMSEC', transaction_status: 'SUCCESS' },
});

describe.each(testDatabases)('POST /webhooks/* verification on $name', ({ open }) => {
  let handle: DatabaseHandle;
  let fakes: ProcessorFakes;
  let processors: ProcessorDeps;
  let app: ReturnType<typeof testApp>;
  beforeAll(async () => {
    handle = await open();
    fakes = await startProcessorFakes();
    processors = fakes.processors(
      createWebhookHandlers().on('stripe', 'transfer.reversed', async () => {
        throw new Error('handler failed (test)');
      }),
    );
    app = testApp(handle.db, { processors });
  });
  afterAll(async () => {
    await fakes.close();
    await handle.close();
  });

  const refusedWith = async (path: string, init: RequestInit, code = 'invalid_webhook_signature') => {
    const response = await app.request(path, { method: 'POST', ...init });
    const body = (await response.json()) as ErrorBody;
    return { status: response.status, code: body.error.code === code, message: body.error.message };
  };

  it('refuses Stripe deliveries that do not verify with 400 and a reason, storing nothing', async () => {
    const event = stripeEvent('evt_forged');
    const good = fakes.stripe.signed(event);
    const attempts: [string, RequestInit, RegExp][] = [
      ['unsigned', { body: good.body, headers: { 'content-type': 'application/json' } }, /header is missing/],
      ['wrong secret', fakes.stripe.signed(event, { secret: 'whsec_someoneelse' }), /No signatures found/],
      [
        'tampered body',
        { body: good.body.replace('"amount": 1000', '"amount": 1000000'), headers: good.headers },
        /No signatures found/,
      ],
      // Signed right, but 301 s old: a replay of a captured delivery.
      [
        'too old',
        fakes.stripe.signed(event, { timestamp: Math.floor(Date.now() / 1000) - 301 }),
        /tolerance/,
      ],
      [
        'garbage header',
        { body: good.body, headers: { 'stripe-signature': 't=1,v1=00' } },
        /tolerance|No signatures/,
      ],
      [
        'v0 scheme only',
        {
          body: good.body,
          headers: {
            'stripe-signature': Stripe.webhooks
              .generateTestHeaderString({ payload: good.body, secret: fakes.stripe.webhookSecret })
              .replace('v1=', 'v0='),
          },
        },
        /No signatures found|Unable to extract/,
      ],
    ];
    for (const [name, init, reason] of attempts) {
      const refused = await refusedWith('/webhooks/stripe', init);
      expect(refused.status, name).toBe(400);
      expect(refused.code, name).toBe(true);
      expect(refused.message, name).toMatch(reason);
    }
    // The same delivery within the tolerance, signed right, is accepted (here: its handler fails).
    expect(
      (
        await app.request('/webhooks/stripe', {
          method: 'POST',
          ...fakes.stripe.signed(stripeEvent('evt_ok')),
        })
      ).status,
    ).toBe(500);
    expect((await handle.db.select().from(processorEvents)).map((e) => e.eventId)).toEqual(['evt_ok']);
  });

  it('refuses PayPal deliveries PayPal does not confirm with 400, storing nothing', async () => {
    const event = paypalEvent('WH-SEC-1');
    const good = fakes.paypal.signed(event);
    const headersWithout = (name: string) =>
      Object.fromEntries(Object.entries(good.headers).filter(([k]) => k !== name));
    const attempts: [string, RequestInit][] = [
      ['no signature', { body: good.body, headers: headersWithout('paypal-transmission-sig') }],
      ['no transmission id', { body: good.body, headers: headersWithout('paypal-transmission-id') }],
      ['tampered body', { body: good.body.replace('SUCCESS', 'FAILED'), headers: good.headers }],
      [
        'forged signature',
        { body: good.body, headers: { ...good.headers, 'paypal-transmission-sig': 'AAAA' } },
      ],
      ['another webhook', fakes.paypal.signed(event, { webhookId: 'WH-SOMEONE-ELSE' })],
    ];
    for (const [name, init] of attempts) {
      const refused = await refusedWith('/webhooks/paypal', init);
      expect(refused.status, name).toBe(400);
      expect(refused.code, name).toBe(true);
    }
    const before = await handle.db.select().from(processorEvents);
    expect(before.filter((e) => e.processor === 'paypal')).toEqual([]);
  });

  it('never writes a secret, token or signature to the log, whatever happens', async () => {
    const lines: string[] = [];
    const spies = (['log', 'error', 'warn', 'info'] as const).map((level) =>
      vi.spyOn(console, level).mockImplementation((...args: unknown[]) => {
        lines.push(args.map(String).join(' '));
      }),
    );
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation((chunk: unknown) => {
      lines.push(String(chunk));
      return true;
    });
    const signatures: string[] = [];
    try {
      // Webhooks: accepted, failed, refused, for both processors.
      for (const delivery of [
        fakes.stripe.signed(stripeEvent('evt_log_1')),
        fakes.stripe.signed(stripeEvent('evt_log_2'), { secret: 'whsec_wrongwrongwrong' }),
      ]) {
        signatures.push(delivery.headers['stripe-signature']);
        await app.request('/webhooks/stripe', { method: 'POST', ...delivery });
      }
      const paypalDelivery = fakes.paypal.signed(paypalEvent('WH-LOG-1'));
      signatures.push(paypalDelivery.headers['paypal-transmission-sig']);
      await app.request('/webhooks/paypal', { method: 'POST', ...paypalDelivery });
      await app.request('/webhooks/paypal', {
        method: 'POST',
        ...fakes.paypal.signed(paypalEvent('WH-LOG-2'), { webhookId: 'WH-OTHER' }),
      });
      fakes.paypal.failNext(1, 500);
      await app.request('/webhooks/paypal', {
        method: 'POST',
        ...fakes.paypal.signed(paypalEvent('WH-LOG-3')),
      });
      // API calls with good and refused credentials.
      await createExpressAccount(processors.stripe!.client, { affiliateId: 99 });
      const badStripe = createStripeProcessor({
        secretKey: 'sk_test_leakleakleak99',
        apiBase: fakes.stripe.url,
        maxNetworkRetries: 0,
      });
      await readConnectedAccount(badStripe.client, 'acct_x');
      await createPayoutBatch(processors.paypal!, {
        senderBatchId: `log_${handle.driver}`,
        items: [
          {
            senderItemId: 'l1',
            receiver: { type: 'EMAIL', value: 'payee@example.test' },
            amountMinor: 100,
            currency: 'USD',
          },
        ],
      });
      const badPayPal = createPayPalProcessor({
        apiBase: fakes.paypal.url,
        clientId: fakes.paypal.clientId,
        clientSecret: 'leaked-secret-xyz',
      });
      await createPayoutBatch(badPayPal, { senderBatchId: 'x', items: [] });
    } finally {
      for (const spy of spies) spy.mockRestore();
      stderr.mockRestore();
    }
    const tokens = fakes.paypal.requests
      .map((r) => r.authorization?.replace(/^(Bearer|Basic) /, ''))
      .filter((t): t is string => Boolean(t));
    const secrets = [
      fakes.stripe.secretKey,
      fakes.stripe.webhookSecret,
      'sk_test_leakleakleak99',
      fakes.paypal.clientSecret,
      'leaked-secret-xyz',
      ...tokens,
      ...signatures,
    ];
    expect(lines.length).toBeGreaterThan(3);
    const log = lines.join('\n');
    for (const secret of secrets) expect(log).not.toContain(secret);
    // And nothing of the payees: the log has ids, types and outcomes only.
    expect(log).not.toContain('payee@example.test');
  });
});
