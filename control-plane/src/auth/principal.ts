import type { Role, Scope } from './roles.ts';

/** Who is calling, resolved once per request by the authenticate middleware. */
export type Principal = {
  userId: string;
  email: string;
  role: Role;
  /** The advertiser this user acts for (role advertiser), else null. */
  advertiserId: number | null;
  /** The affiliate this user acts for (role affiliate), else null. */
  affiliateId: number | null;
  via: { kind: 'session'; sessionId: string } | { kind: 'api_key'; apiKeyId: string; scopes: Scope[] };
};

export function hasScope(principal: Principal, scope: Scope): boolean {
  return principal.via.kind === 'session' || principal.via.scopes.includes(scope);
}
