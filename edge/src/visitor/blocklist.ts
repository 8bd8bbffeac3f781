import { type IpRange, ipInRanges, parseIpRange } from '@tas/shared/ip-match';

type Lists = { blockedIps: string[]; blockedUserAgents: string[] };
type Compiled = { ranges: IpRange[]; agents: string[] };

// Parsed once per configuration object (objects live in the config cache for its TTL).
const compiled = new WeakMap<Lists, Compiled>();

function compile(lists: Lists): Compiled {
  let result = compiled.get(lists);
  if (!result) {
    result = {
      ranges: lists.blockedIps.flatMap((text) => parseIpRange(text) ?? []),
      agents: lists.blockedUserAgents.map((agent) => agent.toLowerCase()),
    };
    compiled.set(lists, result);
  }
  return result;
}

export type BlockFlags = { blockedIp: boolean; blockedUserAgent: boolean };

/** Checks the visitor against network-wide and offer blocklists. */
export function blockFlags(ip: string | null, userAgent: string | null, lists: (Lists | null)[]): BlockFlags {
  let blockedIp = false;
  let blockedUserAgent = false;
  const agent = userAgent?.toLowerCase() ?? '';
  for (const list of lists) {
    if (!list) continue;
    const { ranges, agents } = compile(list);
    if (!blockedIp && ip && ranges.length > 0 && ipInRanges(ip, ranges)) blockedIp = true;
    if (!blockedUserAgent && agent && agents.some((a) => agent.includes(a))) blockedUserAgent = true;
  }
  return { blockedIp, blockedUserAgent };
}
