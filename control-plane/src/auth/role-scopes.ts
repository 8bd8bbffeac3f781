import type { Role, Scope } from './roles.ts';

/** The scopes each role can have at all; an API key gets a subset of its owner's. */
export const ROLE_SCOPES: Record<Role, readonly Scope[]> = {
  admin: [
    'advertisers:read',
    'advertisers:write',
    'affiliates:read',
    'affiliates:write',
    'offers:read',
    'offers:write',
    'applications:write',
    'conversions:read',
    'conversions:write',
    'reports:read',
    'postbacks:read',
    'postbacks:write',
  ],
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
