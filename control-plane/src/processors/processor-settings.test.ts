import { describe, expect, it } from 'vitest';
import { loadSettings } from '../settings.ts';
import { paypalConfigOf } from './paypal/paypal-client.ts';
import { stripeConfigOf } from './stripe/stripe-client.ts';

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
});
