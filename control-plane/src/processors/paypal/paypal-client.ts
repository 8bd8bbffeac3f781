import { z } from 'zod';
import type { Settings } from '../../settings.ts';
import { failed, ok, type ProcessorFailure, type ProcessorResult } from '../processor-result.ts';

/** What the control plane needs to talk to PayPal's REST API (no PayPal SDK covers Payouts). */
export type PayPalConfig = {
  apiBase: string;
  clientId: string;
  clientSecret: string;
  /** Id of the webhook pointing at /webhooks/paypal; without it that route answers 503. */
  webhookId?: string | undefined;
  timeoutMs?: number;
};

/** PayPal's configuration from the settings, or null when no credentials are set (PayPal disabled). */
export function paypalConfigOf(
  settings: Pick<
    Settings,
    'PAYPAL_API_BASE' | 'PAYPAL_CLIENT_ID' | 'PAYPAL_CLIENT_SECRET' | 'PAYPAL_WEBHOOK_ID'
  >,
): PayPalConfig | null {
  if (!settings.PAYPAL_CLIENT_ID || !settings.PAYPAL_CLIENT_SECRET) return null;
  return {
    apiBase: settings.PAYPAL_API_BASE,
    clientId: settings.PAYPAL_CLIENT_ID,
    clientSecret: settings.PAYPAL_CLIENT_SECRET,
    webhookId: settings.PAYPAL_WEBHOOK_ID,
  };
}

/** PayPal's error body: `{ name, message, debug_id, details: [{ field, issue, link }] }`. */
export const paypalErrorSchema = z.object({
  name: z.string(),
  message: z.string().optional(),
  debug_id: z.string().optional(),
  details: z
    .array(
      z.object({
        field: z.string().optional(),
        issue: z.string().optional(),
        description: z.string().optional(),
        link: z.array(z.object({ href: z.string(), rel: z.string().optional() })).optional(),
      }),
    )
    .optional(),
});
export type PayPalError = z.infer<typeof paypalErrorSchema>;

const tokenSchema = z.object({ access_token: z.string().min(1), expires_in: z.number().positive() });

export type PayPalResponse = { status: number; body: unknown };

/** PayPal as the control plane uses it: authenticated calls, and the webhook id for verification. */
export type PayPalProcessor = {
  webhookId: string | undefined;
  /**
   * Sends one request with a current access token. A 2xx comes back as `ok`; PayPal's error
   * answers come back as `ok` too (status and body), for the caller to read the ones it expects
   * (a duplicate batch id); no answer, a 5xx or a 429 is a failure of kind `unavailable`.
   */
  call(method: 'GET' | 'POST', path: string, body?: unknown): Promise<ProcessorResult<PayPalResponse>>;
};

// A token is renewed this long before PayPal says it expires, so none expires in flight.
const EXPIRY_MARGIN_MS = 60_000;

const unavailable = (message: string, requestId?: string): ProcessorFailure => ({
  kind: 'unavailable',
  message,
  requestId,
  retryable: true,
});

/**
 * PayPal's REST API by fetch. OAuth2 client credentials (`POST /v1/oauth2/token`, HTTP Basic with
 * the client id and secret); the token is cached until shortly before it expires, shared by
 * concurrent calls, and fetched again once if PayPal refuses it early (401 invalid_token).
 */
export function createPayPalProcessor(
  config: PayPalConfig,
  options: { now?: () => number; fetch?: typeof fetch } = {},
): PayPalProcessor {
  const now = options.now ?? Date.now;
  const send = options.fetch ?? fetch;
  const base = config.apiBase.replace(/\/+$/, '');
  const timeoutMs = config.timeoutMs ?? 30_000;
  let cached: { token: string; expiresAt: number } | null = null;
  let pending: Promise<ProcessorResult<string>> | null = null;

  async function fetchToken(): Promise<ProcessorResult<string>> {
    const basic = Buffer.from(`${config.clientId}:${config.clientSecret}`).toString('base64');
    let response: Response;
    try {
      response = await send(`${base}/v1/oauth2/token`, {
        method: 'POST',
        headers: {
          authorization: `Basic ${basic}`,
          'content-type': 'application/x-www-form-urlencoded',
          accept: 'application/json',
        },
        body: 'grant_type=client_credentials',
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch {
      return failed(unavailable('PayPal could not be reached for an access token.'));
    }
    const json: unknown = await response.json().catch(() => null);
    if (response.status >= 500 || response.status === 429) {
      return failed(unavailable(`PayPal answered ${response.status} to the token request.`));
    }
    const parsed = tokenSchema.safeParse(json);
    if (!response.ok || !parsed.success) {
      const error = z.object({ error: z.string() }).safeParse(json);
      return failed({
        kind: 'authentication',
        code: error.success ? error.data.error : undefined,
        message: `PayPal refused the client credentials (${response.status}${error.success ? ` ${error.data.error}` : ''}).`,
        retryable: false,
      });
    }
    cached = { token: parsed.data.access_token, expiresAt: now() + parsed.data.expires_in * 1000 };
    return ok(parsed.data.access_token);
  }

  function accessToken(): Promise<ProcessorResult<string>> {
    if (cached && now() < cached.expiresAt - EXPIRY_MARGIN_MS) return Promise.resolve(ok(cached.token));
    pending ??= fetchToken().finally(() => {
      pending = null;
    });
    return pending;
  }

  async function once(
    method: 'GET' | 'POST',
    path: string,
    token: string,
    body: unknown,
  ): Promise<ProcessorResult<PayPalResponse>> {
    let response: Response;
    try {
      response = await send(`${base}${path}`, {
        method,
        headers: {
          authorization: `Bearer ${token}`,
          accept: 'application/json',
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch {
      return failed(unavailable(`PayPal could not be reached (${method} ${path.split('?')[0]}).`));
    }
    const json: unknown = await response.json().catch(() => null);
    if (response.status >= 500 || response.status === 429) {
      const error = paypalErrorSchema.safeParse(json);
      return failed(
        unavailable(
          `PayPal answered ${response.status}${error.success ? ` ${error.data.name}` : ''}.`,
          error.success ? error.data.debug_id : undefined,
        ),
      );
    }
    return ok({ status: response.status, body: json });
  }

  return {
    webhookId: config.webhookId,
    async call(method, path, body) {
      const token = await accessToken();
      if (!token.ok) return token;
      const first = await once(method, path, token.value, body);
      if (!first.ok || first.value.status !== 401) return first;
      // Revoked or expired before its time: one fresh token, one more try.
      cached = null;
      const fresh = await accessToken();
      if (!fresh.ok) return fresh;
      return once(method, path, fresh.value, body);
    },
  };
}

/** A PayPal error answer as one of our failure kinds. */
export function paypalFailure(response: PayPalResponse): ProcessorFailure {
  const parsed = paypalErrorSchema.safeParse(response.body);
  const name = parsed.success ? parsed.data.name : `HTTP_${response.status}`;
  const base = {
    code: name,
    message: parsed.success
      ? `${name}: ${parsed.data.message ?? ''}`.trim()
      : `PayPal answered ${response.status}.`,
    requestId: parsed.success ? parsed.data.debug_id : undefined,
    retryable: false,
  };
  if (name === 'INSUFFICIENT_FUNDS') return { ...base, kind: 'insufficient_funds' };
  if (response.status === 401 || response.status === 403) return { ...base, kind: 'authentication' };
  if (response.status === 404 || name === 'INVALID_RESOURCE_ID' || name === 'RESOURCE_NOT_FOUND')
    return { ...base, kind: 'not_found' };
  if (name === 'RECEIVER_UNREGISTERED' || name === 'RECEIVER_RESTRICTED')
    return { ...base, kind: 'account_not_ready' };
  return { ...base, kind: 'invalid_request' };
}
