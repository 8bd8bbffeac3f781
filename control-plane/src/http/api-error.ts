import type { ContentfulStatusCode } from 'hono/utils/http-status';

/** Every error code the control plane answers with. Closed, so clients can switch on it. */
export const ERROR_STATUS = {
  invalid_json: 400,
  invalid_request: 400,
  invalid_verification_token: 400,
  invalid_signature: 401,
  /** A payment processor's webhook delivery whose signature does not verify: nothing is stored. */
  invalid_webhook_signature: 400,
  unauthorized: 401,
  invalid_credentials: 401,
  invalid_token: 401,
  forbidden: 403,
  email_not_verified: 403,
  /** The user's advertiser is suspended: no API access until an admin reactivates it. */
  account_suspended: 403,
  not_found: 404,
  conflict: 409,
  /** A postback delivery's conversion no longer has the status that fired it (decision 014). */
  conversion_status_changed: 409,
  /** A campaign's currency must be its offer's: budgets are compared with revenue in that currency. */
  currency_mismatch: 409,
  payload_too_large: 413,
  /** An upload whose real content (magic bytes) is not a type TAS takes, e.g. SVG. */
  unsupported_type: 415,
  rate_limited: 429,
  edge_unavailable: 502,
  /** The database cannot be reached right now: retry (the edge's consumer does, with backoff). */
  database_unavailable: 503,
  /** Stripe or PayPal has no keys in this network's settings: the feature is off. */
  processor_not_configured: 503,
  /** Stripe or PayPal cannot be reached or answered 5xx: retry later (nothing was done twice). */
  processor_unavailable: 503,
  /** A webhook event was stored but its handler failed: the processor delivers it again. */
  webhook_handler_failed: 500,
  /** An ad platform whose app (OAuth client) is not in this network's settings. */
  platform_not_configured: 503,
  /** An ad platform refused the call or could not be reached; the message carries its answer. */
  platform_error: 502,
  internal_error: 500,
} as const satisfies Record<string, ContentfulStatusCode>;
export type ErrorCode = keyof typeof ERROR_STATUS;
export const ERROR_CODES = Object.keys(ERROR_STATUS) as [ErrorCode, ...ErrorCode[]];

/** The one error type handlers throw; the app turns it into `{ error: { code, message, requestId } }`. */
export class ApiError extends Error {
  readonly code: ErrorCode;
  /** For rate_limited: when to try again (sent as Retry-After). */
  readonly retryAfterSeconds: number | undefined;
  constructor(code: ErrorCode, message: string, options: { retryAfterSeconds?: number } = {}) {
    super(message);
    this.name = 'ApiError';
    this.code = code;
    this.retryAfterSeconds = options.retryAfterSeconds;
  }
  get status(): ContentfulStatusCode {
    return ERROR_STATUS[this.code];
  }
}
