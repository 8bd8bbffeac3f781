import { describe, expect, it } from 'vitest';
import { googleEmail, hashCustomerData, normaliseEmail, normalisePhone } from './customer-data.ts';

async function sha(text: string) {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

describe('customer data hashing', () => {
  it('hashes a trimmed, lowercased email, and the Gmail form Google wants', async () => {
    const hashes = await hashCustomerData({ email: '  Jane.Doe@GMail.com ', phone: null });
    expect(hashes).toEqual({
      email: await sha('jane.doe@gmail.com'),
      emailGoogle: await sha('janedoe@gmail.com'),
    });
  });

  it('keeps the dots of other domains for Google', () => {
    expect(googleEmail('jane.doe@example.com')).toBe('jane.doe@example.com');
    expect(googleEmail('j.a.n.e@googlemail.com')).toBe('jane@googlemail.com');
  });

  it('hashes phone digits for Meta and E.164 for Google', async () => {
    const hashes = await hashCustomerData({ email: null, phone: '+1 (650) 555-1234' });
    expect(hashes).toEqual({ phone: await sha('16505551234'), phoneE164: await sha('+16505551234') });
    expect(normalisePhone('0044 20 7946 0958')).toBe('442079460958');
  });

  it('leaves out what is not an email or a phone number, and answers null for nothing', async () => {
    expect(normaliseEmail('not an email')).toBeNull();
    expect(normalisePhone('12345')).toBeNull();
    expect(normalisePhone('0123456789')).toBeNull();
    expect(await hashCustomerData({ email: 'nope', phone: 'call me' })).toBeNull();
  });
});
