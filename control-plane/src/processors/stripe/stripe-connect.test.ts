import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type StripeFake, startStripeFake } from '../../../test/fakes/stripe-fake.ts';
import { createStripeProcessor, type StripeProcessor } from './stripe-client.ts';
import {
  createExpressAccount,
  createOnboardingLink,
  readConnectedAccount,
  readConnectedBalance,
  readTransfer,
  transferToConnectedAccount,
} from './stripe-connect.ts';

describe('Stripe Connect through the SDK', () => {
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
  beforeEach(() => fake.setPlatformBalance('usd', 1_000_000));

  const onboardedAccount = async (affiliateId: number) => {
    const created = await createExpressAccount(stripe, {
      affiliateId,
      email: `a${affiliateId}@example.test`,
    });
    if (!created.ok) throw new Error(created.failure.message);
    fake.completeOnboarding(created.value.id);
    return created.value.id;
  };

  it('opens one Express account per affiliate, links to onboarding, and reads payouts_enabled', async () => {
    const first = await createExpressAccount(stripe, {
      affiliateId: 41,
      email: 'a41@example.test',
      country: 'DE',
    });
    const again = await createExpressAccount(stripe, {
      affiliateId: 41,
      email: 'a41@example.test',
      country: 'DE',
    });
    expect(first.ok && again.ok && first.value.id === again.value.id).toBe(true);
    if (!first.ok) return;
    expect(first.value).toMatchObject({
      id: expect.stringMatching(/^acct_/),
      payoutsEnabled: false,
      transfers: 'inactive',
    });
    const created = fake.requests.find((r) => r.path === '/v1/accounts' && r.method === 'POST');
    expect(created?.params).toMatchObject({
      type: 'express',
      country: 'DE',
      capabilities: { transfers: { requested: 'true' } },
      metadata: { affiliate_id: '41' },
    });
    expect(created?.idempotencyKey).toBe('affiliate_41_connect_account');
    expect(created?.authorization).toBe(`Bearer ${fake.secretKey}`);

    const link = await createOnboardingLink(stripe, {
      accountId: first.value.id,
      refreshUrl: 'https://app.test/payouts/stripe/refresh',
      returnUrl: 'https://app.test/payouts/stripe/done',
    });
    expect(link.ok && link.value.url.startsWith('https://connect.stripe.com/')).toBe(true);
    expect(link.ok && link.value.expiresAt.getTime() > Date.now()).toBe(true);

    fake.completeOnboarding(first.value.id);
    const read = await readConnectedAccount(stripe, first.value.id);
    expect(read).toMatchObject({
      ok: true,
      value: { payoutsEnabled: true, transfers: 'active', currentlyDue: [] },
    });
  });

  it('transfers to an onboarded account with the payout key; the same key twice moves money once', async () => {
    const accountId = await onboardedAccount(42);
    const request = { accountId, amountMinor: 12_345, currency: 'USD', idempotencyKey: 'payout_42_1' };
    const first = await transferToConnectedAccount(stripe, request);
    const second = await transferToConnectedAccount(stripe, request);
    expect(first).toMatchObject({
      ok: true,
      value: { id: expect.stringMatching(/^tr_/), amountMinor: 12_345, currency: 'USD' },
    });
    expect(second.ok && first.ok && second.value.id === first.value.id).toBe(true);
    expect([...fake.transfers.values()].filter((t) => t.destination === accountId)).toHaveLength(1);
    const posts = fake.requests.filter((r) => r.method === 'POST' && r.path === '/v1/transfers');
    expect(posts.at(-1)).toMatchObject({
      idempotencyKey: 'payout_42_1',
      params: {
        amount: '12345',
        currency: 'usd',
        destination: accountId,
        metadata: { tas_key: 'payout_42_1' },
      },
    });
    // The affiliate's own balance, read as the connected account (Stripe-Account header).
    const balance = await readConnectedBalance(stripe, accountId);
    expect(balance).toMatchObject({ ok: true, value: { availableMinor: { USD: 12_345 } } });
    expect(fake.requests.at(-1)?.stripeAccount).toBe(accountId);
  });

  it('refuses the same key with another amount as an idempotency conflict, paying nothing more', async () => {
    const accountId = await onboardedAccount(43);
    const paid = await transferToConnectedAccount(stripe, {
      accountId,
      amountMinor: 500,
      currency: 'USD',
      idempotencyKey: 'payout_43_1',
    });
    expect(paid.ok).toBe(true);
    const other = await transferToConnectedAccount(stripe, {
      accountId,
      amountMinor: 900,
      currency: 'USD',
      idempotencyKey: 'payout_43_1',
    });
    expect(other).toMatchObject({ ok: false, failure: { kind: 'idempotency_conflict', retryable: false } });
    expect([...fake.transfers.values()].filter((t) => t.destination === accountId)).toHaveLength(1);
  });

  it('resumes a payout whose answer was lost: the retry with the same key finds the first transfer', async () => {
    const accountId = await onboardedAccount(44);
    const request = { accountId, amountMinor: 700, currency: 'USD', idempotencyKey: 'payout_44_1' };
    // The transfer is made at Stripe, then the connection drops before the answer arrives; the
    // SDK retries a closed connection once, with the same key.
    fake.dropResponsesAfterCommit(1);
    const resumed = await transferToConnectedAccount(stripe, request);
    expect(resumed).toMatchObject({ ok: true, value: { amountMinor: 700 } });
    expect([...fake.transfers.values()].filter((t) => t.destination === accountId)).toHaveLength(1);
    const posts = fake.requests.filter(
      (r) => r.path === '/v1/transfers' && r.idempotencyKey === 'payout_44_1',
    );
    expect(posts).toHaveLength(2);
  });

  it('answers account_not_ready before moving anything when payouts are not enabled', async () => {
    const created = await createExpressAccount(stripe, { affiliateId: 45 });
    if (!created.ok) throw new Error(created.failure.message);
    const before = fake.transfers.size;
    const refused = await transferToConnectedAccount(stripe, {
      accountId: created.value.id,
      amountMinor: 100,
      currency: 'USD',
      idempotencyKey: 'payout_45_1',
    });
    expect(refused).toMatchObject({
      ok: false,
      failure: { kind: 'account_not_ready', code: 'payouts_not_enabled' },
    });
    expect(fake.transfers.size).toBe(before);
  });

  it("maps Stripe's refusals: the platform's balance too low, an unknown account, a transfer not found", async () => {
    const accountId = await onboardedAccount(46);
    fake.setPlatformBalance('usd', 50);
    const short = await transferToConnectedAccount(stripe, {
      accountId,
      amountMinor: 100,
      currency: 'USD',
      idempotencyKey: 'payout_46_1',
    });
    expect(short).toMatchObject({
      ok: false,
      failure: { kind: 'insufficient_funds', code: 'balance_insufficient' },
    });
    expect(await readConnectedAccount(stripe, 'acct_missing')).toMatchObject({
      ok: false,
      failure: { kind: 'not_found', code: 'resource_missing' },
    });
    expect(await readTransfer(stripe, 'tr_missing')).toMatchObject({
      ok: false,
      failure: { kind: 'not_found' },
    });
  });

  it('answers unavailable (retryable) when Stripe is down, and the same key pays once when it is back', async () => {
    const accountId = await onboardedAccount(47);
    const request = { accountId, amountMinor: 300, currency: 'USD', idempotencyKey: 'payout_47_1' };
    fake.failNext(1, 503);
    const down = await transferToConnectedAccount(stripe, request);
    expect(down).toMatchObject({ ok: false, failure: { kind: 'unavailable', retryable: true } });
    fake.failNext(1, 500);
    expect(await transferToConnectedAccount(stripe, request)).toMatchObject({
      ok: false,
      failure: { kind: 'unavailable' },
    });
    const back = await transferToConnectedAccount(stripe, request);
    expect(back).toMatchObject({ ok: true, value: { amountMinor: 300 } });
    expect([...fake.transfers.values()].filter((t) => t.destination === accountId)).toHaveLength(1);

    // Nothing listening at all is the same kind of failure.
    const nowhere = createStripeProcessor({
      secretKey: fake.secretKey,
      apiBase: 'http://127.0.0.1:9',
      maxNetworkRetries: 0,
    }).client;
    expect(await readConnectedAccount(nowhere, accountId)).toMatchObject({
      ok: false,
      failure: { kind: 'unavailable', retryable: true },
    });
  });

  it('retries 5xx answers itself when allowed to, with the same key', async () => {
    const patient = createStripeProcessor({
      secretKey: fake.secretKey,
      apiBase: fake.url,
      maxNetworkRetries: 1,
    }).client;
    const accountId = await onboardedAccount(48);
    fake.failNext(1, 503);
    const paid = await transferToConnectedAccount(patient, {
      accountId,
      amountMinor: 250,
      currency: 'USD',
      idempotencyKey: 'payout_48_1',
    });
    expect(paid.ok).toBe(true);
  });

  it('reports a refused key as an authentication failure without the key in the message', async () => {
    const wrong = createStripeProcessor({
      secretKey: 'sk_test_wrongwrongwrong1234',
      apiBase: fake.url,
      maxNetworkRetries: 0,
    }).client;
    const refused = await readConnectedAccount(wrong, 'acct_any');
    expect(refused).toMatchObject({ ok: false, failure: { kind: 'authentication', retryable: false } });
    expect(JSON.stringify(refused)).not.toContain('sk_test_wrongwrongwrong1234');
  });
});
