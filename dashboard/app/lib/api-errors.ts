/** The control plane's error body: `{ error: { code, message, requestId } }`. */
export type ApiErrorBody = { error: { code: string; message: string; requestId: string } };

export function isApiError(value: unknown): value is ApiErrorBody {
  if (typeof value !== 'object' || value === null) return false;
  const error = (value as { error?: unknown }).error;
  return (
    typeof error === 'object' && error !== null && typeof (error as { code?: unknown }).code === 'string'
  );
}

/** What to tell a person about an API refusal (the API's own message, which is written for people). */
export function apiMessage(value: unknown, fallback = 'The request failed. Try again.'): string {
  return isApiError(value) ? value.error.message : fallback;
}
