import type { Principal } from '../auth/principal.ts';
import { ApiError } from './api-error.ts';

export type SlotLimits = {
  /** Held at once, in this process. */
  maxConcurrent: number;
  /** Held at once by one user, whichever of its sessions and API keys asks. */
  maxPerUser: number;
  /** Sent as Retry-After when a slot is refused. */
  retryAfterSeconds: number;
};

export type UserSlots = {
  /**
   * Takes a slot for `principal`, or throws rate_limited when none is free. The returned release
   * gives it back; calling it again does nothing.
   */
  acquire(principal: Principal): () => void;
  /** Slots held now. */
  readonly active: number;
};

/**
 * Counts long-running requests (CSV exports, live feeds) in this process, in all and per user,
 * so that neither one user nor everyone together can hold more than their share.
 */
export function userSlots(
  limits: SlotLimits,
  refusals: { perUser: (held: number) => string; overall: string },
): UserSlots {
  let active = 0;
  const perUser = new Map<string, number>();
  const refuse = (why: string) =>
    new ApiError('rate_limited', `${why}; try again in ${limits.retryAfterSeconds} s.`, {
      retryAfterSeconds: limits.retryAfterSeconds,
    });
  return {
    acquire(principal) {
      const user = principal.userId;
      const mine = perUser.get(user) ?? 0;
      if (mine >= limits.maxPerUser) throw refuse(refusals.perUser(mine));
      if (active >= limits.maxConcurrent) throw refuse(refusals.overall);
      active++;
      perUser.set(user, mine + 1);
      let released = false;
      return () => {
        if (released) return;
        released = true;
        active--;
        const left = (perUser.get(user) ?? 1) - 1;
        if (left > 0) perUser.set(user, left);
        else perUser.delete(user);
      };
    },
    get active() {
      return active;
    },
  };
}
