import { isIP } from 'node:net';
import type { Resolve, ResolvedAddress } from '../src/postbacks/outbound-guard.ts';

const entry = (address: string): ResolvedAddress => ({ address, family: isIP(address) });

/**
 * A DNS of test names: each name answers its list of answers in turn (the last one again after
 * that), as a name with a zero TTL can. Unknown names do not resolve. `queries` counts lookups.
 */
export function scriptedResolver(names: Record<string, string[][]>) {
  const queries: string[] = [];
  const resolve: Resolve = async (hostname) => {
    queries.push(hostname);
    const answers = names[hostname];
    if (!answers) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' });
    const seen = queries.filter((q) => q === hostname).length;
    return (answers[Math.min(seen, answers.length) - 1] ?? []).map(entry);
  };
  return { resolve, queries };
}

/** An address on the public internet that tests name but never connect to (example.com's). */
export const PUBLIC_ADDRESS = '93.184.215.14';
