import type { Principal } from '../auth/principal.ts';
import type { AccountKind } from './ledger-accounts.ts';

/**
 * The accounts a principal may see: admins all (null); an advertiser its own advertiser accounts
 * (one per currency); an affiliate its own payable. Never another owner's, whatever the filters.
 */
export function ledgerScope(principal: Principal): { kinds: AccountKind[]; ownerId: string } | null {
  if (principal.role === 'admin') return null;
  if (principal.role === 'advertiser')
    return { kinds: ['advertiser'], ownerId: String(principal.advertiserId ?? -1) };
  return { kinds: ['affiliate_payable'], ownerId: String(principal.affiliateId ?? -1) };
}
