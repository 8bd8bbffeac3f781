import type { DefaultValue } from '@conform-to/react';
import { MAX_ENTITY_ID } from '@tas/shared/ids';
import { ipRangeTextSchema } from '@tas/shared/ip-match';
import { currencySchema } from '@tas/shared/money';
import { deepLinkRulesSchema, eventNameSchema, httpUrlSchema } from '@tas/shared/offer-config';
import { countryCodeSchema, deviceTypeSchema, operatingSystemSchema } from '@tas/shared/targeting';
import { z } from 'zod';
import type { components } from '~/api/schema';
import { moneyText, parseMoneyText, parsePercentText, percentText } from './amounts';
import { CAP_KEYS, type CapLimits } from './offer-text';

type Schemas = components['schemas'];
export type Offer = Schemas['Offer'];
export type OfferCreateRequest = Schemas['OfferCreateRequest'];
export type OfferUpdateRequest = Schemas['OfferUpdateRequest'];

/**
 * The offer form: every setting of OfferCreateRequest / OfferUpdateRequest, in the shape people
 * type them (money as decimals in the offer's currency, shares as percentages, lists as text),
 * checked by the API's own rules (the shared schemas) and turned into the request body. The same
 * schema runs in the browser (instant errors beside each field) and in the action.
 */

const hostnameSchema = deepLinkRulesSchema.shape.hosts.unwrap().element;

function issueOf(result: z.ZodSafeParseResult<unknown>): string {
  return result.success ? '' : (result.error.issues[0]?.message ?? 'invalid');
}

/** A list typed as text: one item per line (or, unless `lines`, separated by commas or spaces). */
function listText<T>(
  item: z.ZodType<T>,
  {
    max,
    lines = false,
    normalize = (text: string) => text,
    what,
  }: {
    max: number;
    lines?: boolean;
    normalize?: (text: string) => string;
    what: string;
  },
) {
  return z
    .string()
    .optional()
    .transform((text, ctx) => {
      const raw = (text ?? '')
        .split(lines ? /\r?\n/ : /[\s,;]+/)
        .map((part) => normalize(part.trim()))
        .filter(Boolean);
      const items = [...new Set(raw)];
      if (items.length > max) {
        ctx.addIssue({ code: 'custom', message: `At most ${max} ${what}` });
        return z.NEVER;
      }
      const parsed: T[] = [];
      for (const entry of items) {
        const result = item.safeParse(entry);
        if (!result.success) {
          ctx.addIssue({ code: 'custom', message: `“${entry.slice(0, 60)}”: ${issueOf(result)}` });
          return z.NEVER;
        }
        parsed.push(result.data);
      }
      return parsed;
    });
}

const url = z
  .string('Enter a URL')
  .trim()
  .refine(
    (text) => httpUrlSchema.safeParse(text).success,
    'Enter a full http(s) URL, e.g. https://shop.example.com/',
  );
const optionalUrl = url.optional();

const count = (max: number, message = 'A whole number, 0 or more') =>
  z
    .number(message)
    .int(message)
    .min(0, message)
    .max(max, `At most ${max.toLocaleString('en-US')}`);

const capLimits = z.object(
  Object.fromEntries(CAP_KEYS.map((key) => [key, count(1_000_000_000).optional()])) as Record<
    keyof CapLimits,
    z.ZodOptional<ReturnType<typeof count>>
  >,
);

function toLimits(limits: Partial<Record<keyof CapLimits, number | undefined>> | undefined): CapLimits {
  return {
    dailyClicks: limits?.dailyClicks ?? null,
    monthlyClicks: limits?.monthlyClicks ?? null,
    dailyConversions: limits?.dailyConversions ?? null,
    monthlyConversions: limits?.monthlyConversions ?? null,
  };
}

const secretModes = ['keep', 'set', 'clear'] as const;
const sourcesChoices = ['default', 'postback', 'pixel', 'postback_and_pixel'] as const;

export type OfferFormOptions = {
  mode: 'create' | 'edit';
  /** Admins create offers for an advertiser they pick. */
  needsAdvertiser: boolean;
  /** The offer's currency when editing (it cannot change). */
  currency?: string;
};

const fields = {
  advertiserId: z.number().int().min(1).max(MAX_ENTITY_ID).optional(),
  name: z
    .string('Give the offer a name')
    .trim()
    .min(1, 'Give the offer a name')
    .max(200, 'At most 200 characters'),
  description: z.string().max(10_000, 'At most 10,000 characters').optional(),
  payoutType: z.enum(['cpa', 'cpl', 'cps', 'cpc', 'revshare'], 'Choose how affiliates are paid'),
  currency: currencySchema.optional(),
  payout: z.string().optional(),
  revenue: z.string().optional(),
  status: z.enum(['draft', 'active', 'paused', 'archived']),
  visibility: z.enum(['public', 'approval_required', 'private']),
  destinationUrl: url,
  previewUrl: optionalUrl,
  fallbackUrl: optionalUrl,
  events: listText(eventNameSchema, { max: 50, normalize: (text) => text.toLowerCase(), what: 'events' }),
  defaultEvent: z.string().optional(),
  attributionWindowHours: z
    .number('Hours, from 1 to 8,760 (a year)')
    .int('Whole hours')
    .min(1, 'At least 1 hour')
    .max(24 * 365, 'At most 8,760 hours (a year)'),
  postbackSecretMode: z.enum(secretModes).optional(),
  postbackSecret: z.string().optional(),
  postbackIpAllowlist: listText(ipRangeTextSchema, { max: 100, what: 'addresses' }),
  conversionSources: z.enum(sourcesChoices),
  countries: listText(countryCodeSchema, {
    max: 300,
    normalize: (text) => text.toUpperCase(),
    what: 'countries',
  }),
  devices: z.array(deviceTypeSchema).optional(),
  operatingSystems: z.array(operatingSystemSchema).optional(),
  deepLinksAllowed: z.boolean().optional(),
  deepLinkHosts: listText(hostnameSchema, {
    max: 100,
    normalize: (text) => text.toLowerCase(),
    what: 'hosts',
  }),
  caps: z
    .object({
      offer: capLimits.optional(),
      perAffiliate: capLimits.optional(),
      affiliateOverrides: z
        .array(
          capLimits.extend({
            affiliateId: z
              .number('Enter the affiliate’s id')
              .int('Enter the affiliate’s id')
              .min(1, 'Enter the affiliate’s id')
              .max(MAX_ENTITY_ID, 'No affiliate has this id'),
          }),
        )
        .max(1000)
        .optional(),
    })
    .optional(),
  fraud: z
    .object({
      duplicateClickWindowSeconds: count(30 * 86_400, 'Seconds, 0 or more (0 turns it off)').optional(),
      maxClicksPerIpPerMinute: z
        .number('A whole number from 1')
        .int('A whole number from 1')
        .min(1, 'At least 1 (leave empty for no limit)')
        .max(100_000, 'At most 100,000')
        .optional(),
      action: z.enum(['flag', 'fallback']),
      minSecondsToConvert: count(Number.MAX_SAFE_INTEGER, 'Seconds, 0 or more').optional(),
      maxSecondsToConvert: count(Number.MAX_SAFE_INTEGER, 'Seconds, 0 or more').optional(),
      blockedIps: listText(ipRangeTextSchema, { max: 10_000, what: 'addresses' }),
      blockedUserAgents: listText(
        z.string().min(3, 'at least 3 characters').max(256, 'at most 256 characters'),
        { max: 1000, lines: true, what: 'user agents' },
      ),
    })
    .optional(),
  // Each privacy setting follows the network ('network') or is the offer's own.
  privacy: z
    .object({
      ipMode: z.enum(['network', 'full', 'truncated', 'hashed']).default('network'),
      userAgentMode: z.enum(['network', 'full', 'parsed']).default('network'),
      consentRequired: z.enum(['network', 'yes', 'no']).default('network'),
      forwardEuVisitors: z.enum(['network', 'yes', 'no']).default('network'),
    })
    .optional(),
  landingPages: z
    .array(
      z.object({
        id: z.number().int().min(1).max(MAX_ENTITY_ID).optional(),
        name: z.string('Name the page').trim().min(1, 'Name the page').max(200, 'At most 200 characters'),
        url,
        weight: z
          .number('A weight from 1 to 10,000')
          .int('A whole number')
          .min(1, 'At least 1')
          .max(10_000, 'At most 10,000'),
      }),
    )
    .max(50, 'At most 50 landing pages')
    .optional(),
};

/** The form's schema; its output is the API request (create or update). */
export function offerFormSchema(options: OfferFormOptions) {
  return z.object(fields).transform((value, ctx) => {
    const issue = (path: (string | number)[], message: string) =>
      ctx.addIssue({ code: 'custom', path, message });
    const currency = options.mode === 'edit' ? (options.currency ?? 'USD') : (value.currency ?? '');
    if (options.mode === 'create' && !value.currency) issue(['currency'], 'Choose a currency');
    if (options.mode === 'create' && options.needsAdvertiser && value.advertiserId === undefined)
      issue(['advertiserId'], 'Choose the advertiser');

    const revshare = value.payoutType === 'revshare';
    const amount = (text: string | undefined, path: string) => {
      if (!revshare && !currency) return 0;
      const parsed = revshare ? parsePercentText(text ?? '') : parseMoneyText(text ?? '', currency);
      if (!parsed.ok) {
        issue([path], parsed.message);
        return 0;
      }
      return parsed.value;
    };
    const payout = amount(value.payout, 'payout');
    const revenue = amount(value.revenue, 'revenue');

    if (value.events.length === 0) issue(['events'], 'Name at least one event, e.g. conversion');
    const defaultEvent = value.defaultEvent ?? value.events[0] ?? '';
    if (value.events.length > 0 && !value.events.includes(defaultEvent))
      issue(['defaultEvent'], 'The default event must be one of the events');

    const secretMode = value.postbackSecretMode ?? (options.mode === 'create' ? 'clear' : 'keep');
    const secret = (value.postbackSecret ?? '').trim();
    if (secretMode === 'set' && (secret.length < 8 || secret.length > 128))
      issue(['postbackSecret'], 'From 8 to 128 characters');

    const fraud = value.fraud;
    if (
      fraud?.minSecondsToConvert !== undefined &&
      fraud.maxSecondsToConvert !== undefined &&
      fraud.minSecondsToConvert > fraud.maxSecondsToConvert
    )
      issue(['fraud', 'maxSecondsToConvert'], 'Must not be less than the minimum');

    const overrides = value.caps?.affiliateOverrides ?? [];
    const seen = new Set<number>();
    overrides.forEach((override, index) => {
      if (seen.has(override.affiliateId))
        issue(['caps', 'affiliateOverrides', index, 'affiliateId'], 'This affiliate already has an override');
      seen.add(override.affiliateId);
    });

    const landingPages = (value.landingPages ?? []).map((page) => ({
      ...(options.mode === 'edit' && page.id !== undefined ? { id: page.id } : {}),
      name: page.name,
      url: page.url,
      weight: page.weight,
    }));

    const common = {
      name: value.name,
      description: value.description?.trim() ? value.description : null,
      payoutType: value.payoutType,
      payoutMinor: revshare ? 0 : payout,
      payoutBps: revshare ? payout : 0,
      revenueMinor: revshare ? 0 : revenue,
      revenueBps: revshare ? revenue : 0,
      status: value.status,
      visibility: value.visibility,
      destinationUrl: value.destinationUrl,
      previewUrl: value.previewUrl ?? null,
      fallbackUrl: value.fallbackUrl ?? null,
      defaultEvent,
      events: value.events,
      attributionWindowHours: value.attributionWindowHours,
      postbackIpAllowlist: value.postbackIpAllowlist,
      conversionSources: value.conversionSources === 'default' ? null : value.conversionSources,
      targeting: {
        countries: value.countries,
        devices: value.devices ?? [],
        operatingSystems: value.operatingSystems ?? [],
      },
      deepLinks: { allowed: value.deepLinksAllowed ?? false, hosts: value.deepLinkHosts },
      caps: {
        offer: toLimits(value.caps?.offer),
        perAffiliate: toLimits(value.caps?.perAffiliate),
        affiliateOverrides: overrides.map(({ affiliateId, ...limits }) => ({
          affiliateId,
          limits: toLimits(limits),
        })),
      },
      fraudRules: {
        duplicateClickWindowSeconds: fraud?.duplicateClickWindowSeconds ?? 0,
        maxClicksPerIpPerMinute: fraud?.maxClicksPerIpPerMinute ?? null,
        action: fraud?.action ?? 'flag',
        minSecondsToConvert: fraud?.minSecondsToConvert ?? null,
        maxSecondsToConvert: fraud?.maxSecondsToConvert ?? null,
        blockedIps: fraud?.blockedIps ?? [],
        blockedUserAgents: fraud?.blockedUserAgents ?? [],
      },
      privacy: privacyRequest(value.privacy),
      landingPages,
    } satisfies OfferUpdateRequest;

    const secretChange =
      secretMode === 'set'
        ? { postbackSecret: secret }
        : secretMode === 'clear' && options.mode === 'edit'
          ? { postbackSecret: null }
          : {};

    if (options.mode === 'edit')
      return { ...common, ...secretChange } satisfies OfferUpdateRequest as OfferUpdateRequest;
    return {
      ...common,
      ...secretChange,
      ...(value.advertiserId !== undefined ? { advertiserId: value.advertiserId } : {}),
      currency,
    } satisfies OfferCreateRequest as OfferCreateRequest;
  });
}

/** What the form holds, field by field (before the schema turns it into a request). */
export type OfferFormInput = z.input<ReturnType<typeof offerFormSchema>>;
/** What the form's schema makes of it: the request body. */
export type OfferRequest = z.output<ReturnType<typeof offerFormSchema>>;

/** The values the form starts with: a new offer's defaults, or the offer as it is. */
export function offerFormDefaults(offer: Offer | null): DefaultValue<OfferFormInput> {
  const limits = (caps: CapLimits) =>
    Object.fromEntries(CAP_KEYS.map((key) => [key, caps[key] === null ? '' : String(caps[key])]));
  if (!offer) {
    return {
      name: '',
      description: '',
      payoutType: 'cpa',
      currency: 'USD',
      payout: '',
      revenue: '',
      status: 'draft',
      visibility: 'public',
      destinationUrl: '',
      previewUrl: '',
      fallbackUrl: '',
      events: 'conversion',
      defaultEvent: 'conversion',
      attributionWindowHours: '720',
      postbackSecretMode: 'clear',
      postbackIpAllowlist: '',
      conversionSources: 'default',
      countries: '',
      devices: [],
      operatingSystems: [],
      deepLinkHosts: '',
      caps: { offer: {}, perAffiliate: {}, affiliateOverrides: [] },
      fraud: { duplicateClickWindowSeconds: '0', action: 'flag', blockedIps: '', blockedUserAgents: '' },
      privacy: privacyForm({}),
      landingPages: [],
    };
  }
  const revshare = offer.payoutType === 'revshare';
  return {
    name: offer.name,
    description: offer.description ?? '',
    payoutType: offer.payoutType,
    currency: offer.currency,
    payout: revshare ? percentText(offer.payoutBps) : moneyText(offer.payoutMinor, offer.currency),
    revenue: revshare ? percentText(offer.revenueBps) : moneyText(offer.revenueMinor, offer.currency),
    status: offer.status,
    visibility: offer.visibility,
    destinationUrl: offer.destinationUrl,
    previewUrl: offer.previewUrl ?? '',
    fallbackUrl: offer.fallbackUrl ?? '',
    events: offer.events.join(', '),
    defaultEvent: offer.defaultEvent,
    attributionWindowHours: String(offer.attributionWindowHours),
    postbackSecretMode: 'keep',
    postbackIpAllowlist: offer.postbackIpAllowlist.join('\n'),
    conversionSources: offer.conversionSources ?? 'default',
    countries: offer.targeting.countries.join(', '),
    devices: [...offer.targeting.devices],
    operatingSystems: [...offer.targeting.operatingSystems],
    deepLinksAllowed: offer.deepLinks.allowed ? 'on' : null,
    deepLinkHosts: offer.deepLinks.hosts.join('\n'),
    caps: {
      offer: limits(offer.caps.offer),
      perAffiliate: limits(offer.caps.perAffiliate),
      affiliateOverrides: offer.caps.affiliateOverrides.map((override) => ({
        affiliateId: String(override.affiliateId),
        ...limits(override.limits),
      })),
    },
    fraud: {
      duplicateClickWindowSeconds: String(offer.fraudRules.duplicateClickWindowSeconds),
      maxClicksPerIpPerMinute: offer.fraudRules.maxClicksPerIpPerMinute?.toString() ?? '',
      action: offer.fraudRules.action,
      minSecondsToConvert: offer.fraudRules.minSecondsToConvert?.toString() ?? '',
      maxSecondsToConvert: offer.fraudRules.maxSecondsToConvert?.toString() ?? '',
      blockedIps: offer.fraudRules.blockedIps.join('\n'),
      blockedUserAgents: offer.fraudRules.blockedUserAgents.join('\n'),
    },
    privacy: privacyForm(offer.privacy),
    landingPages: offer.landingPages.map((page) => ({
      id: String(page.id),
      name: page.name,
      url: page.url,
      weight: String(page.weight),
    })),
  };
}

type PrivacyOverride = NonNullable<OfferUpdateRequest['privacy']>;
type PrivacyFields = {
  ipMode?: string;
  userAgentMode?: string;
  consentRequired?: string;
  forwardEuVisitors?: string;
};

const yesNo = (value: boolean | null | undefined) => (value == null ? 'network' : value ? 'yes' : 'no');
const fromYesNo = (value: string | undefined) => (value === 'yes' ? true : value === 'no' ? false : null);

/** The offer's privacy overrides as the form's selects show them ('network': follows the network). */
function privacyForm(privacy: PrivacyOverride) {
  return {
    ipMode: privacy.ipMode ?? 'network',
    userAgentMode: privacy.userAgentMode ?? 'network',
    consentRequired: yesNo(privacy.consentRequired),
    forwardEuVisitors: yesNo(privacy.forwardEuVisitors),
  };
}

/** The selects back into overrides: null follows the network. */
function privacyRequest(privacy: PrivacyFields | undefined): PrivacyOverride {
  const mode = <T extends string>(value: string | undefined) =>
    value === undefined || value === 'network' ? null : (value as T);
  return {
    ipMode: mode<'full' | 'truncated' | 'hashed'>(privacy?.ipMode),
    userAgentMode: mode<'full' | 'parsed'>(privacy?.userAgentMode),
    consentRequired: fromYesNo(privacy?.consentRequired),
    forwardEuVisitors: fromYesNo(privacy?.forwardEuVisitors),
  };
}
