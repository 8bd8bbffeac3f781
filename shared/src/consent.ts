import { z } from 'zod';

/** Consent for ad-platform use as the click's `consent` parameter gave it (null: not given). */
export const adConsentSchema = z.enum(['granted', 'denied']);
export type AdConsent = z.infer<typeof adConsentSchema>;

/** An IAB TCF v2 TC string: base64url segments joined by dots. */
export const tcStringSchema = z
  .string()
  .min(1)
  .max(4096)
  .regex(/^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*$/);

/**
 * The consent signals a click (or a pixel, or a postback) carried, as parameters:
 * `consent` (granted|denied), IAB TCF `gdpr` (0|1) and `gdpr_consent` (the TC string), and
 * Google consent mode's `ad_user_data` and `ad_personalization` (granted|denied). Every field is
 * null when not given; events queued by an older edge lack them, hence the defaults.
 */
export const consentSignalsSchema = z.object({
  consent: adConsentSchema
    .nullable()
    .default(null)
    .describe('The `consent` parameter of the click: may ad platforms be sent its conversions'),
  gdpr: z.boolean().nullable().default(null).describe('IAB TCF `gdpr`: does GDPR apply (1) or not (0)'),
  gdprConsent: tcStringSchema.nullable().default(null).describe('IAB TCF `gdpr_consent`: the TC string'),
  adUserData: adConsentSchema.nullable().default(null).describe('Google consent mode `ad_user_data`'),
  adPersonalization: adConsentSchema
    .nullable()
    .default(null)
    .describe('Google consent mode `ad_personalization`'),
});
export type ConsentSignals = z.infer<typeof consentSignalsSchema>;

export const NO_CONSENT_SIGNALS: ConsentSignals = {
  consent: null,
  gdpr: null,
  gdprConsent: null,
  adUserData: null,
  adPersonalization: null,
};

const GRANTED = new Set(['granted', '1', 'true', 'yes']);
const DENIED = new Set(['denied', '0', 'false', 'no']);

function consentValue(value: string | null | undefined): AdConsent | null {
  const text = value?.trim().toLowerCase();
  if (!text) return null;
  if (GRANTED.has(text)) return 'granted';
  if (DENIED.has(text)) return 'denied';
  return null;
}

/**
 * Reads the consent parameters of a request's query; unknown or malformed values are dropped
 * (a link must never break on them).
 */
export function readConsentSignals(query: (name: string) => string | null | undefined): ConsentSignals {
  const gdpr = query('gdpr')?.trim();
  const tc = query('gdpr_consent')?.trim();
  return {
    consent: consentValue(query('consent')),
    gdpr: gdpr === '1' ? true : gdpr === '0' ? false : null,
    gdprConsent: tc && tcStringSchema.safeParse(tc).success ? tc : null,
    adUserData: consentValue(query('ad_user_data')),
    adPersonalization: consentValue(query('ad_personalization')),
  };
}

// The core segment's fixed fields before PurposesConsent (TCF v2.x): Version 6, Created 36,
// LastUpdated 36, CmpId 12, CmpVersion 12, ConsentScreen 6, ConsentLanguage 12,
// VendorListVersion 12, TcfPolicyVersion 6, IsServiceSpecific 1, UseNonStandardTexts 1,
// SpecialFeatureOptIns 12 = 152 bits; then 24 bits, one per purpose.
const PURPOSES_OFFSET = 152;

/**
 * The TCF purposes (1..24) a TC string's core segment gives consent to, or null when the string
 * is not a TCF v2 core segment. Vendor-level consent is not read: TAS acts on purposes.
 */
export function tcfPurposeConsents(tcString: string): Set<number> | null {
  const core = tcString.split('.')[0] ?? '';
  let bits = '';
  for (const char of core) {
    const index = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'.indexOf(char);
    if (index < 0) return null;
    bits += index.toString(2).padStart(6, '0');
  }
  if (bits.length < PURPOSES_OFFSET + 24 || Number.parseInt(bits.slice(0, 6), 2) !== 2) return null;
  const purposes = new Set<number>();
  for (let purpose = 1; purpose <= 24; purpose++)
    if (bits[PURPOSES_OFFSET + purpose - 1] === '1') purposes.add(purpose);
  return purposes;
}

/** TCF purpose 1: store and/or access information on a device (a cookie, localStorage). */
export const TCF_STORAGE_PURPOSE = 1;
/** TCF purpose 7: measure advertising performance (sending a conversion to an ad platform). */
export const TCF_MEASUREMENT_PURPOSE = 7;

/**
 * Whether the visitor agreed to storage on its device (the click cookie, /t.js storage): the
 * `consent` parameter granted, or a TC string consenting to purpose 1. Denied wins over granted.
 */
export function storageConsented(signals: ConsentSignals): boolean {
  if (signals.consent === 'denied') return false;
  const purposes = signals.gdprConsent ? tcfPurposeConsents(signals.gdprConsent) : null;
  if (purposes) return purposes.has(TCF_STORAGE_PURPOSE);
  return signals.consent === 'granted';
}

/** Why the signals forbid sending a conversion to an ad platform, or null when they do not. */
export type AdConsentRefusal =
  | 'consent_denied'
  | 'gdpr_consent_missing'
  | 'gdpr_consent_denied'
  | 'consent_mode_denied';

/**
 * What the consent signals say about ad-platform forwarding: `consent=denied`; GDPR applying
 * (`gdpr=1`) without a TC string, or with one that refuses purpose 1 or 7; or consent mode's
 * `ad_user_data=denied`. The destination's own policy (consent required) is judged apart.
 */
export function adForwardingRefusal(signals: ConsentSignals): AdConsentRefusal | null {
  if (signals.consent === 'denied') return 'consent_denied';
  if (signals.adUserData === 'denied') return 'consent_mode_denied';
  if (signals.gdpr === true) {
    if (!signals.gdprConsent) return 'gdpr_consent_missing';
    const purposes = tcfPurposeConsents(signals.gdprConsent);
    if (!purposes) return 'gdpr_consent_missing';
    if (!purposes.has(TCF_STORAGE_PURPOSE) || !purposes.has(TCF_MEASUREMENT_PURPOSE))
      return 'gdpr_consent_denied';
  }
  return null;
}
