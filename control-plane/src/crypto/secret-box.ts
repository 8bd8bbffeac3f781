import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/**
 * AES-256-GCM for secrets at rest (affiliates' payment details, ad-platform tokens). Stored as
 * `v1.<iv>.<ciphertext>.<tag>` (base64url); the version lets the key or scheme change later. The
 * purpose and the owner's id are bound as associated data (`tas:<purpose>:<owner>`), so a
 * ciphertext copied onto another row, or into another kind of secret, does not decrypt.
 */
export type SecretBox = {
  encrypt(ownerId: number | string, plaintext: string): string;
  decrypt(ownerId: number | string, stored: string): string;
};

export function createSecretBox(keyBase64: string, purpose: string): SecretBox {
  const key = Buffer.from(keyBase64, 'base64');
  if (key.length !== 32) throw new Error('PAYMENT_DETAILS_KEY must be 32 bytes (base64)');
  const aad = (ownerId: number | string) => Buffer.from(`tas:${purpose}:${ownerId}`);
  return {
    encrypt(ownerId, plaintext) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      cipher.setAAD(aad(ownerId));
      const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
      return ['v1', iv, ciphertext, cipher.getAuthTag()]
        .map((p) => (typeof p === 'string' ? p : p.toString('base64url')))
        .join('.');
    },
    decrypt(ownerId, stored) {
      const [version, iv, ciphertext, tag] = stored.split('.');
      if (version !== 'v1' || !iv || ciphertext === undefined || !tag)
        throw new Error(`unknown ${purpose} format`);
      const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
      decipher.setAAD(aad(ownerId));
      decipher.setAuthTag(Buffer.from(tag, 'base64url'));
      return Buffer.concat([
        decipher.update(Buffer.from(ciphertext, 'base64url')),
        decipher.final(),
      ]).toString('utf8');
    },
  };
}
