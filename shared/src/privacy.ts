import { z } from 'zod';

/**
 * How the edge treats a visitor's ip address before anything leaves the isolate:
 * full: kept as is; truncated: IPv4 /24 and IPv6 /48 (the rest zeroed); hashed: a keyed
 * HMAC-SHA-256 token, stable per ip, so dedupe and velocity counters still work.
 */
export const ipModeSchema = z.enum(['full', 'truncated', 'hashed']);
export type IpMode = z.infer<typeof ipModeSchema>;

/** full: the user agent as sent; parsed: only its browser family, OS and device class. */
export const userAgentModeSchema = z.enum(['full', 'parsed']);
export type UserAgentMode = z.infer<typeof userAgentModeSchema>;

/** The network's privacy settings, each of which an offer may override. */
export const trackingPrivacySchema = z
  .object({
    ipMode: ipModeSchema.default('full').describe('What is kept of the visitor ip (full, truncated, hashed)'),
    userAgentMode: userAgentModeSchema
      .default('full')
      .describe('What is kept of the user agent (full, or parsed: browser family, OS, device)'),
    consentRequired: z
      .boolean()
      .default(false)
      .describe('The click cookie and /t.js storage only with the visitor consent (consent, TCF purpose 1)'),
    forwardEuVisitors: z
      .boolean()
      .default(false)
      .describe('Forward conversions of EU/EEA/UK visitors (click country) to ad platforms'),
  })
  .meta({ id: 'TrackingPrivacy' });
export type TrackingPrivacy = z.infer<typeof trackingPrivacySchema>;

export const DEFAULT_TRACKING_PRIVACY: TrackingPrivacy = trackingPrivacySchema.parse({});

/** An offer's overrides: a field left out (or null) follows the network. */
export const trackingPrivacyOverrideSchema = z
  .object({
    ipMode: ipModeSchema.nullable().optional(),
    userAgentMode: userAgentModeSchema.nullable().optional(),
    consentRequired: z.boolean().nullable().optional(),
    forwardEuVisitors: z.boolean().nullable().optional(),
  })
  .meta({ id: 'TrackingPrivacyOverride' });
export type TrackingPrivacyOverride = z.infer<typeof trackingPrivacyOverrideSchema>;

/** The settings in force for one offer: its overrides over the network's. */
export function effectivePrivacy(
  network: TrackingPrivacy | null | undefined,
  offer: TrackingPrivacyOverride | null | undefined,
): TrackingPrivacy {
  const base = network ?? DEFAULT_TRACKING_PRIVACY;
  return {
    ipMode: offer?.ipMode ?? base.ipMode,
    userAgentMode: offer?.userAgentMode ?? base.userAgentMode,
    consentRequired: offer?.consentRequired ?? base.consentRequired,
    forwardEuVisitors: offer?.forwardEuVisitors ?? base.forwardEuVisitors,
  };
}

/** EU and EEA member states and the United Kingdom (ISO 3166-1 alpha-2; Greece as GR). */
export const EU_EEA_UK_COUNTRIES: ReadonlySet<string> = new Set([
  'AT',
  'BE',
  'BG',
  'HR',
  'CY',
  'CZ',
  'DK',
  'EE',
  'FI',
  'FR',
  'DE',
  'GR',
  'HU',
  'IE',
  'IT',
  'LV',
  'LT',
  'LU',
  'MT',
  'NL',
  'PL',
  'PT',
  'RO',
  'SK',
  'SI',
  'ES',
  'SE', // EU
  'IS',
  'LI',
  'NO', // EEA
  'GB', // UK GDPR
]);

/** Whether a visitor from this country (ISO code, null when unknown) falls under GDPR or UK GDPR. */
export function isEuVisitor(country: string | null): boolean {
  return country !== null && EU_EEA_UK_COUNTRIES.has(country.toUpperCase());
}
