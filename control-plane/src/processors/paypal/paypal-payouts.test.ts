import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type PayPalFake, startPayPalFake } from '../../../test/fakes/paypal-fake.ts';
import { createPayPalProcessor, type PayPalProcessor } from './paypal-client.ts';
import {
  createPayoutBatch,
  type PayoutBatchRequest,
  readPayoutBatch,
  readPayoutItem,
} from './paypal-payouts.ts';

describe('PayPal Payouts by fetch', () => {
  let fake: PayPalFake;
  let paypal: PayPalProcessor;
  let clock = Date.now();
  beforeAll(async () => {
    fake = await startPayPalFake({ tokenLifetimeSeconds: 3600 });
    paypal = createPayPalProcessor(
      { apiBase: fake.url, clientId: fake.clientId, clientSecret: fake.clientSecret },
      { now: () => clock },
    );
  });
  afterAll(() => fake.close());

  const batch = (senderBatchId: string, receivers: string[]): PayoutBatchRequest => ({
    senderBatchId,
    emailSubject: 'Your TAS payout',
    items: receivers.map((receiver, i) => ({
      senderItemId: `${senderBatchId}_${i}`,
      receiver: { type: 'EMAIL', value: receiver },
      amountMinor: 10_050 + i,
      currency: 'USD',
      note: 'Commissions, November 2026',
    })),
  });

  it('takes one OAuth token and keeps it until shortly before it expires', async () => {
    const issued = fake.tokensIssued;
    await readPayoutBatch(paypal, 'NOSUCHBATCH');
    await readPayoutBatch(paypal, 'NOSUCHBATCH');
    await Promise.all([1, 2, 3].map(() => readPayoutBatch(paypal, 'NOSUCHBATCH')));
    expect(fake.tokensIssued - issued).toBe(1);
    const tokenRequest = fake.requests.find((r) => r.path === '/v1/oauth2/token');
    expect(tokenRequest?.authorization).toBe(
      `Basic ${Buffer.from(`${fake.clientId}:${fake.clientSecret}`).toString('base64')}`,
    );
    clock += 3600_000 - 30_000; // within the last minute of the token's life
    await readPayoutBatch(paypal, 'NOSUCHBATCH');
    expect(fake.tokensIssued - issued).toBe(2);
  });

  it('fetches a new token once when PayPal refuses the cached one early', async () => {
    await readPayoutBatch(paypal, 'NOSUCHBATCH');
    const issued = fake.tokensIssued;
    fake.revokeTokens();
    const read = await readPayoutBatch(paypal, 'NOSUCHBATCH');
    expect(read).toMatchObject({ ok: false, failure: { kind: 'not_found', code: 'INVALID_RESOURCE_ID' } });
    expect(fake.tokensIssued - issued).toBe(1);
  });

  it('sends a batch with decimal amounts and reads every item status after PayPal settles it', async () => {
    const receivers = [
      'paid@example.test',
      'nobody@example.test',
      'locked@example.test',
      'bounced@example.test',
    ];
    fake.setOutcome('nobody@example.test', 'UNCLAIMED');
    fake.setOutcome('locked@example.test', 'FAILED');
    fake.setOutcome('bounced@example.test', 'RETURNED');
    const created = await createPayoutBatch(paypal, batch('run_2026-11_paypal', receivers));
    expect(created).toMatchObject({ ok: true, value: { status: 'PENDING', replayed: false } });
    const sent = fake.requests.find((r) => r.path === '/v1/payments/payouts' && r.method === 'POST');
    expect(sent?.body).toMatchObject({
      sender_batch_header: { sender_batch_id: 'run_2026-11_paypal', email_subject: 'Your TAS payout' },
      items: [
        {
          recipient_type: 'EMAIL',
          receiver: 'paid@example.test',
          amount: { value: '100.50', currency: 'USD' },
          sender_item_id: 'run_2026-11_paypal_0',
        },
        expect.anything(),
        expect.anything(),
        expect.anything(),
      ],
    });
    if (!created.ok) return;
    fake.settle();
    const read = await readPayoutBatch(paypal, created.value.batchId);
    expect(read).toMatchObject({
      ok: true,
      value: { status: 'SUCCESS', senderBatchId: 'run_2026-11_paypal' },
    });
    if (!read.ok) return;
    expect(
      read.value.items.map((i) => [
        i.senderItemId,
        i.transactionStatus,
        i.amountMinor,
        i.error?.name ?? null,
      ]),
    ).toEqual([
      ['run_2026-11_paypal_0', 'SUCCESS', 10_050, null],
      ['run_2026-11_paypal_1', 'UNCLAIMED', 10_051, 'RECEIVER_UNREGISTERED'],
      ['run_2026-11_paypal_2', 'FAILED', 10_052, 'RECEIVER_ACCOUNT_LOCKED'],
      ['run_2026-11_paypal_3', 'RETURNED', 10_053, 'RECEIVER_UNCONFIRMED'],
    ]);
    // One item read alone, as a webhook handler does.
    const unclaimed = read.value.items[1]!;
    expect(await readPayoutItem(paypal, unclaimed.payoutItemId)).toEqual({ ok: true, value: unclaimed });
    expect(await readPayoutItem(paypal, 'NOSUCHITEM')).toMatchObject({
      ok: false,
      failure: { kind: 'not_found' },
    });
  });

  it('answers a reused sender_batch_id with the batch PayPal already has, paying nobody again', async () => {
    const request = batch('run_2026-12_paypal', ['once@example.test']);
    const first = await createPayoutBatch(paypal, request);
    const count = fake.batchCount();
    const again = await createPayoutBatch(paypal, request);
    expect(first.ok && again.ok && again.value.batchId === first.value.batchId).toBe(true);
    expect(again).toMatchObject({ ok: true, value: { replayed: true } });
    expect(fake.batchCount()).toBe(count);
    // Without a link to follow, the duplicate is reported, never sent as a new batch.
    fake.duplicateWithoutLink();
    const blind = await createPayoutBatch(paypal, request);
    fake.duplicateWithoutLink(false);
    expect(blind).toMatchObject({
      ok: false,
      failure: { kind: 'idempotency_conflict', code: 'DUPLICATE_SENDER_BATCH_ID', retryable: false },
    });
    expect(fake.batchCount()).toBe(count);
  });

  it('maps PayPal refusals: insufficient funds, a malformed batch, bad credentials', async () => {
    fake.setBalance('USD', 5_000);
    const broke = await createPayoutBatch(paypal, batch('run_broke', ['a@example.test']));
    expect(broke).toMatchObject({
      ok: false,
      failure: { kind: 'insufficient_funds', code: 'INSUFFICIENT_FUNDS' },
    });
    fake.setBalance('USD', 100_000_000);
    const bad = await createPayoutBatch(paypal, { senderBatchId: 'run_empty', items: [] });
    expect(bad).toMatchObject({ ok: false, failure: { kind: 'invalid_request', code: 'VALIDATION_ERROR' } });
    const stranger = createPayPalProcessor({
      apiBase: fake.url,
      clientId: fake.clientId,
      clientSecret: 'wrong',
    });
    const refused = await createPayoutBatch(stranger, batch('run_stranger', ['a@example.test']));
    expect(refused).toMatchObject({ ok: false, failure: { kind: 'authentication', code: 'invalid_client' } });
  });

  it('is unavailable (retryable) when PayPal is down, and the resumed run sends the batch once', async () => {
    const request = batch('run_down', ['later@example.test']);
    const count = fake.batchCount();
    fake.failNext(1, 503);
    expect(await createPayoutBatch(paypal, request)).toMatchObject({
      ok: false,
      failure: { kind: 'unavailable', retryable: true },
    });
    fake.failNext(1, 500);
    expect(await createPayoutBatch(paypal, request)).toMatchObject({
      ok: false,
      failure: { kind: 'unavailable' },
    });
    expect(await createPayoutBatch(paypal, request)).toMatchObject({ ok: true, value: { replayed: false } });
    expect(await createPayoutBatch(paypal, request)).toMatchObject({ ok: true, value: { replayed: true } });
    expect(fake.batchCount()).toBe(count + 1);
    const nowhere = createPayPalProcessor({
      apiBase: 'http://127.0.0.1:9',
      clientId: 'x',
      clientSecret: 'y',
    });
    expect(await readPayoutBatch(nowhere, 'X')).toMatchObject({
      ok: false,
      failure: { kind: 'unavailable' },
    });
  });
});
