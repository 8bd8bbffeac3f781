import type { ContentfulStatusCode } from 'hono/utils/http-status';

/** Every error code the edge answers with. Closed, so clients can switch on it. */
export const ERROR_STATUS = {
  invalid_parameter: 400,
  invalid_click_id: 400,
  invalid_amount: 400,
  invalid_body: 400,
  unauthorized: 401,
  conversion_source_refused: 403,
  unknown_offer: 404,
  unknown_affiliate: 404,
  /** An ad tag's size of which the offer has no creative it can show now. */
  unknown_size: 404,
  not_found: 404,
  method_not_allowed: 405,
  payload_too_large: 413,
  uri_too_long: 414,
  attribution_window_expired: 422,
  unknown_event: 422,
  unsupported_currency: 422,
  service_unavailable: 503,
  /** Another request is recording the same conversion right now: retry in a few seconds. */
  conversion_in_progress: 503,
  internal_error: 500,
} as const satisfies Record<string, ContentfulStatusCode>;
export type ErrorCode = keyof typeof ERROR_STATUS;

/** The one error type handlers throw; the app turns it into `{ error: { code, message, requestId } }`. */
export class ApiError extends Error {
  readonly code: ErrorCode;
  constructor(code: ErrorCode, message: string) {
    super(message);
    this.name = 'ApiError';
    this.code = code;
  }
  get status(): ContentfulStatusCode {
    return ERROR_STATUS[this.code];
  }
}

/** The one error body of the edge: `{ error: { code, message, requestId } }`. */
export function errorBody(code: ErrorCode, message: string, request: Request) {
  return { error: { code, message, requestId: request.headers.get('cf-ray') ?? crypto.randomUUID() } };
}
