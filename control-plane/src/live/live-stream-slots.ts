import { type SlotLimits, type UserSlots, userSlots } from '../http/user-slots.ts';

/**
 * How many live feeds may be open. Each polls the database every couple of seconds for as long
 * as it is open (decision 013), so an unbounded number is a way to wear the database down.
 */
export type LiveStreamLimits = SlotLimits;

export const LIVE_STREAM_LIMITS: LiveStreamLimits = {
  maxConcurrent: 50,
  // A few browser tabs, not a fleet.
  maxPerUser: 3,
  retryAfterSeconds: 30,
};

/** Counts open feeds in this process, in all and per user. */
export function liveStreamSlots(limits: LiveStreamLimits): UserSlots {
  return userSlots(limits, {
    perUser: () => `At most ${limits.maxPerUser} live feeds at a time per user, and yours are open`,
    overall: 'Too many live feeds are open',
  });
}
