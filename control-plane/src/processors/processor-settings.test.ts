import { describe, expect, it } from 'vitest';
import { startPayPalFake } from '../../test/fakes/paypal-fake.ts';
import { startStripeFake } from '../../test/fakes/stripe-fake.ts';
import { ApiError } from '../http/api-error.ts';
import { loadSettings } from '../settings.ts';
import { paypalConfigOf } from './paypal/paypal-client.ts';
import { readPayoutBatch } from './paypal/paypal-payouts.ts';
import { processorsOf, requirePayPal, requireStripe } from './processor-deps.ts';
import { stripeConfigOf } from './stripe/stripe-client.ts';
import { createExpressAccount } from './stripe/stripe-connect.ts';

const base = { INGEST_SIGNING_SECRET: 'i'.repeat(40), CONFIG_SIGNING_SECRET: 'c'.repeat(40) };

describe('processor settings', () => {
  it('leaves both processors disabled when no keys are set, so a bare start works', () => {
    const settings = loadSettings(base);
    expect(stripeConfigOf(settings)).toBeNull();
    expect(paypalConfigOf(settings)).toBeNull();
    expect(settings.PAYPAL_API_BASE).toBe('https://api-m.paypal.com');
  });

  it('configures each processor from its keys', () => {
    const settings = loadSettings({
      ...base,
      STRIPE_SECRET_KEY: 'sk_test_abc123',
      STRIPE_WEBHOOK_SECRET: 'whsec_abc',
      STRIPE_API_BASE: 'http://127.0.0.1:12111',
      PAYPAL_CLIENT_ID: 'client',
      PAYPAL_CLIENT_SECRET: 'secret',
      PAYPAL_WEBHOOK_ID: 'WH123',
      PAYPAL_API_BASE: 'https://api-m.sandbox.paypal.com',
    });
    expect(stripeConfigOf(settings)).toEqual({
      secretKey: 'sk_test_abc123',
      webhookSecret: 'whsec_abc',
      apiBase: 'http://127.0.0.1:12111',
    });
    expect(paypalConfigOf(settings)).toEqual({
      apiBase: 'https://api-m.sandbox.paypal.com',
      clientId: 'client',
      clientSecret: 'secret',
      webhookId: 'WH123',
    });
  });

  it('refuses keys that are not what they claim, and a PayPal id without its secret', () => {
    expect(() => loadSettings({ ...base, STRIPE_SECRET_KEY: 'pk_test_publishable' })).toThrow(
      /STRIPE_SECRET_KEY/,
    );
    expect(() => loadSettings({ ...base, STRIPE_WEBHOOK_SECRET: 'secret' })).toThrow(/STRIPE_WEBHOOK_SECRET/);
    expect(() => loadSettings({ ...base, PAYPAL_CLIENT_ID: 'client' })).toThrow(/PAYPAL_CLIENT_SECRET/);
    expect(() => loadSettings({ ...base, PAYPAL_API_BASE: 'ftp://paypal' })).toThrow(/PAYPAL_API_BASE/);
  });

  it('never shows a refused key in the settings error', () => {
    const key = 'sk_live_not-a-valid-key-but-secret';
    expect(() => loadSettings({ ...base, STRIPE_SECRET_KEY: key })).toThrow(/STRIPE_SECRET_KEY/);
    try {
      loadSettings({ ...base, STRIPE_SECRET_KEY: key });
    } catch (error) {
      expect(String(error)).not.toContain(key);
    }
  });

  it('reaches the processors the settings name, and says which keys are missing when off', async () => {
    const stripe = await startStripeFake();
    const paypal = await startPayPalFake();
    try {
      const processors = processorsOf(
        loadSettings({
          ...base,
          STRIPE_SECRET_KEY: stripe.secretKey,
          STRIPE_API_BASE: stripe.url,
          PAYPAL_CLIENT_ID: paypal.clientId,
          PAYPAL_CLIENT_SECRET: paypal.clientSecret,
          PAYPAL_API_BASE: paypal.url,
        }),
      );
      expect(await createExpressAccount(requireStripe(processors).client, { affiliateId: 1 })).toMatchObject({
        ok: true,
      });
      expect(await readPayoutBatch(requirePayPal(processors), 'NONE')).toMatchObject({
        ok: false,
        failure: { kind: 'not_found' },
      });
      const off = processorsOf(loadSettings(base));
      for (const require of [requireStripe, requirePayPal]) {
        try {
          require(off);
          expect.unreachable();
        } catch (error) {
          expect(error).toBeInstanceOf(ApiError);
          expect((error as ApiError).code).toBe('processor_not_configured');
          expect((error as ApiError).status).toBe(503);
        }
      }
    } finally {
      await stripe.close();
      await paypal.close();
    }
  });
});
