/** Number of FraudCounter objects ips are spread over. Changing it resets the counters' memory. */
export const FRAUD_SHARDS = 256;

/** FNV-1a over the ip: cheap, stable, and spreads neighbouring addresses over shards. */
export function fraudShardName(ip: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < ip.length; i++) {
    hash ^= ip.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return `fraud:${(hash >>> 0) % FRAUD_SHARDS}`;
}
