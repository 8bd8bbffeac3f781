import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createPaymentDetailsCipher } from './payment-details-cipher.ts';

describe('payment details cipher', () => {
  const cipher = createPaymentDetailsCipher(randomBytes(32).toString('base64'));

  it('round-trips, with a fresh IV each time', () => {
    const a = cipher.encrypt(7, '{"iban":"DE89370400440532013000"}');
    const b = cipher.encrypt(7, '{"iban":"DE89370400440532013000"}');
    expect(a).not.toBe(b);
    expect(a).not.toContain('DE89');
    expect(cipher.decrypt(7, a)).toBe('{"iban":"DE89370400440532013000"}');
  });

  it('refuses a ciphertext moved to another affiliate, tampered with, or under another key', () => {
    const stored = cipher.encrypt(7, 'secret');
    expect(() => cipher.decrypt(8, stored)).toThrow();
    const [v, iv, ct, tag] = stored.split('.');
    const flipped = Buffer.from(ct!, 'base64url');
    flipped[0] = flipped[0]! ^ 1;
    expect(() => cipher.decrypt(7, [v, iv, flipped.toString('base64url'), tag].join('.'))).toThrow();
    expect(() => createPaymentDetailsCipher(randomBytes(32).toString('base64')).decrypt(7, stored)).toThrow();
    expect(() => createPaymentDetailsCipher('c2hvcnQ=')).toThrow(/32 bytes/);
  });
});
