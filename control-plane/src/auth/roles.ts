import { z } from 'zod';

export const roleSchema = z.enum(['admin', 'advertiser', 'affiliate']).describe('What the account is');
export type Role = z.infer<typeof roleSchema>;

/**
 * What an API key may be allowed to do, on top of what its owner's role allows. Sessions (people
 * logged in) have every scope their role has; keys only the ones they were given.
 */
export const SCOPES = [
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
  /** The audit log (admins only). */
  'audit:read',
] as const;
export const scopeSchema = z.enum(SCOPES);
export type Scope = z.infer<typeof scopeSchema>;
