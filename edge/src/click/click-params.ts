import { cleanText } from '@tas/shared/clean-text';
import { readConsentSignals } from '@tas/shared/consent';
import { MAX_ENTITY_ID } from '@tas/shared/ids';

/** Names the industry uses for the same parameter (tracking contract, section 1). First wins. */
const ALIASES = {
  affiliateId: ['aff_id', 'affiliate_id'],
  sub1: ['sub1', 'aff_sub'],
  sub2: ['sub2', 'aff_sub2'],
  sub3: ['sub3', 'aff_sub3'],
  sub4: ['sub4', 'aff_sub4'],
  sub5: ['sub5', 'aff_sub5'],
  sourceId: ['source_id'],
  creativeId: ['creative_id'],
  deepLink: ['url'],
} as const;

const SUB_MAX = 255;

/** Query parameters, first value of each name (Hono's `c.req.query()`, parsed in JS). */
type Query = Readonly<Record<string, string | undefined>>;

function first(query: Query, names: readonly string[]): string | null {
  for (const name of names) {
    const value = query[name];
    if (value !== undefined && value !== '') return value;
  }
  return null;
}

// The same rule as entityIdParamSchema in @tas/shared/ids (digits, no sign or leading zero, at
// most MAX_ENTITY_ID), without zod on the hot path.
const ID_PATTERN = /^[1-9]\d{0,9}$/;
function id(value: string | null | undefined): number | null {
  if (value === null || value === undefined || !ID_PATTERN.test(value)) return null;
  const n = Number(value);
  return n <= MAX_ENTITY_ID ? n : null;
}

/**
 * Reads `/c/{offer}[/{affiliate}]?aff_id=..&sub1=..` into typed values. Never throws: ids that
 * are not ids (or beyond their database column) become null; text values lose their control
 * characters and are cut to their bound (a click is never lost for a long or noisy sub).
 */
export function parseClickParams(offerSegment: string, affiliateSegment: string | undefined, query: Query) {
  const rawAffiliate = affiliateSegment ?? first(query, ALIASES.affiliateId);
  const text = (names: readonly string[], max = SUB_MAX) => cleanText(first(query, names), max);
  return {
    offerId: id(offerSegment),
    affiliateId: id(rawAffiliate),
    /** True when an affiliate id was given but is not a valid id (vs. not given at all). */
    affiliateIdGiven: rawAffiliate !== null,
    sub1: text(ALIASES.sub1),
    sub2: text(ALIASES.sub2),
    sub3: text(ALIASES.sub3),
    sub4: text(ALIASES.sub4),
    sub5: text(ALIASES.sub5),
    sourceId: text(ALIASES.sourceId),
    creativeId: id(first(query, ALIASES.creativeId)),
    deepLink: first(query, ALIASES.deepLink),
    gclid: text(['gclid']),
    fbclid: text(['fbclid'], 512),
    msclkid: text(['msclkid']),
    ttclid: text(['ttclid']),
    gbraid: text(['gbraid']),
    wbraid: text(['wbraid']),
    /** consent, gdpr + gdpr_consent (IAB TCF), ad_user_data + ad_personalization (consent mode). */
    consent: readConsentSignals((name) => first(query, [name])),
  };
}
export type ClickParams = ReturnType<typeof parseClickParams>;
