import { type Role, SCOPES, type Scope } from './roles.ts';

/** The scopes each role can have at all; an API key gets a subset of its owner's. */
export const ROLE_SCOPES: Record<Role, readonly Scope[]> = {
  // Admins can have every scope there is; SCOPES is the one list of them.
  admin: SCOPES,
  advertiser: [
    'advertisers:read',
    'offers:read',
    'offers:write',
    'conversions:read',
    'conversions:write',
    'reports:read',
  ],
  affiliate: [
    'affiliates:read',
    'offers:read',
    'conversions:read',
    'reports:read',
    'postbacks:read',
    'postbacks:write',
  ],
};
