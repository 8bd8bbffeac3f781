import { z } from 'zod';

/**
 * Customer data an advertiser may send with a conversion (`email`, `phone`), hashed at the edge so
 * the raw value is never queued or stored: only what ad platforms match on (SHA-256, lowercase hex)
 * travels on. Platforms normalise differently before hashing, so one value can give two hashes.
 */
const sha256HexSchema = z.string().regex(/^[0-9a-f]{64}$/);

export const customerHashesSchema = z
  .object({
    email: sha256HexSchema.optional().describe('Trimmed, lowercased (Meta, TikTok, Microsoft)'),
    emailGoogle: sha256HexSchema
      .optional()
      .describe("Google's rule: also without dots before @gmail.com / @googlemail.com"),
    phone: sha256HexSchema.optional().describe('Digits with the country code, no + (Meta)'),
    phoneE164: sha256HexSchema.optional().describe('E.164: + and the digits (Google, TikTok, Microsoft)'),
  })
  .strict();
export type CustomerHashes = z.infer<typeof customerHashesSchema>;

/** Trimmed and lowercased, or null when it is not an email address. */
export function normaliseEmail(raw: string): string | null {
  const email = raw.trim().toLowerCase();
  return /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email) && email.length <= 254 ? email : null;
}

/** Google's extra rule: the dots of a Gmail address's local part do not count. */
export function googleEmail(email: string): string {
  const at = email.lastIndexOf('@');
  const domain = email.slice(at + 1);
  if (domain !== 'gmail.com' && domain !== 'googlemail.com') return email;
  return `${email.slice(0, at).replaceAll('.', '')}@${domain}`;
}

/**
 * The digits of an international number (country code first), or null when it cannot be one
 * (E.164 allows 15 digits at most; fewer than 8 cannot carry a country code and a number). A
 * leading `00` international prefix is dropped. Numbers without their country code cannot be fixed
 * here: the advertiser must send them whole.
 */
export function normalisePhone(raw: string): string | null {
  let digits = raw.replace(/\D/g, '');
  if (digits.startsWith('00')) digits = digits.slice(2);
  return /^[1-9]\d{7,14}$/.test(digits) ? digits : null;
}

async function sha256Hex(text: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

/** The hashes of what was sent; a value that is not an email or a phone number is left out. */
export async function hashCustomerData(input: {
  email: string | null;
  phone: string | null;
}): Promise<CustomerHashes | null> {
  const hashes: CustomerHashes = {};
  const email = input.email === null ? null : normaliseEmail(input.email);
  if (email !== null) {
    hashes.email = await sha256Hex(email);
    hashes.emailGoogle = await sha256Hex(googleEmail(email));
  }
  const phone = input.phone === null ? null : normalisePhone(input.phone);
  if (phone !== null) {
    hashes.phone = await sha256Hex(phone);
    hashes.phoneE164 = await sha256Hex(`+${phone}`);
  }
  return Object.keys(hashes).length === 0 ? null : hashes;
}
