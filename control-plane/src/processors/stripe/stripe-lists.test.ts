import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type StripeFake, startStripeFake } from '../../../test/fakes/stripe-fake.ts';
import { createTopUpCheckoutSession, listCheckoutSessions } from './stripe-checkout.ts';
import { createStripeProcessor, type StripeProcessor } from './stripe-client.ts';

describe("Stripe's lists, every page", () => {
  let fake: StripeFake;
  let stripe: StripeProcessor;
  beforeAll(async () => {
    fake = await startStripeFake();
    stripe = createStripeProcessor({ secretKey: fake.secretKey, apiBase: fake.url, maxNetworkRetries: 0 });
  });
  afterAll(() => fake.close());

  it('reads past the first page, newest first, from the time asked; a page refused ends it as a failure', async () => {
    const open = (i: number) =>
      createTopUpCheckoutSession(stripe.client, {
        advertiserId: 1,
        amountMinor: 100 + i,
        currency: 'USD',
        successUrl: 'https://app.test/ok',
        cancelUrl: 'https://app.test/no',
        idempotencyKey: `list-${i}`,
      });
    // Made "yesterday": outside a window starting now.
    const old = await open(0);
    const before = fake.sessions.get(old.ok ? old.value.sessionId : '');
    if (before) before.created = Math.floor(Date.now() / 1000) - 86_400;
    for (let i = 1; i <= 205; i++) await open(i);

    const listed = await listCheckoutSessions(stripe.client, new Date(Date.now() - 3_600_000));
    expect(listed.ok && listed.value.map((s) => s.amountMinor)).toEqual(
      Array.from({ length: 205 }, (_, i) => 305 - i),
    );
    const pages = fake.requests.filter((r) => r.method === 'GET' && r.path === '/v1/checkout/sessions');
    expect(pages.map((r) => [r.params.limit, r.params.starting_after === undefined])).toEqual([
      ['100', true],
      ['100', false],
      ['100', false],
    ]);

    fake.failNext(1);
    const down = await listCheckoutSessions(stripe.client, new Date(0));
    expect(down).toMatchObject({ ok: false, failure: { kind: 'unavailable', retryable: true } });
  });
});
