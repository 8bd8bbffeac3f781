import { sha256Hex } from '@tas/shared/hex';

/** Compares a presented postback secret with the SHA-256 the control plane published. */
export async function postbackSecretMatches(
  presented: string | null,
  expectedSha256: string,
): Promise<boolean> {
  if (presented === null) return false;
  const hex = await sha256Hex(presented);
  // Both are 64 hex characters; compare them all so timing reveals nothing.
  let diff = hex.length ^ expectedSha256.length;
  for (let i = 0; i < hex.length; i++) diff |= hex.charCodeAt(i) ^ (expectedSha256.charCodeAt(i) || 0);
  return diff === 0;
}
