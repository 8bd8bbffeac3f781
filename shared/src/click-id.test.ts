import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CLICK_ID_LENGTH, createClickIdCodec, parseClickIdKeys } from './click-id.ts';

const key = (id: number, fill: string, retiresAt?: string) => ({
  id,
  secret: fill.repeat(40),
  ...(retiresAt ? { retiresAt } : {}),
});
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const u32 = fc.integer({ min: 1, max: 0xffffffff });
// Whole seconds between 2001 and 2100.
const clickTime = fc.integer({ min: 978_307_200, max: 4_102_444_800 }).map((s) => new Date(s * 1000));

describe('click id codec', () => {
  const codec = createClickIdCodec([key(3, 'a')]);

  it('round-trips offer, affiliate and click time in a URL-safe id of at most 48 characters', async () => {
    await fc.assert(
      fc.asyncProperty(u32, u32, clickTime, async (offerId, affiliateId, clickedAt) => {
        const id = await codec.sign({ offerId, affiliateId, clickedAt });
        expect(id).toHaveLength(CLICK_ID_LENGTH);
        expect(CLICK_ID_LENGTH).toBeLessThanOrEqual(48);
        expect(id).toMatch(/^[A-Za-z0-9_-]+$/);
        const result = await codec.verify(id, new Date(clickedAt.getTime() + 1000));
        expect(result).toEqual({
          ok: true,
          click: { keyId: 3, offerId, affiliateId, clickedAt, payable: true, bot: false },
        });
      }),
      { numRuns: 200 },
    );
  });

  it('signs whether the click may earn and whether it was a bot, so neither can be changed', async () => {
    await fc.assert(
      fc.asyncProperty(u32, fc.boolean(), fc.boolean(), async (offerId, payable, bot) => {
        const clickedAt = new Date(1_800_000_000_000);
        const id = await codec.sign({ offerId, affiliateId: 5, clickedAt, payable, bot });
        const result = await codec.verify(id, clickedAt);
        expect(result.ok && result.click.payable).toBe(payable);
        expect(result.ok && result.click.bot).toBe(bot);
      }),
      { numRuns: 100 },
    );
    // Flipping the flag byte (offset 13: characters 17-18 of the id) breaks the signature.
    const id = await codec.sign({ offerId: 1, affiliateId: 1, clickedAt: new Date(), payable: false });
    const bytes = Uint8Array.from(atob(id.replace(/-/g, '+').replace(/_/g, '/')), (c) => c.charCodeAt(0));
    bytes[13] = 0;
    const forged = btoa(String.fromCharCode(...bytes))
      .replace(/\+/g, '-')
      .replace(/\//g, '_')
      .replace(/=+$/, '');
    expect(await codec.verify(forged)).toEqual({ ok: false, error: 'bad_signature' });
  });

  it('still reads version 1 ids (no flags: payable, not a bot) signed before flags existed', async () => {
    // A version 1 id built by hand: version 1 | key 3, time, offer 9, affiliate 8, nonce, MAC.
    const secret = 'a'.repeat(40);
    const payload = new Uint8Array(21);
    const view = new DataView(payload.buffer);
    payload[0] = (1 << 4) | 3;
    view.setUint32(1, 1_800_000_000);
    view.setUint32(5, 9);
    view.setUint32(9, 8);
    payload.fill(0xff, 13);
    const macKey = await crypto.subtle.importKey(
      'raw',
      new TextEncoder().encode(secret),
      { name: 'HMAC', hash: 'SHA-256' },
      false,
      ['sign'],
    );
    const mac = new Uint8Array(await crypto.subtle.sign('HMAC', macKey, payload)).subarray(0, 12);
    const id = btoa(String.fromCharCode(...payload, ...mac))
      .replace(/\+/g, '-')
      .replace(/\//g, '_')
      .replace(/=+$/, '');
    expect(await codec.verify(id, new Date(1_800_000_000_000))).toEqual({
      ok: true,
      click: {
        keyId: 3,
        offerId: 9,
        affiliateId: 8,
        clickedAt: new Date(1_800_000_000_000),
        payable: true,
        bot: false,
      },
    });
  });

  it('rejects any single-character change', async () => {
    await fc.assert(
      fc.asyncProperty(
        u32,
        u32,
        fc.nat({ max: CLICK_ID_LENGTH - 1 }),
        fc.nat({ max: 63 }),
        async (offerId, affiliateId, position, replacement) => {
          const now = new Date();
          const id = await codec.sign({ offerId, affiliateId, clickedAt: now });
          const char = ALPHABET[replacement]!;
          fc.pre(id[position] !== char);
          const mangled = id.slice(0, position) + char + id.slice(position + 1);
          const result = await codec.verify(mangled, now);
          expect(result.ok).toBe(false);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('rejects truncated, padded and non-alphabet ids as malformed', async () => {
    const id = await codec.sign({ offerId: 1, affiliateId: 2, clickedAt: new Date() });
    for (const bad of [
      id.slice(0, -1),
      `${id}A`,
      `${id.slice(0, -1)}=`,
      `${id.slice(0, -1)}é`,
      '',
      'x'.repeat(44),
    ]) {
      const result = await codec.verify(bad);
      expect(result.ok, bad).toBe(false);
    }
    expect(await codec.verify(id.slice(0, -1))).toEqual({ ok: false, error: 'malformed' });
  });

  it('gives two clicks in the same second different ids', async () => {
    const clickedAt = new Date();
    const a = await codec.sign({ offerId: 1, affiliateId: 1, clickedAt });
    const b = await codec.sign({ offerId: 1, affiliateId: 1, clickedAt });
    expect(a).not.toBe(b);
  });

  it('rejects an id signed with another secret under the same key id', async () => {
    const other = createClickIdCodec([key(3, 'b')]);
    const id = await other.sign({ offerId: 1, affiliateId: 1, clickedAt: new Date() });
    expect(await codec.verify(id)).toEqual({ ok: false, error: 'bad_signature' });
  });

  it('rejects a click time further in the future than the clock skew allows', async () => {
    const now = new Date('2026-01-01T00:00:00Z');
    const id = await codec.sign({
      offerId: 1,
      affiliateId: 1,
      clickedAt: new Date(now.getTime() + 3_600_000),
    });
    expect(await codec.verify(id, now)).toEqual({ ok: false, error: 'from_future' });
  });

  it('keeps ids of the previous key valid during the grace period of a rotation, then rejects them', async () => {
    const before = createClickIdCodec([key(1, 'o')]);
    const oldId = await before.sign({
      offerId: 5,
      affiliateId: 6,
      clickedAt: new Date('2026-01-01T00:00:00Z'),
    });
    const rotated = createClickIdCodec([key(2, 'n'), key(1, 'o', '2026-02-01T00:00:00Z')]);
    const during = await rotated.verify(oldId, new Date('2026-01-15T00:00:00Z'));
    expect(during).toMatchObject({ ok: true, click: { keyId: 1, offerId: 5, affiliateId: 6 } });
    expect(await rotated.verify(oldId, new Date('2026-02-01T00:00:00Z'))).toEqual({
      ok: false,
      error: 'key_retired',
    });
    const newId = await rotated.sign({
      offerId: 5,
      affiliateId: 6,
      clickedAt: new Date('2026-01-15T00:00:00Z'),
    });
    expect(await rotated.verify(newId, new Date('2026-03-01T00:00:00Z'))).toMatchObject({
      ok: true,
      click: { keyId: 2 },
    });
    const afterRemoval = createClickIdCodec([key(2, 'n')]);
    expect(await afterRemoval.verify(oldId)).toEqual({ ok: false, error: 'unknown_key' });
  });

  it('refuses ids it cannot represent and bad key rings', async () => {
    await expect(codec.sign({ offerId: 2 ** 32, affiliateId: 1, clickedAt: new Date() })).rejects.toThrow(
      RangeError,
    );
    expect(() => parseClickIdKeys('[]')).toThrow();
    expect(() => parseClickIdKeys(JSON.stringify([key(1, 'a'), key(1, 'b')]))).toThrow(/unique/);
    expect(() => parseClickIdKeys(JSON.stringify([{ id: 1, secret: 'short' }]))).toThrow();
    expect(() => parseClickIdKeys(JSON.stringify([key(1, 'a', '2026-01-01T00:00:00Z')]))).toThrow(
      /signing key/,
    );
  });
});
