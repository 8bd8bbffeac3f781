import { type ClickIdKey, clickIdKeysSchema } from './click-id.ts';

/**
 * The key ring after a rotation: a new signing key first (the next free key id), the current
 * signing key kept for verification until `now + graceDays`, keys already retired dropped.
 * The grace period should exceed the longest attribution window so that clicks signed just
 * before the rotation can still convert.
 */
export function rotateClickIdKeys(
  ring: readonly ClickIdKey[],
  options: { now: Date; graceDays: number; newSecret: string },
): ClickIdKey[] {
  const now = options.now.getTime();
  const live = ring.filter((k) => k.retiresAt === undefined || Date.parse(k.retiresAt) > now);
  const used = new Set(live.map((k) => k.id));
  const first = ring[0]?.id ?? 0;
  const nextId = Array.from({ length: 16 }, (_, i) => (first + 1 + i) % 16).find((id) => !used.has(id));
  if (nextId === undefined) throw new Error('all 16 key ids belong to keys that have not retired yet');
  const retiresAt = new Date(now + options.graceDays * 86_400_000).toISOString();
  return clickIdKeysSchema.parse([
    { id: nextId, secret: options.newSecret },
    ...live.map((k, i) => (i === 0 ? { ...k, retiresAt } : k)),
  ]);
}
