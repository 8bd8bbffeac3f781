import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/**
 * AES-256-GCM for affiliates' payment details at rest. Stored as `v1.<iv>.<ciphertext>.<tag>`
 * (base64url); the version lets the key or scheme change later. The affiliate id is bound as
 * associated data, so a ciphertext copied onto another affiliate's row does not decrypt.
 */
export type PaymentDetailsCipher = {
  encrypt(affiliateId: number, plaintext: string): string;
  decrypt(affiliateId: number, stored: string): string;
};

export function createPaymentDetailsCipher(keyBase64: string): PaymentDetailsCipher {
  const key = Buffer.from(keyBase64, 'base64');
  if (key.length !== 32) throw new Error('PAYMENT_DETAILS_KEY must be 32 bytes (base64)');
  const aad = (affiliateId: number) => Buffer.from(`tas:affiliate-payment-details:${affiliateId}`);
  return {
    encrypt(affiliateId, plaintext) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      cipher.setAAD(aad(affiliateId));
      const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
      return ['v1', iv, ciphertext, cipher.getAuthTag()]
        .map((p) => (typeof p === 'string' ? p : p.toString('base64url')))
        .join('.');
    },
    decrypt(affiliateId, stored) {
      const [version, iv, ciphertext, tag] = stored.split('.');
      if (version !== 'v1' || !iv || ciphertext === undefined || !tag)
        throw new Error('unknown payment details format');
      const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
      decipher.setAAD(aad(affiliateId));
      decipher.setAuthTag(Buffer.from(tag, 'base64url'));
      return Buffer.concat([
        decipher.update(Buffer.from(ciphertext, 'base64url')),
        decipher.final(),
      ]).toString('utf8');
    },
  };
}
