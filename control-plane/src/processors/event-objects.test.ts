import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type PayPalFake, startPayPalFake } from '../../test/fakes/paypal-fake.ts';
import { type StripeFake, startStripeFake } from '../../test/fakes/stripe-fake.ts';
import type { ProcessorEvent } from '../db/schema/processor-events.ts';
import { createPayPalProcessor } from './paypal/paypal-client.ts';
import { payoutItemEventOf, payoutItemStateRank } from './paypal/paypal-event-objects.ts';
import { createPayoutBatch } from './paypal/paypal-payouts.ts';
import { createTopUpCheckoutSession } from './stripe/stripe-checkout.ts';
import { createStripeProcessor } from './stripe/stripe-client.ts';
import { createExpressAccount, transferToConnectedAccount } from './stripe/stripe-connect.ts';
import {
  checkoutTopUpOf,
  connectedAccountEventOf,
  connectPayoutOf,
  invoiceEventOf,
  transferEventOf,
} from './stripe/stripe-event-objects.ts';
import { createCustomer, createPostpaidInvoice, payInvoice } from './stripe/stripe-invoicing.ts';

const stored = (processor: 'stripe' | 'paypal', payload: unknown): ProcessorEvent => ({
  id: 1,
  processor,
  eventId: 'evt_test',
  type: 'test',
  objectId: null,
  occurredAt: null,
  payload,
  receivedAt: new Date(),
  processedAt: null,
  failures: 0,
  error: null,
});

describe('reading the objects inside processor events', () => {
  let stripeFake: StripeFake;
  let paypalFake: PayPalFake;
  beforeAll(async () => {
    stripeFake = await startStripeFake();
    paypalFake = await startPayPalFake();
  });
  afterAll(async () => {
    await stripeFake.close();
    await paypalFake.close();
  });

  it('reads a paid top-up, a transfer with its TAS key and a failed Connect payout from Stripe events', async () => {
    const stripe = createStripeProcessor({ secretKey: stripeFake.secretKey, apiBase: stripeFake.url }).client;
    const session = await createTopUpCheckoutSession(stripe, {
      advertiserId: 12,
      amountMinor: 2_000,
      currency: 'USD',
      successUrl: 'https://app.test/ok',
      cancelUrl: 'https://app.test/no',
      idempotencyKey: 'topup_12_1',
    });
    if (!session.ok) throw new Error(session.failure.message);
    const completed = stripeFake.completeCheckout(session.value.sessionId);
    expect(checkoutTopUpOf(stored('stripe', completed))).toEqual({
      sessionId: session.value.sessionId,
      advertiserId: 12,
      amountMinor: 2_000,
      currency: 'USD',
      paid: true,
    });

    const account = await createExpressAccount(stripe, { affiliateId: 13 });
    if (!account.ok) throw new Error(account.failure.message);
    const onboarded = stripeFake.completeOnboarding(account.value.id);
    expect(connectedAccountEventOf(stored('stripe', onboarded))).toEqual({
      accountId: account.value.id,
      affiliateId: 13,
      payoutsEnabled: true,
      detailsSubmitted: true,
    });
    const transfer = await transferToConnectedAccount(stripe, {
      accountId: account.value.id,
      amountMinor: 800,
      currency: 'USD',
      idempotencyKey: 'payout_13_1',
    });
    if (!transfer.ok) throw new Error(transfer.failure.message);
    const reversed = stripeFake.reverseTransfer(transfer.value.id);
    expect(transferEventOf(stored('stripe', reversed))).toEqual({
      transferId: transfer.value.id,
      accountId: account.value.id,
      amountMinor: 800,
      amountReversedMinor: 800,
      currency: 'USD',
      reversed: true,
      tasKey: 'payout_13_1',
    });
    const failed = stripeFake.failPayout(account.value.id, 800);
    expect(connectPayoutOf(stored('stripe', failed))).toMatchObject({
      accountId: account.value.id,
      status: 'failed',
      failureCode: 'account_closed',
    });
    const customer = await createCustomer(stripe, { advertiserId: 14, name: 'Initech' });
    if (!customer.ok) throw new Error(customer.failure.message);
    const invoice = await createPostpaidInvoice(stripe, {
      customerId: customer.value.id,
      currency: 'USD',
      lines: [{ amountMinor: 4_200, description: 'Conversions' }],
      daysUntilDue: 30,
      idempotencyKey: 'invoice_advertiser_14_2026-11',
    });
    if (!invoice.ok) throw new Error(invoice.failure.message);
    await payInvoice(stripe, { invoiceId: invoice.value.id, idempotencyKey: 'collect_14_1' });
    const paid = stripeFake.events.findLast((e) => e.type === 'invoice.paid');
    expect(invoiceEventOf(stored('stripe', paid))).toEqual({
      invoiceId: invoice.value.id,
      status: 'paid',
      amountDueMinor: 4_200,
      amountPaidMinor: 4_200,
      currency: 'USD',
      tasKey: 'invoice_advertiser_14_2026-11',
    });
    // Not what it claims to be: null, never a half-read object.
    expect(checkoutTopUpOf(stored('stripe', reversed))).toBeNull();
    expect(
      transferEventOf(stored('stripe', { data: { object: { object: 'transfer', id: 'tr_1' } } })),
    ).toBeNull();
    expect(connectPayoutOf(stored('stripe', { ...failed, account: undefined }))).toBeNull();
  });

  it('reads payout items from PayPal events and ranks their statuses so stale ones change nothing', async () => {
    const paypal = createPayPalProcessor({
      apiBase: paypalFake.url,
      clientId: paypalFake.clientId,
      clientSecret: paypalFake.clientSecret,
    });
    paypalFake.setOutcome('gone@example.test', 'RETURNED');
    await createPayoutBatch(paypal, {
      senderBatchId: 'rank_run',
      items: [
        {
          senderItemId: 'payout_77',
          receiver: { type: 'EMAIL', value: 'gone@example.test' },
          amountMinor: 1_234,
          currency: 'EUR',
        },
      ],
    });
    const [returned] = paypalFake.settle();
    expect(payoutItemEventOf(stored('paypal', returned))).toMatchObject({
      senderItemId: 'payout_77',
      status: 'RETURNED',
      amountMinor: 1_234,
      currency: 'EUR',
      error: 'RECEIVER_UNCONFIRMED',
    });
    expect(payoutItemEventOf(stored('paypal', { resource: { id: 'x' } }))).toBeNull();
    expect(payoutItemStateRank('PENDING')).toBeLessThan(payoutItemStateRank('UNCLAIMED'));
    expect(payoutItemStateRank('UNCLAIMED')).toBeLessThan(payoutItemStateRank('RETURNED'));
    expect(payoutItemStateRank('SUCCESS')).toBeLessThan(payoutItemStateRank('REVERSED'));
    expect(payoutItemStateRank('SOMETHING_NEW')).toBe(-1);
  });
});
