import { lookup } from 'node:dns/promises';
import { type IpRange, ipInRanges, parseIpRange } from '@tas/shared/ip-match';
import { ApiError } from '../http/api-error.ts';

// Loopback, private, link-local, CGNAT, multicast and reserved ranges: an affiliate's postback URL
// must not make the control plane call into its own network (SSRF).
const NON_PUBLIC: IpRange[] = [
  '0.0.0.0/8',
  '10.0.0.0/8',
  '100.64.0.0/10',
  '127.0.0.0/8',
  '169.254.0.0/16',
  '172.16.0.0/12',
  '192.0.0.0/24',
  '192.168.0.0/16',
  '198.18.0.0/15',
  '224.0.0.0/3',
  '::/128',
  '::1/128',
  '::ffff:0:0/96',
  'fc00::/7',
  'fe80::/10',
  'ff00::/8',
].map((r) => {
  const range = parseIpRange(r);
  if (!range) throw new Error(`bad range ${r}`);
  return range;
});

export type OutboundPolicy = { allowPrivateNetworks: boolean };

/**
 * Refuses URLs whose host resolves to a non-public address, unless private networks are allowed
 * (development, tests). The check resolves the name itself; a DNS answer that changes between
 * this check and the request is not covered (documented in decision 011).
 */
export async function assertPublicDestination(url: URL, policy: OutboundPolicy): Promise<void> {
  if (policy.allowPrivateNetworks) return;
  const host = url.hostname.replace(/^\[|\]$/g, '');
  let addresses: string[];
  try {
    addresses = (await lookup(host, { all: true, verbatim: true })).map((a) => a.address);
  } catch {
    throw new ApiError('invalid_request', `The host ${host} cannot be resolved.`);
  }
  if (addresses.length === 0 || addresses.some((a) => ipInRanges(a, NON_PUBLIC))) {
    throw new ApiError('invalid_request', `The host ${host} is not a public address.`);
  }
}
