import Stripe from 'stripe';
import type { Settings } from '../../settings.ts';

/** What the control plane needs to talk to Stripe. */
export type StripeConfig = {
  secretKey: string;
  /** Signing secret of the webhook endpoint; without it /webhooks/stripe answers 503. */
  webhookSecret?: string | undefined;
  /** Another API address (a local fake, a proxy): `http://127.0.0.1:12111`. */
  apiBase?: string | undefined;
  /** Retries of failed connections and 5xx/409/429 answers, with the same idempotency key. */
  maxNetworkRetries?: number;
  timeoutMs?: number;
};

/** Stripe's configuration from the settings, or null when no key is set (Stripe disabled). */
export function stripeConfigOf(
  settings: Pick<Settings, 'STRIPE_SECRET_KEY' | 'STRIPE_WEBHOOK_SECRET' | 'STRIPE_API_BASE'>,
): StripeConfig | null {
  if (!settings.STRIPE_SECRET_KEY) return null;
  return {
    secretKey: settings.STRIPE_SECRET_KEY,
    webhookSecret: settings.STRIPE_WEBHOOK_SECRET,
    apiBase: settings.STRIPE_API_BASE,
  };
}

/** Stripe as the control plane uses it: the official client and the webhook signing secret. */
export type StripeProcessor = { client: Stripe; webhookSecret: string | undefined };

/**
 * The official client, pinned to the SDK's API version. `apiBase` points it at another server
 * by host, port and protocol, the only knobs the SDK has for that.
 */
export function createStripeProcessor(config: StripeConfig): StripeProcessor {
  const base = config.apiBase ? new URL(config.apiBase) : null;
  const protocol = base?.protocol === 'http:' ? 'http' : 'https';
  const client = new Stripe(config.secretKey, {
    maxNetworkRetries: config.maxNetworkRetries ?? 2,
    timeout: config.timeoutMs ?? 30_000,
    telemetry: false,
    appInfo: { name: 'TAS' },
    ...(base
      ? { host: base.hostname, port: base.port || (protocol === 'http' ? '80' : '443'), protocol }
      : {}),
  });
  return { client, webhookSecret: config.webhookSecret };
}
