import { entityIdParamSchema } from '@tas/shared/ids';
import { clip } from '../http/client-info.ts';

/** Names the industry uses for the same parameter (tracking contract, section 1). First wins. */
const ALIASES = {
  affiliateId: ['aff_id', 'affiliate_id'],
  sub1: ['sub1', 'aff_sub'],
  sub2: ['sub2', 'aff_sub2'],
  sub3: ['sub3', 'aff_sub3'],
  sub4: ['sub4', 'aff_sub4'],
  sub5: ['sub5', 'aff_sub5'],
  sourceId: ['source_id'],
} as const;

const SUB_MAX = 255;

export type ClickParams = {
  offerId: number | null;
  affiliateId: number | null;
  /** True when an affiliate id was given but is not a valid id (vs. not given at all). */
  affiliateIdGiven: boolean;
  sub1: string | null;
  sub2: string | null;
  sub3: string | null;
  sub4: string | null;
  sub5: string | null;
  sourceId: string | null;
};

function first(query: URLSearchParams, names: readonly string[]): string | null {
  for (const name of names) {
    const value = query.get(name);
    if (value !== null && value !== '') return value;
  }
  return null;
}

function id(value: string | null | undefined): number | null {
  if (value === null || value === undefined) return null;
  const parsed = entityIdParamSchema.safeParse(value);
  return parsed.success ? parsed.data : null;
}

/** Reads `/c/{offer}[/{affiliate}]?aff_id=..&sub1=..` into typed values; never throws. */
export function parseClickParams(
  offerSegment: string,
  affiliateSegment: string | undefined,
  query: URLSearchParams,
) {
  const rawAffiliate = affiliateSegment ?? first(query, ALIASES.affiliateId);
  const sub = (names: readonly string[]) => clip(first(query, names), SUB_MAX);
  return {
    offerId: id(offerSegment),
    affiliateId: id(rawAffiliate),
    affiliateIdGiven: rawAffiliate !== null,
    sub1: sub(ALIASES.sub1),
    sub2: sub(ALIASES.sub2),
    sub3: sub(ALIASES.sub3),
    sub4: sub(ALIASES.sub4),
    sub5: sub(ALIASES.sub5),
    sourceId: sub(ALIASES.sourceId),
  } satisfies ClickParams;
}
