import { createSecretBox, type SecretBox } from './secret-box.ts';

/** Affiliates' payment details at rest, bound to the affiliate's id (secret-box.ts). */
export type PaymentDetailsCipher = {
  encrypt(affiliateId: number, plaintext: string): string;
  decrypt(affiliateId: number, stored: string): string;
};

export function createPaymentDetailsCipher(keyBase64: string): PaymentDetailsCipher {
  const box: SecretBox = createSecretBox(keyBase64, 'affiliate-payment-details');
  return { encrypt: box.encrypt, decrypt: box.decrypt };
}
