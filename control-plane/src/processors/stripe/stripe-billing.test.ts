import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type StripeFake, startStripeFake } from '../../../test/fakes/stripe-fake.ts';
import { createTopUpCheckoutSession } from './stripe-checkout.ts';
import { createStripeProcessor, type StripeProcessor } from './stripe-client.ts';
import { createCustomer, createPostpaidInvoice, payInvoice } from './stripe-invoicing.ts';

describe('advertiser billing through the Stripe SDK', () => {
  let fake: StripeFake;
  let stripe: StripeProcessor['client'];
  beforeAll(async () => {
    fake = await startStripeFake();
    stripe = createStripeProcessor({
      secretKey: fake.secretKey,
      apiBase: fake.url,
      maxNetworkRetries: 0,
    }).client;
  });
  afterAll(() => fake.close());

  it('opens a Checkout Session for a top-up: mode payment, the amount in minor units, the advertiser in metadata', async () => {
    const request = {
      advertiserId: 7,
      amountMinor: 50_000,
      currency: 'EUR',
      successUrl: 'https://app.test/billing?topup=done',
      cancelUrl: 'https://app.test/billing',
      idempotencyKey: 'topup_7_1',
    };
    const session = await createTopUpCheckoutSession(stripe, request);
    expect(session).toMatchObject({
      ok: true,
      value: { sessionId: expect.stringMatching(/^cs_/), amountMinor: 50_000, currency: 'EUR' },
    });
    if (!session.ok) return;
    expect(session.value.url).toMatch(/^https:\/\/checkout\.stripe\.com\//);
    const sent = fake.requests.find((r) => r.path === '/v1/checkout/sessions');
    expect(sent?.params).toEqual({
      mode: 'payment',
      line_items: [
        {
          quantity: '1',
          price_data: {
            currency: 'eur',
            unit_amount: '50000',
            product_data: { name: 'Account balance top-up' },
          },
        },
      ],
      success_url: request.successUrl,
      cancel_url: request.cancelUrl,
      client_reference_id: 'advertiser_7',
      metadata: { advertiser_id: '7', purpose: 'top_up' },
      payment_intent_data: { metadata: { advertiser_id: '7', purpose: 'top_up' } },
    });
    // A retried request (double click, timeout) gets the same session back.
    const again = await createTopUpCheckoutSession(stripe, request);
    expect(again.ok && again.value.sessionId).toBe(session.value.sessionId);
    // The customer pays on Stripe's page: the event carries what the ledger will need.
    const event = fake.completeCheckout(session.value.sessionId);
    expect(event).toMatchObject({
      type: 'checkout.session.completed',
      data: { object: { payment_status: 'paid', amount_total: 50_000, metadata: { advertiser_id: '7' } } },
    });
  });

  it('invoices a postpaid advertiser: send_invoice with net terms, lines on the invoice, finalized', async () => {
    const customer = await createCustomer(stripe, {
      advertiserId: 8,
      name: 'Acme',
      email: 'billing@acme.test',
    });
    if (!customer.ok) throw new Error(customer.failure.message);
    const request = {
      customerId: customer.value.id,
      currency: 'USD',
      lines: [
        { amountMinor: 120_000, description: 'Conversions, November 2026: offer 3' },
        { amountMinor: 30_050, description: 'Conversions, November 2026: offer 9' },
      ],
      daysUntilDue: 30,
      idempotencyKey: 'invoice_advertiser_8_2026-11',
    };
    const invoice = await createPostpaidInvoice(stripe, request);
    expect(invoice).toMatchObject({
      ok: true,
      value: {
        id: expect.stringMatching(/^in_/),
        status: 'open',
        amountDueMinor: 150_050,
        currency: 'USD',
        number: expect.any(String),
        hostedInvoiceUrl: expect.stringMatching(/^https:/),
      },
    });
    if (!invoice.ok) return;
    const dueIn = (invoice.value.dueDate!.getTime() - Date.now()) / 86_400_000;
    expect(Math.round(dueIn)).toBe(30);
    const created = fake.requests.find((r) => r.path === '/v1/invoices' && r.method === 'POST');
    expect(created?.params).toMatchObject({
      collection_method: 'send_invoice',
      days_until_due: '30',
      currency: 'usd',
    });

    // Called again for the same period (a resumed run): the same invoice, no new lines.
    const items = fake.requests.filter((r) => r.path === '/v1/invoiceitems').length;
    const again = await createPostpaidInvoice(stripe, request);
    expect(again.ok && again.value.id).toBe(invoice.value.id);
    expect(fake.invoices.size).toBe(1);
    expect(fake.requests.filter((r) => r.path === '/v1/invoiceitems').length).toBe(items + 2);
    expect([...fake.invoices.values()][0]?.amount_due).toBe(150_050);
  });

  it('reports a declined card as card_declined and an issuer without money as insufficient_funds', async () => {
    const customer = await createCustomer(stripe, { advertiserId: 9, name: 'Globex' });
    if (!customer.ok) throw new Error(customer.failure.message);
    const invoice = await createPostpaidInvoice(stripe, {
      customerId: customer.value.id,
      currency: 'USD',
      lines: [{ amountMinor: 9_900, description: 'Conversions' }],
      daysUntilDue: 14,
      idempotencyKey: 'invoice_advertiser_9_2026-11',
    });
    if (!invoice.ok) throw new Error(invoice.failure.message);
    fake.declineCards('generic_decline');
    const declined = await payInvoice(stripe, { invoiceId: invoice.value.id, idempotencyKey: 'collect_9_1' });
    expect(declined).toMatchObject({
      ok: false,
      failure: {
        kind: 'card_declined',
        code: 'card_declined',
        declineCode: 'generic_decline',
        retryable: false,
      },
    });
    fake.declineCards('insufficient_funds');
    const broke = await payInvoice(stripe, { invoiceId: invoice.value.id, idempotencyKey: 'collect_9_2' });
    expect(broke).toMatchObject({
      ok: false,
      failure: { kind: 'insufficient_funds', declineCode: 'insufficient_funds' },
    });
    fake.declineCards(null);
    const paid = await payInvoice(stripe, { invoiceId: invoice.value.id, idempotencyKey: 'collect_9_3' });
    expect(paid).toMatchObject({ ok: true, value: { status: 'paid' } });
  });

  it('refuses a malformed request as invalid_request, naming the parameter', async () => {
    const refused = await createTopUpCheckoutSession(stripe, {
      advertiserId: 1,
      amountMinor: -5,
      currency: 'USD',
      successUrl: 'https://app.test/ok',
      cancelUrl: 'https://app.test/no',
      idempotencyKey: 'topup_1_bad',
    });
    expect(refused).toMatchObject({ ok: false, failure: { kind: 'invalid_request', retryable: false } });
  });
});
