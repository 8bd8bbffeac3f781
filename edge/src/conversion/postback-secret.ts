/** Compares a presented postback secret with the SHA-256 the control plane published. */
export async function postbackSecretMatches(
  presented: string | null,
  expectedSha256: string,
): Promise<boolean> {
  if (presented === null) return false;
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(presented)));
  const hex = Array.from(digest, (b) => b.toString(16).padStart(2, '0')).join('');
  // Both are 64 hex characters; compare them all so timing reveals nothing.
  let diff = hex.length ^ expectedSha256.length;
  for (let i = 0; i < hex.length; i++) diff |= hex.charCodeAt(i) ^ (expectedSha256.charCodeAt(i) || 0);
  return diff === 0;
}
