import { toHex } from './hex.ts';

/**
 * HMAC signatures for traffic between our own services (edge -> control plane ingest,
 * control plane -> edge configuration publishing). WebCrypto only, so the same code runs in
 * Workers and Node.
 *
 * Header format: `t=<unix seconds>,v1=<hex hmac-sha256 of "<t>.<path>\n<body>">`, close to Stripe's,
 * so a captured request cannot be replayed after the tolerance, its body cannot be swapped, and it
 * cannot be sent to another endpoint that shares the secret (say, a signed cap read replayed to
 * the dead-letter replay). `path` is the request's path, e.g. `/internal/config`.
 */
export const SIGNATURE_HEADER = 'x-tas-signature';
export const DEFAULT_TOLERANCE_SECONDS = 300;

// Named through crypto.subtle so the type exists in Workers, Node and DOM typings alike.
type HmacKey = Awaited<ReturnType<typeof crypto.subtle.importKey>>;
const encoder = new TextEncoder();
const keyCache = new Map<string, Promise<HmacKey>>();

function hmacKey(secret: string): Promise<HmacKey> {
  let key = keyCache.get(secret);
  if (!key) {
    key = crypto.subtle.importKey('raw', encoder.encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, [
      'sign',
      'verify',
    ]);
    keyCache.set(secret, key);
  }
  return key;
}

function fromHex(hex: string): Uint8Array<ArrayBuffer> | null {
  if (hex.length % 2 !== 0 || !/^[0-9a-f]*$/.test(hex)) return null;
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = Number.parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  return out;
}

// A path holds no newline, so the three parts cannot be shifted into one another.
const signedText = (t: number, path: string, body: string) => `${t}.${path}\n${body}`;

/** Returns the signature header value for `body` sent to `path`, signed at `nowSeconds`. */
export async function signBody(
  secret: string,
  path: string,
  body: string,
  nowSeconds = Math.floor(Date.now() / 1000),
) {
  const mac = await crypto.subtle.sign(
    'HMAC',
    await hmacKey(secret),
    encoder.encode(signedText(nowSeconds, path, body)),
  );
  return `t=${nowSeconds},v1=${toHex(mac)}`;
}

export type SignatureCheck =
  | { ok: true }
  | { ok: false; reason: 'missing' | 'malformed' | 'expired' | 'mismatch' };

/** Verifies a signature header against the path and raw body, in constant time (WebCrypto verify). */
export async function verifyBody(
  secret: string,
  path: string,
  body: string,
  header: string | null | undefined,
  options: { nowSeconds?: number; toleranceSeconds?: number } = {},
): Promise<SignatureCheck> {
  if (!header) return { ok: false, reason: 'missing' };
  const match = /^t=(\d{1,12}),v1=([0-9a-f]{64})$/.exec(header.trim());
  if (!match) return { ok: false, reason: 'malformed' };
  const t = Number(match[1]);
  const now = options.nowSeconds ?? Math.floor(Date.now() / 1000);
  if (Math.abs(now - t) > (options.toleranceSeconds ?? DEFAULT_TOLERANCE_SECONDS)) {
    return { ok: false, reason: 'expired' };
  }
  const mac = fromHex(match[2]!);
  if (!mac) return { ok: false, reason: 'malformed' };
  const valid = await crypto.subtle.verify(
    'HMAC',
    await hmacKey(secret),
    mac,
    encoder.encode(signedText(t, path, body)),
  );
  return valid ? { ok: true } : { ok: false, reason: 'mismatch' };
}
