import { createHash, randomBytes } from 'node:crypto';

/** 256 random bits, URL-safe: refresh tokens, reset tokens and the secret part of API keys. */
export function newOpaqueToken(): string {
  return randomBytes(32).toString('base64url');
}

/** What is stored of an opaque token. SHA-256 is enough: the input has 256 bits of entropy. */
export function tokenHash(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}
