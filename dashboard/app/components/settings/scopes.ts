import type { Schemas } from '~/lib/api.server';

export type Scope = Schemas['ApiKeyCreateRequest']['scopes'][number];
type Role = Schemas['User']['role'];

/** What each scope lets a key do, for the scope picker. */
export const SCOPE_LABEL: Record<Scope, string> = {
  'advertisers:read': 'Read advertisers',
  'advertisers:write': 'Create and change advertisers',
  'affiliates:read': 'Read affiliates',
  'affiliates:write': 'Create and change affiliates',
  'offers:read': 'Read offers',
  'offers:write': 'Create and change offers',
  'applications:write': 'Approve and reject applications',
  'conversions:read': 'Read conversions',
  'conversions:write': 'Approve, reject and adjust conversions',
  'reports:read': 'Run reports',
  'postbacks:read': 'Read postbacks and deliveries',
  'postbacks:write': 'Change, test and replay postbacks',
  'audit:read': 'Read and export the audit log',
};

const ALL = Object.keys(SCOPE_LABEL) as Scope[];

/**
 * The scopes a key of each role may have (the control plane's ROLE_SCOPES, in
 * control-plane/src/auth/role-scopes.ts; the API refuses any other).
 */
export const ROLE_SCOPES: Record<Role, Scope[]> = {
  admin: ALL,
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
