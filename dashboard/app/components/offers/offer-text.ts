import type { components } from '~/api/schema';
import { formatBps, formatCount, formatMoney } from '~/lib/format';

type Schemas = components['schemas'];

export type PayoutType = Schemas['Offer']['payoutType'];
export type OfferStatus = Schemas['Offer']['status'];
export type Visibility = Schemas['Offer']['visibility'];
export type Access = Schemas['AffiliateOffer']['access'];
export type ConversionSources = Schemas['Offer']['acceptedConversionSources'];
export type Targeting = Schemas['Offer']['targeting'];
export type CapLimits = Schemas['Offer']['caps']['offer'];

export const PAYOUT_TYPES: readonly PayoutType[] = ['cpa', 'cpl', 'cps', 'cpc', 'revshare'];
export const OFFER_STATUSES: readonly OfferStatus[] = ['draft', 'active', 'paused', 'archived'];
export const VISIBILITIES: readonly Visibility[] = ['public', 'approval_required', 'private'];
export const ACCESS_STATES: readonly Access[] = ['open', 'approved', 'pending', 'rejected', 'not_applied'];

export const PAYOUT_TYPE_LABEL: Record<PayoutType, string> = {
  cpa: 'CPA',
  cpl: 'CPL',
  cps: 'CPS',
  cpc: 'CPC',
  revshare: 'RevShare',
};

export const PAYOUT_TYPE_HINT: Record<PayoutType, string> = {
  cpa: 'Fixed amount per action',
  cpl: 'Fixed amount per lead',
  cps: 'Fixed amount per sale',
  cpc: 'Fixed amount per click',
  revshare: 'Percentage of the sale amount',
};

export const STATUS_LABEL: Record<OfferStatus, string> = {
  draft: 'Draft',
  active: 'Active',
  paused: 'Paused',
  archived: 'Archived',
};

export const VISIBILITY_LABEL: Record<Visibility, string> = {
  public: 'Public',
  approval_required: 'Approval required',
  private: 'Private',
};

export const VISIBILITY_HINT: Record<Visibility, string> = {
  public: 'Every active affiliate may run it',
  approval_required: 'Affiliates apply; you approve',
  private: 'Hidden; only affiliates you grant',
};

export const ACCESS_LABEL: Record<Access, string> = {
  open: 'Open',
  approved: 'Approved',
  pending: 'Pending',
  rejected: 'Rejected',
  not_applied: 'Not applied',
};

export const SOURCES_LABEL: Record<ConversionSources, string> = {
  postback: 'Server postbacks only',
  pixel: 'Browser pixels only',
  postback_and_pixel: 'Postbacks and pixels',
};

export const DEVICE_LABEL: Record<Targeting['devices'][number], string> = {
  desktop: 'Desktop',
  mobile: 'Mobile',
  tablet: 'Tablet',
  other: 'Other',
};

export const OS_LABEL: Record<Targeting['operatingSystems'][number], string> = {
  android: 'Android',
  ios: 'iOS',
  windows: 'Windows',
  macos: 'macOS',
  linux: 'Linux',
  chromeos: 'ChromeOS',
  other: 'Other',
};

/** What the affiliate earns, in the unit of the offer's payout type: "$15.00" or "10%". */
export function formatPayout(offer: {
  payoutType: PayoutType;
  payoutMinor: number;
  payoutBps: number;
  currency: string;
}): string {
  return offer.payoutType === 'revshare'
    ? formatBps(offer.payoutBps)
    : formatMoney(offer.payoutMinor, offer.currency);
}

/** What the advertiser pays, in the unit of the offer's payout type. */
export function formatRevenue(offer: {
  payoutType: PayoutType;
  revenueMinor: number;
  revenueBps: number;
  currency: string;
}): string {
  return offer.payoutType === 'revshare'
    ? formatBps(offer.revenueBps)
    : formatMoney(offer.revenueMinor, offer.currency);
}

/** "per sale", "per click", "of sale": the unit a payout is counted in. */
export function payoutUnit(type: PayoutType): string {
  switch (type) {
    case 'cpc':
      return 'per click';
    case 'cpl':
      return 'per lead';
    case 'cps':
      return 'per sale';
    case 'revshare':
      return 'of sale';
    default:
      return 'per conversion';
  }
}

/** A one-line summary of who an offer is for: "US, GB · Mobile · iOS, Android" or "Worldwide, all devices". */
export function targetingSummary(targeting: Targeting): string {
  const parts: string[] = [];
  parts.push(targeting.countries.length === 0 ? 'Worldwide' : summarizeList(targeting.countries, 4));
  parts.push(
    targeting.devices.length === 0
      ? 'all devices'
      : targeting.devices.map((device) => DEVICE_LABEL[device]).join(', '),
  );
  if (targeting.operatingSystems.length > 0)
    parts.push(targeting.operatingSystems.map((os) => OS_LABEL[os]).join(', '));
  return parts.join(' · ');
}

function summarizeList(items: readonly string[], max: number): string {
  return items.length <= max ? items.join(', ') : `${items.slice(0, max).join(', ')} +${items.length - max}`;
}

const CAP_KEYS = ['dailyClicks', 'monthlyClicks', 'dailyConversions', 'monthlyConversions'] as const;
export type CapKey = (typeof CAP_KEYS)[number];
export { CAP_KEYS };

export const CAP_LABEL: Record<CapKey, string> = {
  dailyClicks: 'Daily clicks',
  monthlyClicks: 'Monthly clicks',
  dailyConversions: 'Daily conversions',
  monthlyConversions: 'Monthly conversions',
};

export function hasAnyCap(limits: CapLimits): boolean {
  return CAP_KEYS.some((key) => limits[key] !== null);
}

/** "1,000/day · 20,000/month clicks" style summary of the caps that are set. */
export function capsSummary(limits: CapLimits): string {
  const parts: string[] = [];
  if (limits.dailyClicks !== null) parts.push(`${formatCount(limits.dailyClicks)} clicks/day`);
  if (limits.monthlyClicks !== null) parts.push(`${formatCount(limits.monthlyClicks)} clicks/mo`);
  if (limits.dailyConversions !== null) parts.push(`${formatCount(limits.dailyConversions)} conv/day`);
  if (limits.monthlyConversions !== null) parts.push(`${formatCount(limits.monthlyConversions)} conv/mo`);
  return parts.length === 0 ? 'No caps' : parts.join(' · ');
}

/** Hours as a person says them: 720 -> "30 days", 36 -> "36 hours". */
export function formatHours(hours: number): string {
  if (hours % 24 === 0) {
    const days = hours / 24;
    return `${days} day${days === 1 ? '' : 's'}`;
  }
  return `${hours} hour${hours === 1 ? '' : 's'}`;
}
