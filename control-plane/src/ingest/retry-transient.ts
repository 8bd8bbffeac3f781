import { sqlStateOf } from './database-errors.ts';

// 40P01: the database broke a deadlock by aborting this statement; 40001: a serialization failure.
const TRANSIENT_STATES = new Set(['40P01', '40001']);

/**
 * Runs a statement (or transaction) again when the database aborted it only to resolve a conflict
 * with another one: the work was rolled back whole, so it is safe to repeat, and the other side
 * has gone ahead by then. A few tries with a short random pause; a conflict that persists, and
 * every other failure, is thrown as it came.
 */
export async function retryTransient<T>(run: () => Promise<T>, tries = 3): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await run();
    } catch (error) {
      const state = sqlStateOf(error);
      if (attempt >= tries || state === null || !TRANSIENT_STATES.has(state)) throw error;
      await new Promise((resolve) => setTimeout(resolve, 5 + Math.random() * 20 * attempt));
    }
  }
}
