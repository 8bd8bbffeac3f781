/**
 * What a database failure says about the batch being stored. Drivers differ (node-postgres and
 * PGlite give `code`, Drizzle wraps them in `cause`), so the SQLSTATE is looked for down the chain.
 */
export function sqlStateOf(error: unknown): string | null {
  for (let e: unknown = error, depth = 0; e && typeof e === 'object' && depth < 5; depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code)) return code;
    e = (e as { cause?: unknown }).cause;
  }
  return null;
}

/**
 * The data of some event is the cause (class 22: data exception, e.g. a value out of range or
 * an invalid byte sequence; class 23: integrity constraint): storing the batch in parts finds it.
 */
export function isDataError(error: unknown): boolean {
  const state = sqlStateOf(error);
  return state !== null && (state.startsWith('22') || state.startsWith('23'));
}

const UNAVAILABLE_STATES = ['08', '53', '57', '40'];
const UNAVAILABLE_SYSTEM_ERRORS =
  /ECONNREFUSED|ECONNRESET|ETIMEDOUT|EPIPE|EHOSTUNREACH|Connection terminated|timeout exceeded when trying to connect/i;

/**
 * The database is down, restarting, out of resources or gave up on a deadlock: nothing about the
 * batch, so the sender should retry it whole later (503), not split it.
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  const state = sqlStateOf(error);
  // A statement timeout is about what the batch asks, not the database's health: split it.
  if (state === '57014') return false;
  if (state !== null) return UNAVAILABLE_STATES.some((prefix) => state.startsWith(prefix));
  for (let e: unknown = error, depth = 0; e && depth < 5; depth++) {
    const text = e instanceof Error ? `${e.message} ${(e as { code?: unknown }).code ?? ''}` : String(e);
    if (UNAVAILABLE_SYSTEM_ERRORS.test(text)) return true;
    e = typeof e === 'object' ? (e as { cause?: unknown }).cause : undefined;
  }
  return false;
}

/** The innermost message of a failure (Drizzle's own repeats the whole query and its values). */
export function rootMessage(error: unknown): string {
  let message = String(error);
  for (let e: unknown = error, depth = 0; e && depth < 5; depth++) {
    if (e instanceof Error) message = e.message;
    e = typeof e === 'object' ? (e as { cause?: unknown }).cause : undefined;
  }
  return message;
}
