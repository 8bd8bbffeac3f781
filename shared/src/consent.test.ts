import { describe, expect, it } from 'vitest';
import {
  adForwardingRefusal,
  NO_CONSENT_SIGNALS,
  readConsentSignals,
  storageConsented,
  tcfPurposeConsents,
} from './consent.ts';
import { effectivePrivacy, isEuVisitor } from './privacy.ts';

/** A TCF v2 core segment consenting to the given purposes (its other fields zero). */
function tcString(purposes: number[], version = 2): string {
  const bits = Array<string>(184).fill('0');
  bits.splice(0, 6, ...version.toString(2).padStart(6, '0'));
  for (const p of purposes) bits[152 + p - 1] = '1';
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
  let out = '';
  for (let i = 0; i < bits.length; i += 6) out += alphabet[Number.parseInt(bits.slice(i, i + 6).join(''), 2)];
  return out;
}

const signals = (over: Partial<typeof NO_CONSENT_SIGNALS>) => ({ ...NO_CONSENT_SIGNALS, ...over });

describe('consent signals', () => {
  it('reads the parameters, dropping what is malformed', () => {
    const query = (values: Record<string, string>) => readConsentSignals((name) => values[name]);
    expect(
      query({
        consent: 'YES',
        gdpr: '1',
        gdpr_consent: 'CQabc.def',
        ad_user_data: 'denied',
        ad_personalization: '1',
      }),
    ).toEqual({
      consent: 'granted',
      gdpr: true,
      gdprConsent: 'CQabc.def',
      adUserData: 'denied',
      adPersonalization: 'granted',
    });
    expect(query({ consent: 'maybe', gdpr: 'true', gdpr_consent: 'a b', ad_user_data: '' })).toEqual(
      NO_CONSENT_SIGNALS,
    );
    expect(query({ gdpr: '0' }).gdpr).toBe(false);
  });

  it('reads the purpose consents of a TC string core segment, with its other segments', () => {
    expect([...(tcfPurposeConsents(tcString([1, 3, 7, 24])) ?? [])]).toEqual([1, 3, 7, 24]);
    expect(tcfPurposeConsents(`${tcString([2])}.IBAgAAAgAIAwgAgAAAAEAAAACA`)).toEqual(new Set([2]));
    expect(tcfPurposeConsents(tcString([1], 1))).toBeNull();
    expect(tcfPurposeConsents('CQ')).toBeNull();
  });

  it('consents to storage by TCF purpose 1, else by consent=granted; denied always wins', () => {
    expect(storageConsented(NO_CONSENT_SIGNALS)).toBe(false);
    expect(storageConsented(signals({ consent: 'granted' }))).toBe(true);
    expect(storageConsented(signals({ gdprConsent: tcString([1]) }))).toBe(true);
    expect(storageConsented(signals({ consent: 'granted', gdprConsent: tcString([7]) }))).toBe(false);
    expect(storageConsented(signals({ consent: 'denied', gdprConsent: tcString([1]) }))).toBe(false);
  });

  it('refuses ad-platform forwarding with a reason', () => {
    expect(adForwardingRefusal(NO_CONSENT_SIGNALS)).toBeNull();
    expect(adForwardingRefusal(signals({ consent: 'denied' }))).toBe('consent_denied');
    expect(adForwardingRefusal(signals({ adUserData: 'denied' }))).toBe('consent_mode_denied');
    expect(adForwardingRefusal(signals({ gdpr: true }))).toBe('gdpr_consent_missing');
    expect(adForwardingRefusal(signals({ gdpr: true, gdprConsent: 'CQ' }))).toBe('gdpr_consent_missing');
    expect(adForwardingRefusal(signals({ gdpr: true, gdprConsent: tcString([1]) }))).toBe(
      'gdpr_consent_denied',
    );
    expect(adForwardingRefusal(signals({ gdpr: true, gdprConsent: tcString([1, 7]) }))).toBeNull();
    expect(adForwardingRefusal(signals({ gdpr: false }))).toBeNull();
  });
});

describe('privacy settings', () => {
  it('takes the offer override over the network, field by field', () => {
    const network = {
      ipMode: 'hashed',
      userAgentMode: 'parsed',
      consentRequired: true,
      forwardEuVisitors: false,
    } as const;
    expect(effectivePrivacy(network, { ipMode: 'full', forwardEuVisitors: null })).toEqual({
      ...network,
      ipMode: 'full',
    });
    expect(effectivePrivacy(null, undefined)).toEqual({
      ipMode: 'full',
      userAgentMode: 'full',
      consentRequired: false,
      forwardEuVisitors: false,
    });
  });

  it('knows EU, EEA and UK visitors by country', () => {
    for (const country of ['DE', 'FR', 'IE', 'NO', 'IS', 'LI', 'GB', 'gr'])
      expect(isEuVisitor(country)).toBe(true);
    for (const country of ['US', 'CH', 'BR', null]) expect(isEuVisitor(country)).toBe(false);
  });
});
