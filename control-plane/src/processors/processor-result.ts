/**
 * What a call to a payment processor came to. Calls never throw for the processor's answers or
 * its absence: callers switch on `failure.kind`, the same for Stripe and PayPal.
 */
export type ProcessorResult<T> = { ok: true; value: T } | { ok: false; failure: ProcessorFailure };

export type ProcessorFailureKind =
  /** The card was refused by its issuer (Stripe card_error). */
  | 'card_declined'
  /** Not enough money where it is taken from: the platform's balance, the PayPal account. */
  | 'insufficient_funds'
  /** A connected account or payee cannot receive money yet (onboarding unfinished, restricted). */
  | 'account_not_ready'
  /** The same idempotency key (or PayPal sender_batch_id) was used for a different request. */
  | 'idempotency_conflict'
  /** The object asked for does not exist at the processor. */
  | 'not_found'
  /** The processor refused the request as malformed: a bug on our side, not worth retrying. */
  | 'invalid_request'
  /** Our credentials were refused: the operator has to fix the keys. */
  | 'authentication'
  /** The processor could not be reached, timed out, or answered 5xx / 429: retry later, same key. */
  | 'unavailable';

export type ProcessorFailure = {
  kind: ProcessorFailureKind;
  /** A message for logs and admins; never holds credentials. */
  message: string;
  /** The processor's own code (card_declined, balance_insufficient, INSUFFICIENT_FUNDS...). */
  code?: string | undefined;
  /** For card declines, the issuer's reason (insufficient_funds, lost_card...). */
  declineCode?: string | undefined;
  /** The processor's request id (Stripe request-id, PayPal debug_id), to quote to their support. */
  requestId?: string | undefined;
  /** Whether trying again later with the same idempotency key may succeed. */
  retryable: boolean;
};

export const ok = <T>(value: T): ProcessorResult<T> => ({ ok: true, value });
export const failed = <T = never>(failure: ProcessorFailure): ProcessorResult<T> => ({ ok: false, failure });
