import { type Algorithm, hash, verify } from '@node-rs/argon2';
import { z } from 'zod';

/** OWASP Password Storage Cheat Sheet, argon2id option 2: 19 MiB, 2 iterations, 1 lane. */
// Algorithm.Argon2id is 2 (a const enum, which isolated modules cannot read).
const ARGON2_OPTIONS = { algorithm: 2 as Algorithm, memoryCost: 19_456, timeCost: 2, parallelism: 1 };

/**
 * NIST 800-63B: length over composition rules. The upper bound keeps hashing cost bounded
 * (argon2 reads every byte) without limiting any real passphrase.
 */
export const passwordSchema = z
  .string()
  .min(12, 'at least 12 characters')
  .max(256, 'at most 256 characters')
  .describe('At least 12 characters');

export function hashPassword(password: string): Promise<string> {
  return hash(password, ARGON2_OPTIONS);
}

// Verified against when the account does not exist, so a miss takes as long as a wrong password.
let dummyHash: Promise<string> | undefined;

/** True when `password` matches `passwordHash`; a missing hash still costs one argon2 run. */
export async function verifyPassword(passwordHash: string | null | undefined, password: string) {
  if (!passwordHash) {
    dummyHash ??= hashPassword('not-a-password-of-anyone');
    await verify(await dummyHash, password).catch(() => false);
    return false;
  }
  return verify(passwordHash, password).catch(() => false);
}
