import { lookup as dnsLookup } from 'node:dns/promises';
import { isIP, type LookupFunction } from 'node:net';
import { type IpRange, ipInRanges, parseIp, parseIpRange } from '@tas/shared/ip-match';
import { Agent, buildConnector } from 'undici';

function ranges(list: readonly string[]): IpRange[] {
  return list.map((r) => {
    const range = parseIpRange(r);
    if (!range) throw new Error(`bad range ${r}`);
    return range;
  });
}

// Loopback, private, link-local, CGNAT, multicast and reserved ranges, and the IPv6 prefixes that
// carry an IPv4 address to a translator (NAT64, 6to4, Teredo) or the deprecated IPv4-compatible
// form (::a.b.c.d, ::/96, which some stacks still route to the IPv4 address): an affiliate's postback
// URL must not make the control plane call into its own network (SSRF). IPv4-mapped IPv6
// (::ffff:a.b.c.d) is judged as the IPv4 address it carries.
const NON_PUBLIC = ranges([
  '0.0.0.0/8',
  '10.0.0.0/8',
  '100.64.0.0/10',
  '127.0.0.0/8',
  '169.254.0.0/16',
  '172.16.0.0/12',
  '192.0.0.0/24',
  '192.88.99.0/24',
  '192.168.0.0/16',
  '198.18.0.0/15',
  '224.0.0.0/3',
  '::/96',
  '64:ff9b::/96',
  '64:ff9b:1::/48',
  '100::/64',
  '2001::/32',
  '2002::/16',
  'fc00::/7',
  'fe80::/10',
  'ff00::/8',
]);

export type ResolvedAddress = { address: string; family: number };
/** Every address a host name resolves to. */
export type Resolve = (hostname: string) => Promise<ResolvedAddress[]>;

export type OutboundPolicy = {
  /** Development and tests: postbacks may reach loopback and private networks. */
  allowPrivateNetworks: boolean;
  /** Non-public ranges (CIDR) postbacks may reach all the same, e.g. an affiliate on a peered network. */
  trustedNetworks?: readonly string[];
  /** How host names are resolved; the system resolver (getaddrinfo) unless given. */
  resolve?: Resolve;
};

/** Thrown, at connection time, for an address the policy does not let postbacks reach. */
export class OutboundAddressError extends Error {
  constructor(host: string, address: string) {
    super(
      host === address
        ? `Refused to connect to ${address}: not a public address.`
        : `Refused to connect to ${host} at ${address}: not a public address.`,
    );
    this.name = 'OutboundAddressError';
  }
}

/** True for an address on the public internet; an address that does not parse is not. */
export function isPublicAddress(address: string): boolean {
  return parseIp(address) !== null && !ipInRanges(address, NON_PUBLIC);
}

function addressCheck(policy: OutboundPolicy): (address: string) => boolean {
  if (policy.allowPrivateNetworks) return () => true;
  const trusted = ranges(policy.trustedNetworks ?? []);
  return (address) => isPublicAddress(address) || (parseIp(address) !== null && ipInRanges(address, trusted));
}

const systemResolve: Resolve = (hostname) => dnsLookup(hostname, { all: true, verbatim: true });

/**
 * A `net` lookup that resolves once and hands the socket only addresses the policy allows: the
 * address checked is the address dialled, so a name that answers differently from one query to the
 * next (DNS rebinding) cannot slip a private address past the check.
 */
function guardedLookup(resolve: Resolve, allowed: (address: string) => boolean): LookupFunction {
  return (hostname, options, callback) => {
    resolve(hostname).then(
      (all) => {
        const family = options.family === 4 || options.family === 6 ? options.family : 0;
        const usable = family ? all.filter((a) => a.family === family) : all;
        const refused = all.find((a) => !allowed(a.address));
        if (refused) return callback(new OutboundAddressError(hostname, refused.address), '');
        const first = usable[0];
        if (!first) {
          return callback(Object.assign(new Error(`${hostname} has no address`), { code: 'ENOTFOUND' }), '');
        }
        if (options.all) return callback(null, usable);
        callback(null, first.address, first.family);
      },
      (error: NodeJS.ErrnoException) => callback(error, ''),
    );
  };
}

/**
 * The HTTP agent of every outgoing postback. The destination is checked when the socket is opened:
 * a literal IP in the URL before connecting, a host name through `guardedLookup`. Node skips the
 * lookup for literal IPs, hence the two checks.
 */
export function outboundAgent(policy: OutboundPolicy): Agent {
  const allowed = addressCheck(policy);
  const connectTcp = buildConnector({ lookup: guardedLookup(policy.resolve ?? systemResolve, allowed) });
  return new Agent({
    connect(options, callback) {
      const host = options.hostname.replace(/^\[|\]$/g, '');
      if (isIP(host) && !allowed(host)) return callback(new OutboundAddressError(host, host), null);
      connectTcp(options, callback);
    },
  });
}

// One agent (and its connection pool) per policy object: the app and the worker each hold theirs
// for the life of the process.
const agents = new WeakMap<OutboundPolicy, Agent>();

/** The shared agent for `policy`, created on first use. */
export function outboundDispatcher(policy: OutboundPolicy): Agent {
  let agent = agents.get(policy);
  if (!agent) {
    agent = outboundAgent(policy);
    agents.set(policy, agent);
  }
  return agent;
}
