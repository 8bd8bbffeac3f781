import { describe, expect, it } from 'vitest';
import { createClickIdCodec } from './click-id.ts';
import { rotateClickIdKeys } from './click-id-rotation.ts';

const secret = (c: string) => c.repeat(40);

describe('rotateClickIdKeys', () => {
  it('signs with a new key and keeps the old one verifying until the grace period ends', async () => {
    const before = [{ id: 15, secret: secret('a') }];
    const now = new Date('2026-11-01T00:00:00Z');
    const after = rotateClickIdKeys(before, { now, graceDays: 30, newSecret: secret('n') });
    expect(after).toEqual([
      { id: 0, secret: secret('n') },
      { id: 15, secret: secret('a'), retiresAt: '2026-12-01T00:00:00.000Z' },
    ]);
    const oldId = await createClickIdCodec(before).sign({ offerId: 1, affiliateId: 2, clickedAt: now });
    const codec = createClickIdCodec(after);
    expect((await codec.verify(oldId, new Date('2026-11-20T00:00:00Z'))).ok).toBe(true);
    expect(await codec.verify(oldId, new Date('2026-12-02T00:00:00Z'))).toEqual({
      ok: false,
      error: 'key_retired',
    });
  });

  it('drops keys that have retired and skips ids still in use', () => {
    const ring = [
      { id: 1, secret: secret('a') },
      { id: 2, secret: secret('b'), retiresAt: '2026-12-01T00:00:00Z' },
      { id: 3, secret: secret('c'), retiresAt: '2026-01-01T00:00:00Z' },
    ];
    const after = rotateClickIdKeys(ring, {
      now: new Date('2026-11-01T00:00:00Z'),
      graceDays: 10,
      newSecret: secret('n'),
    });
    expect(after.map((k) => k.id)).toEqual([3, 1, 2]);
    expect(after[1]?.retiresAt).toBe('2026-11-11T00:00:00.000Z');
  });
});
