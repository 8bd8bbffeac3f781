import { z } from 'zod';

/**
 * IPv4/IPv6 addresses and CIDR ranges, for blocklists and postback allowlists. Parsing is strict:
 * an entry that is not an address or range is refused when configured, not ignored when matched.
 */
type ParsedIp = { version: 4 | 6; value: bigint };

function parseIPv4(text: string): bigint | null {
  const parts = text.split('.');
  if (parts.length !== 4) return null;
  let value = 0n;
  for (const part of parts) {
    if (!/^(0|[1-9]\d{0,2})$/.test(part)) return null;
    const n = Number(part);
    if (n > 255) return null;
    value = (value << 8n) | BigInt(n);
  }
  return value;
}

function parseIPv6(text: string): bigint | null {
  let input = text;
  // An embedded IPv4 tail (::ffff:1.2.3.4) becomes two hextets.
  const v4 = /(\d+\.\d+\.\d+\.\d+)$/.exec(input);
  if (v4) {
    const value = parseIPv4(v4[1]!);
    if (value === null) return null;
    input = `${input.slice(0, -v4[1]!.length)}${(value >> 16n).toString(16)}:${(value & 0xffffn).toString(16)}`;
  }
  const halves = input.split('::');
  if (halves.length > 2) return null;
  const head = halves[0] ? halves[0].split(':') : [];
  const tail = halves.length === 2 && halves[1] ? halves[1].split(':') : [];
  const missing = 8 - head.length - tail.length;
  if (halves.length === 1 ? missing !== 0 : missing < 1) return null;
  const groups = [...head, ...Array<string>(halves.length === 2 ? missing : 0).fill('0'), ...tail];
  let value = 0n;
  for (const group of groups) {
    if (!/^[0-9a-fA-F]{1,4}$/.test(group)) return null;
    value = (value << 16n) | BigInt(Number.parseInt(group, 16));
  }
  return value;
}

export function parseIp(text: string): ParsedIp | null {
  if (text.includes(':')) {
    const value = parseIPv6(text);
    return value === null ? null : { version: 6, value };
  }
  const value = parseIPv4(text);
  return value === null ? null : { version: 4, value };
}

export type IpRange = { version: 4 | 6; network: bigint; prefix: number };

export function parseIpRange(text: string): IpRange | null {
  const [address, prefixText, ...rest] = text.trim().split('/');
  if (rest.length > 0 || !address) return null;
  const ip = parseIp(address);
  if (!ip) return null;
  const bits = ip.version === 4 ? 32 : 128;
  const prefix = prefixText === undefined ? bits : /^\d{1,3}$/.test(prefixText) ? Number(prefixText) : -1;
  if (prefix < 0 || prefix > bits) return null;
  const shift = BigInt(bits - prefix);
  return { version: ip.version, network: (ip.value >> shift) << shift, prefix };
}

/** True when `ip` falls in any of `ranges`. IPv4-mapped IPv6 addresses match IPv4 ranges. */
export function ipInRanges(ip: string, ranges: readonly IpRange[]): boolean {
  let parsed = parseIp(ip);
  if (!parsed) return false;
  if (parsed.version === 6 && parsed.value >> 32n === 0xffffn)
    parsed = { version: 4, value: parsed.value & 0xffffffffn };
  for (const range of ranges) {
    if (range.version !== parsed.version) continue;
    const shift = BigInt((range.version === 4 ? 32 : 128) - range.prefix);
    if ((parsed.value >> shift) << shift === range.network) return true;
  }
  return false;
}

export const ipRangeTextSchema = z
  .string()
  .max(64)
  .refine((text) => parseIpRange(text) !== null, 'an IPv4/IPv6 address or CIDR range')
  .describe('An IP address or CIDR range, e.g. 203.0.113.0/24');
