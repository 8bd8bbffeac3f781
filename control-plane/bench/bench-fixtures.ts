import type { Principal } from '../src/auth/principal.ts';
import type { EdgePublisher } from '../src/edge-sync/edge-publisher.ts';

/** The benches measure the control plane; the edge is not part of them. */
export const noEdge: EdgePublisher = {
  publish: async () => {},
  capUsage: async () => {
    throw new Error('no edge in the bench');
  },
  deadLetterCount: async () => 0,
  replayDeadLetters: async () => ({ replayed: 0, failed: [], remaining: 0 }),
};

/** An admin's principal, for calling report functions directly. */
export function benchAdmin(): Principal {
  return {
    userId: crypto.randomUUID(),
    email: 'bench@tas',
    role: 'admin',
    advertiserId: null,
    affiliateId: null,
    via: { kind: 'session', sessionId: crypto.randomUUID() },
  };
}
