import { encodeBase64Url } from '@tas/shared/base64url';
import { parseIp } from '@tas/shared/ip-match';
import type { IpMode } from '@tas/shared/privacy';

/** Prefix of a hashed ip: it can never be mistaken for (or parsed as) an address. */
export const HASHED_IP_PREFIX = 'h_';

/**
 * The ip as the offer's ip mode lets it leave the isolate (counters, dedupe keys, queued events).
 * Blocklists and geo are decided on the raw ip before this. A value that is not an ip (cleanText
 * kept something odd) is hashed or dropped, never passed on raw.
 */
export async function minimiseIp(
  ip: string | null,
  mode: IpMode,
  hashKey: () => Promise<CryptoKey>,
): Promise<string | null> {
  if (ip === null || mode === 'full') return ip;
  if (mode === 'truncated') return truncateIp(ip);
  const mac = await crypto.subtle.sign('HMAC', await hashKey(), new TextEncoder().encode(ip.toLowerCase()));
  // 16 bytes (128 bits) of the HMAC: no collisions in practice, 24 characters stored.
  return HASHED_IP_PREFIX + encodeBase64Url(new Uint8Array(mac, 0, 16));
}

/** IPv4 /24 (`203.0.113.0`), IPv6 /48 (`2001:db8:85a3::`); null when not an address. */
export function truncateIp(ip: string): string | null {
  const parsed = parseIp(ip);
  if (parsed === null) return null;
  if (parsed.version === 4) {
    const v = Number(parsed.value);
    return `${(v >>> 24) & 255}.${(v >>> 16) & 255}.${(v >>> 8) & 255}.0`;
  }
  const groups = [0n, 1n, 2n].map((i) => ((parsed.value >> (112n - 16n * i)) & 0xffffn).toString(16));
  return `${groups.join(':')}::`;
}

/** The HMAC key of hashed ips, imported once per secret. */
export function importIpHashKey(secret: string): Promise<CryptoKey> {
  return crypto.subtle.importKey(
    'raw',
    new TextEncoder().encode(secret),
    { name: 'HMAC', hash: 'SHA-256' },
    false,
    ['sign'],
  );
}
