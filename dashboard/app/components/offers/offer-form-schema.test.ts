import { describe, expect, it } from 'vitest';
import { moneyText, parseMoneyText, parsePercentText, percentText } from './amounts';
import { offerFormSchema } from './offer-form-schema';

const base = {
  name: 'Spring sale',
  payoutType: 'cpa',
  currency: 'USD',
  payout: '12.34',
  revenue: '20',
  status: 'draft',
  visibility: 'public',
  destinationUrl: 'https://shop.example.com/?click_id={click_id}',
  events: 'conversion',
  defaultEvent: 'conversion',
  attributionWindowHours: 720,
  conversionSources: 'default',
  fraud: { action: 'flag' },
};

function parse(input: Record<string, unknown>, mode: 'create' | 'edit' = 'create', currency?: string) {
  return offerFormSchema({ mode, needsAdvertiser: false, currency }).safeParse({ ...base, ...input });
}

function errorsOf(result: ReturnType<typeof parse>): Record<string, string> {
  if (result.success) return {};
  return Object.fromEntries(result.error.issues.map((issue) => [issue.path.join('.'), issue.message]));
}

describe('amounts', () => {
  it('turns decimals into minor units exactly, by the currency’s exponent', () => {
    expect(parseMoneyText('12.34', 'USD')).toEqual({ ok: true, value: 1234 });
    expect(parseMoneyText('0.1', 'USD')).toEqual({ ok: true, value: 10 });
    // 0.1 + 0.2 style float errors never happen: digits are parsed, not multiplied.
    expect(parseMoneyText('1,234.07', 'USD')).toEqual({ ok: true, value: 123407 });
    expect(parseMoneyText('500', 'JPY')).toEqual({ ok: true, value: 500 });
    expect(parseMoneyText('1.5', 'JPY')).toEqual({ ok: false, message: 'JPY has no decimals' });
    expect(parseMoneyText('1.234', 'KWD')).toEqual({ ok: true, value: 1234 });
    expect(parseMoneyText('12.345', 'USD')).toEqual({ ok: false, message: 'USD has at most 2 decimals' });
    expect(parseMoneyText('-1', 'USD').ok).toBe(false);
    expect(parseMoneyText('abc', 'USD').ok).toBe(false);
    expect(moneyText(1234, 'USD')).toBe('12.34');
    expect(moneyText(5, 'USD')).toBe('0.05');
    expect(moneyText(500, 'JPY')).toBe('500');
  });

  it('turns percentages into basis points exactly, up to 100%', () => {
    expect(parsePercentText('12.5')).toEqual({ ok: true, value: 1250 });
    expect(parsePercentText('0.01')).toEqual({ ok: true, value: 1 });
    expect(parsePercentText('100')).toEqual({ ok: true, value: 10_000 });
    expect(parsePercentText('7%')).toEqual({ ok: true, value: 700 });
    expect(parsePercentText('100.01').ok).toBe(false);
    expect(parsePercentText('12.345').ok).toBe(false);
    expect(percentText(1250)).toBe('12.5');
    expect(percentText(1)).toBe('0.01');
    expect(percentText(700)).toBe('7');
  });
});

describe('offer form schema', () => {
  it('sends fixed payouts in minor units of the chosen currency', () => {
    const result = parse({ payout: '12.34', revenue: '20' });
    expect(result.success).toBe(true);
    expect(result.data).toMatchObject({ payoutMinor: 1234, payoutBps: 0, revenueMinor: 2000, revenueBps: 0 });
    const yen = parse({ currency: 'JPY', payout: '1500', revenue: '2500' });
    expect(yen.data).toMatchObject({ currency: 'JPY', payoutMinor: 1500, revenueMinor: 2500 });
    expect(errorsOf(parse({ currency: 'JPY', payout: '15.5' }))).toMatchObject({
      payout: 'JPY has no decimals',
    });
  });

  it('sends a revenue share in basis points, and refuses more than 100%', () => {
    const result = parse({ payoutType: 'revshare', payout: '12.5', revenue: '20' });
    expect(result.data).toMatchObject({ payoutBps: 1250, payoutMinor: 0, revenueBps: 2000, revenueMinor: 0 });
    expect(errorsOf(parse({ payoutType: 'revshare', payout: '120' }))).toMatchObject({
      payout: 'At most 100%',
    });
  });

  it('keeps the currency of an edited offer and only changes the secret when asked', () => {
    const kept = parse({ currency: undefined, payout: '9.99', postbackSecretMode: 'keep' }, 'edit', 'EUR');
    expect(kept.data).toMatchObject({ payoutMinor: 999 });
    expect(kept.data).not.toHaveProperty('postbackSecret');
    expect(kept.data).not.toHaveProperty('currency');
    const cleared = parse({ postbackSecretMode: 'clear' }, 'edit', 'EUR');
    expect(cleared.data).toMatchObject({ postbackSecret: null });
    const set = parse({ postbackSecretMode: 'set', postbackSecret: 'short' }, 'edit', 'EUR');
    expect(errorsOf(set)).toMatchObject({ postbackSecret: 'From 8 to 128 characters' });
  });

  it('checks landing pages and their weights, and keeps the ids of existing pages when editing', () => {
    const pages = [
      { id: 4, name: 'A', url: 'https://shop.example.com/a', weight: 3 },
      { name: 'B', url: 'https://shop.example.com/b', weight: 1 },
    ];
    expect(parse({ landingPages: pages }, 'edit', 'USD').data).toMatchObject({
      landingPages: [
        { id: 4, name: 'A', weight: 3 },
        { name: 'B', weight: 1 },
      ],
    });
    // A new offer has no existing pages: ids are dropped.
    expect(parse({ landingPages: pages }).data?.landingPages?.[0]).not.toHaveProperty('id');
    const bad = parse({ landingPages: [{ name: '', url: 'javascript:alert(1)', weight: 0 }] });
    expect(errorsOf(bad)).toMatchObject({
      'landingPages.0.name': 'Name the page',
      'landingPages.0.url': expect.stringContaining('http(s) URL'),
      'landingPages.0.weight': 'At least 1',
    });
  });

  it('reads lists typed as text and says which entry is wrong', () => {
    const result = parse({
      events: 'sale, lead',
      defaultEvent: 'sale',
      countries: 'us, gb',
      postbackIpAllowlist: '203.0.113.0/24\n198.51.100.7',
      deepLinksAllowed: true,
      deepLinkHosts: '*.Shop.example.com',
    });
    expect(result.data).toMatchObject({
      events: ['sale', 'lead'],
      defaultEvent: 'sale',
      targeting: { countries: ['US', 'GB'] },
      postbackIpAllowlist: ['203.0.113.0/24', '198.51.100.7'],
      deepLinks: { allowed: true, hosts: ['*.shop.example.com'] },
    });
    expect(errorsOf(parse({ countries: 'USA' }))).toMatchObject({
      countries: expect.stringContaining('“USA”'),
    });
    expect(errorsOf(parse({ postbackIpAllowlist: '10.0.0.300' }))).toMatchObject({
      postbackIpAllowlist: expect.stringContaining('“10.0.0.300”'),
    });
    expect(errorsOf(parse({ events: 'sale', defaultEvent: 'conversion' }))).toMatchObject({
      defaultEvent: 'The default event must be one of the events',
    });
  });

  it('sends privacy settings left at the network as null, and the offer’s own as set', () => {
    const follows = parse({});
    expect(follows.success && follows.data.privacy).toEqual({
      ipMode: null,
      userAgentMode: null,
      consentRequired: null,
      forwardEuVisitors: null,
    });
    const own = parse({
      privacy: {
        ipMode: 'hashed',
        userAgentMode: 'network',
        consentRequired: 'yes',
        forwardEuVisitors: 'no',
      },
    });
    expect(own.success && own.data.privacy).toEqual({
      ipMode: 'hashed',
      userAgentMode: null,
      consentRequired: true,
      forwardEuVisitors: false,
    });
    expect(errorsOf(parse({ privacy: { ipMode: 'anonymised' } }))).toHaveProperty(['privacy.ipMode']);
  });

  it('sends empty caps as uncapped and refuses a minimum time above the maximum', () => {
    const result = parse({
      caps: {
        offer: { dailyClicks: 1000 },
        affiliateOverrides: [{ affiliateId: 7, monthlyConversions: 50 }],
      },
      fraud: { action: 'fallback', minSecondsToConvert: 10, maxSecondsToConvert: 5 },
    });
    expect(errorsOf(result)).toMatchObject({
      'fraud.maxSecondsToConvert': 'Must not be less than the minimum',
    });
    const ok = parse({
      caps: {
        offer: { dailyClicks: 1000 },
        affiliateOverrides: [{ affiliateId: 7, monthlyConversions: 50 }],
      },
    });
    expect(ok.data?.caps).toEqual({
      offer: { dailyClicks: 1000, monthlyClicks: null, dailyConversions: null, monthlyConversions: null },
      perAffiliate: {
        dailyClicks: null,
        monthlyClicks: null,
        dailyConversions: null,
        monthlyConversions: null,
      },
      affiliateOverrides: [
        {
          affiliateId: 7,
          limits: { dailyClicks: null, monthlyClicks: null, dailyConversions: null, monthlyConversions: 50 },
        },
      ],
    });
  });
});
