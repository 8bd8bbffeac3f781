import Stripe from 'stripe';
import { failed, ok, type ProcessorFailure, type ProcessorResult } from '../processor-result.ts';

// Stripe codes that mean the destination account cannot take the money yet.
const ACCOUNT_NOT_READY = new Set([
  'insufficient_capabilities_for_transfer',
  'account_invalid',
  'transfers_not_allowed',
  'payouts_not_allowed',
  'account_closed',
]);
const INSUFFICIENT = new Set(['balance_insufficient', 'insufficient_funds']);

/**
 * Stripe's error, as one of our failure kinds. Stripe's message is kept (it names the
 * parameter, never the key: the SDK masks keys in its own messages).
 */
export function stripeFailure(error: unknown): ProcessorFailure {
  if (!(error instanceof Stripe.errors.StripeError)) {
    return { kind: 'unavailable', message: 'Stripe call failed unexpectedly.', retryable: true };
  }
  const base = {
    message: error.message,
    code: error.code,
    declineCode: error.decline_code,
    requestId: error.requestId,
  };
  if (error instanceof Stripe.errors.StripeCardError) {
    return error.decline_code === 'insufficient_funds' || error.code === 'insufficient_funds'
      ? { ...base, kind: 'insufficient_funds', retryable: false }
      : { ...base, kind: 'card_declined', retryable: false };
  }
  if (error instanceof Stripe.errors.StripeIdempotencyError) {
    return { ...base, kind: 'idempotency_conflict', retryable: false };
  }
  if (error.code && ACCOUNT_NOT_READY.has(error.code))
    return { ...base, kind: 'account_not_ready', retryable: false };
  if (error instanceof Stripe.errors.StripeAuthenticationError) {
    return { ...base, kind: 'authentication', retryable: false };
  }
  if (error instanceof Stripe.errors.StripePermissionError) {
    return { ...base, kind: 'authentication', retryable: false };
  }
  if (
    error instanceof Stripe.errors.StripeConnectionError ||
    error instanceof Stripe.errors.StripeAPIError ||
    error instanceof Stripe.errors.StripeRateLimitError
  ) {
    return { ...base, message: 'Stripe is unavailable right now.', kind: 'unavailable', retryable: true };
  }
  if (error.code && INSUFFICIENT.has(error.code))
    return { ...base, kind: 'insufficient_funds', retryable: false };
  if (error.statusCode === 404 || error.code === 'resource_missing')
    return { ...base, kind: 'not_found', retryable: false };
  return { ...base, kind: 'invalid_request', retryable: false };
}

/** Runs one Stripe call and turns whatever it throws into a typed failure. */
export async function callStripe<T>(call: () => Promise<T>): Promise<ProcessorResult<T>> {
  try {
    return ok(await call());
  } catch (error) {
    return failed(stripeFailure(error));
  }
}
