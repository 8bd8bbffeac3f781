import type { Principal } from '../auth/principal.ts';
import { ApiError } from '../http/api-error.ts';

/**
 * How many live feeds may be open. Each polls the database every couple of seconds for as long
 * as it is open (decision 013), so an unbounded number is a way to wear the database down.
 */
export type LiveStreamLimits = {
  /** Feeds open at once, in this process. */
  maxConcurrent: number;
  /** Feeds open at once for one user, whichever of its sessions and API keys asks. */
  maxPerUser: number;
  /** Sent as Retry-After when a feed is refused for lack of a slot. */
  retryAfterSeconds: number;
};

export const LIVE_STREAM_LIMITS: LiveStreamLimits = {
  maxConcurrent: 50,
  // A few browser tabs, not a fleet.
  maxPerUser: 3,
  retryAfterSeconds: 30,
};

export type LiveStreamSlots = {
  /**
   * Takes a slot for a feed of `principal`, or throws rate_limited when none is free. The
   * returned release gives it back; calling it again does nothing.
   */
  acquire(principal: Principal): () => void;
  readonly active: number;
};

/** Counts open feeds in this process, in all and per user. */
export function liveStreamSlots(limits: LiveStreamLimits): LiveStreamSlots {
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
      if (mine >= limits.maxPerUser) {
        throw refuse(`At most ${limits.maxPerUser} live feeds at a time per user, and yours are open`);
      }
      if (active >= limits.maxConcurrent) throw refuse('Too many live feeds are open');
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
