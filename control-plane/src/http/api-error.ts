import type { ContentfulStatusCode } from 'hono/utils/http-status';

/** Every error code the control plane answers with. Closed, so clients can switch on it. */
export const ERROR_STATUS = {
  invalid_json: 400,
  invalid_request: 400,
  invalid_signature: 401,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  payload_too_large: 413,
  edge_unavailable: 502,
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
