import { describe, expect, it } from 'vitest';
import { signBody, verifyBody } from './signature.ts';

const secret = 's'.repeat(40);

describe('body signatures', () => {
  it('accepts the signed body and rejects any other body, secret or stale timestamp', async () => {
    const header = await signBody(secret, '/internal/x', '{"a":1}', 1_000_000);
    expect(await verifyBody(secret, '/internal/x', '{"a":1}', header, { nowSeconds: 1_000_010 })).toEqual({
      ok: true,
    });
    expect(await verifyBody(secret, '/internal/x', '{"a":2}', header, { nowSeconds: 1_000_010 })).toEqual({
      ok: false,
      reason: 'mismatch',
    });
    expect(
      await verifyBody('t'.repeat(40), '/internal/x', '{"a":1}', header, { nowSeconds: 1_000_010 }),
    ).toMatchObject({
      ok: false,
    });
    expect(await verifyBody(secret, '/internal/x', '{"a":1}', header, { nowSeconds: 1_000_301 })).toEqual({
      ok: false,
      reason: 'expired',
    });
    expect(await verifyBody(secret, '/internal/x', '{"a":1}', null)).toEqual({
      ok: false,
      reason: 'missing',
    });
    expect(await verifyBody(secret, '/internal/x', '{"a":1}', 'v1=abc')).toEqual({
      ok: false,
      reason: 'malformed',
    });
    const swappedTime = header.replace('t=1000000', 't=1000001');
    expect(
      await verifyBody(secret, '/internal/x', '{"a":1}', swappedTime, { nowSeconds: 1_000_010 }),
    ).toMatchObject({
      ok: false,
    });
  });

  it('binds the signature to the path it was sent to', async () => {
    const header = await signBody(secret, '/internal/caps', '{"offerId":1}', 1_000_000);
    const at = { nowSeconds: 1_000_001 };
    expect(await verifyBody(secret, '/internal/caps', '{"offerId":1}', header, at)).toEqual({ ok: true });
    expect(await verifyBody(secret, '/internal/dead-letters/replay', '{"offerId":1}', header, at)).toEqual({
      ok: false,
      reason: 'mismatch',
    });
  });
});
