import { z } from 'zod';
import { decodeBase64Url, encodeBase64Url } from './base64url.ts';

/**
 * The click id codec (tracking contract, section 2).
 *
 * A click id is 33 bytes, base64url without padding: 44 characters, URL-safe.
 *
 *   byte  0      version (high nibble, 2; 1 is still read) | key id (low nibble, 0..15)
 *   bytes 1..4   click time, unix seconds, big-endian u32
 *   bytes 5..8   offer id, u32
 *   bytes 9..12  affiliate id, u32
 *   byte  13     version 2: flags (bit 0: the click was sent to the fallback, so it cannot earn;
 *                bit 1: the visitor was a bot); version 1: part of the nonce, no flags
 *   bytes 14..20 random nonce (56 bits; 64 in version 1), so two clicks in the same second differ
 *   bytes 21..32 HMAC-SHA256 over bytes 0..20 with the key named by the key id, truncated to 96 bits
 *
 * Everything the edge needs to attribute a conversion travels inside the id, so verification
 * needs no database or KV lookup: whether the click may earn at all is signed into it too
 * (docs/decisions/018-counting-truth.md). 96 bits of MAC make online forgery hopeless.
 */
// Named through crypto.subtle so the type exists in Workers, Node and DOM typings alike.
type HmacKey = Awaited<ReturnType<typeof crypto.subtle.importKey>>;
const VERSION = 2;
const READABLE_VERSIONS = new Set([1, 2]);
const FLAG_NOT_PAYABLE = 0b01;
const FLAG_BOT = 0b10;
const PAYLOAD_BYTES = 21;
const MAC_BYTES = 12;
const TOTAL_BYTES = PAYLOAD_BYTES + MAC_BYTES;
/** Length of every click id this codec produces. */
export const CLICK_ID_LENGTH = Math.ceil((TOTAL_BYTES * 4) / 3);
/** Clocks disagree a little between edge locations; an id from further in the future is forged. */
const MAX_CLOCK_SKEW_SECONDS = 300;
const U32_MAX = 0xffffffff;

export const clickIdKeySchema = z.object({
  id: z.number().int().min(0).max(15).describe('Key id carried in every click id (0..15, reused cyclically)'),
  secret: z.string().min(32).describe('HMAC secret, at least 32 characters'),
  retiresAt: z.iso
    .datetime({ offset: true })
    .optional()
    .describe('Ids signed with this key stop verifying at this instant (the grace period of a rotation)'),
});
export type ClickIdKey = z.infer<typeof clickIdKeySchema>;

/** The first key signs; the others only verify, until they retire. Key ids must be unique. */
export const clickIdKeysSchema = z
  .array(clickIdKeySchema)
  .min(1)
  .refine((keys) => new Set(keys.map((k) => k.id)).size === keys.length, 'key ids must be unique')
  .refine((keys) => keys[0]?.retiresAt === undefined, 'the signing key (first) must not have retiresAt');

/** Parses the `CLICK_ID_KEYS` setting: a JSON array of keys, signing key first. */
export function parseClickIdKeys(json: string): ClickIdKey[] {
  return clickIdKeysSchema.parse(JSON.parse(json));
}

export type ClickIdClaims = {
  offerId: number;
  affiliateId: number;
  /** Click time, whole seconds. */
  clickedAt: Date;
  /**
   * False when the edge sent the click to the fallback (paused, not approved, cap, fraud,
   * targeting, budget): a conversion on it is recorded but cannot earn. Default true.
   */
  payable?: boolean;
  /** The visitor's user agent was a bot's: a conversion on it is held for review. Default false. */
  bot?: boolean;
};

export type DecodedClickId = Required<ClickIdClaims> & { keyId: number };

export type ClickIdError = 'malformed' | 'unknown_key' | 'key_retired' | 'bad_signature' | 'from_future';
export type ClickIdVerification = { ok: true; click: DecodedClickId } | { ok: false; error: ClickIdError };

export type ClickIdCodec = {
  sign(claims: ClickIdClaims): Promise<string>;
  verify(id: string, now?: Date): Promise<ClickIdVerification>;
};

type LoadedKey = { id: number; retiresAt: number | null; key: Promise<HmacKey> };

function importKey(secret: string): Promise<HmacKey> {
  return crypto.subtle.importKey(
    'raw',
    new TextEncoder().encode(secret),
    { name: 'HMAC', hash: 'SHA-256' },
    false,
    ['sign'],
  );
}

function checkU32(name: string, value: number) {
  if (!Number.isInteger(value) || value < 0 || value > U32_MAX) {
    throw new RangeError(`${name} must be an integer in 0..${U32_MAX}, got ${value}`);
  }
}

/** Builds a codec over a key ring. Keys are imported once and reused for every id. */
export function createClickIdCodec(keys: readonly ClickIdKey[]): ClickIdCodec {
  const ring = clickIdKeysSchema.parse(keys);
  const loaded = new Map<number, LoadedKey>(
    ring.map((k) => [
      k.id,
      { id: k.id, retiresAt: k.retiresAt ? Date.parse(k.retiresAt) : null, key: importKey(k.secret) },
    ]),
  );
  const signing = loaded.get(ring[0]!.id)!;

  async function mac(key: LoadedKey, payload: Uint8Array<ArrayBuffer>): Promise<Uint8Array> {
    const full = await crypto.subtle.sign('HMAC', await key.key, payload);
    return new Uint8Array(full, 0, MAC_BYTES);
  }

  return {
    async sign({ offerId, affiliateId, clickedAt, payable = true, bot = false }) {
      const seconds = Math.floor(clickedAt.getTime() / 1000);
      checkU32('offerId', offerId);
      checkU32('affiliateId', affiliateId);
      checkU32('click time', seconds);
      const bytes = new Uint8Array(TOTAL_BYTES);
      const view = new DataView(bytes.buffer);
      bytes[0] = (VERSION << 4) | signing.id;
      view.setUint32(1, seconds);
      view.setUint32(5, offerId);
      view.setUint32(9, affiliateId);
      bytes[13] = (payable ? 0 : FLAG_NOT_PAYABLE) | (bot ? FLAG_BOT : 0);
      crypto.getRandomValues(bytes.subarray(14, PAYLOAD_BYTES));
      bytes.set(await mac(signing, bytes.subarray(0, PAYLOAD_BYTES)), PAYLOAD_BYTES);
      return encodeBase64Url(bytes);
    },

    async verify(id, now = new Date()) {
      if (id.length !== CLICK_ID_LENGTH) return { ok: false, error: 'malformed' };
      const bytes = decodeBase64Url(id);
      if (!bytes || bytes.length !== TOTAL_BYTES || !READABLE_VERSIONS.has(bytes[0]! >> 4)) {
        return { ok: false, error: 'malformed' };
      }
      const key = loaded.get(bytes[0]! & 0x0f);
      if (!key) return { ok: false, error: 'unknown_key' };
      const expected = await mac(key, bytes.subarray(0, PAYLOAD_BYTES));
      // Compare every byte so that timing does not reveal how much of a forged MAC was right.
      let diff = 0;
      for (let i = 0; i < MAC_BYTES; i++) diff |= expected[i]! ^ bytes[PAYLOAD_BYTES + i]!;
      if (diff !== 0) return { ok: false, error: 'bad_signature' };
      if (key.retiresAt !== null && now.getTime() >= key.retiresAt)
        return { ok: false, error: 'key_retired' };
      const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
      const seconds = view.getUint32(1);
      if (seconds > now.getTime() / 1000 + MAX_CLOCK_SKEW_SECONDS) return { ok: false, error: 'from_future' };
      // Version 1 ids were signed before flags existed: byte 13 is nonce, and they may earn.
      const flags = bytes[0]! >> 4 === 1 ? 0 : bytes[13]!;
      return {
        ok: true,
        click: {
          keyId: key.id,
          clickedAt: new Date(seconds * 1000),
          offerId: view.getUint32(5),
          affiliateId: view.getUint32(9),
          payable: (flags & FLAG_NOT_PAYABLE) === 0,
          bot: (flags & FLAG_BOT) !== 0,
        },
      };
    },
  };
}
