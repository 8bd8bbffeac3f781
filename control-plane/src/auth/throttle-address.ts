import { parseIp } from '@tas/shared/ip-match';

/**
 * The address a per-client limit counts by. An IPv6 client usually holds a whole /64 (one
 * customer's network) and can pick a new address in it for every request, so limits count the
 * /64; an IPv4 address counts as itself. An IPv4-mapped IPv6 address counts as its IPv4 address.
 */
export function throttleAddress(ip: string): string {
  const parsed = parseIp(ip);
  if (!parsed || parsed.version === 4) return ip;
  if (parsed.value >> 32n === 0xffffn) {
    const v4 = parsed.value & 0xffff_ffffn;
    return [24n, 16n, 8n, 0n].map((shift) => String((v4 >> shift) & 0xffn)).join('.');
  }
  const network = parsed.value >> 64n;
  const groups = [48n, 32n, 16n, 0n].map((shift) => ((network >> shift) & 0xffffn).toString(16));
  return `${groups.join(':')}::/64`;
}
