/**
 * Macro substitution for redirect destinations and outgoing postbacks (tracking contract,
 * sections 1 and 5). `{name}` is replaced by the percent-encoded value; aliases used by TUNE and
 * Everflow resolve to the same value; a known macro without a value becomes empty; an unknown
 * `{anything}` stays as written, so advertisers' own braces survive.
 */
export const MACRO_NAMES = [
  'click_id',
  'offer_id',
  'aff_id',
  'sub1',
  'sub2',
  'sub3',
  'sub4',
  'sub5',
  'source_id',
  'country',
  'creative_id',
  'event',
  'payout',
  'currency',
  'txid',
  'conversion_id',
  'status',
  'ip',
  'timestamp',
] as const;
export type MacroName = (typeof MACRO_NAMES)[number];
export type MacroValues = Partial<Record<MacroName, string | number | null | undefined>>;

export const MACRO_ALIASES: Readonly<Record<string, MacroName>> = {
  transaction_id: 'click_id',
  affiliate_id: 'aff_id',
  aff_sub: 'sub1',
  aff_sub2: 'sub2',
  aff_sub3: 'sub3',
  aff_sub4: 'sub4',
  aff_sub5: 'sub5',
};

const KNOWN = new Set<string>(MACRO_NAMES);
const MACRO_PATTERN = /\{([a-z0-9_]{1,32})\}/g;

/** Resolves a macro name or alias to its canonical name, or null when it is not ours. */
export function canonicalMacro(name: string): MacroName | null {
  if (KNOWN.has(name)) return name as MacroName;
  return MACRO_ALIASES[name] ?? null;
}

/**
 * Percent-encodes a value for any position in a URL: everything but RFC 3986 unreserved
 * characters is encoded (encodeURIComponent leaves `!'()*` alone; we do not). Lone surrogates
 * become U+FFFD instead of throwing.
 */
export function encodeMacroValue(value: string): string {
  return encodeURIComponent(value.toWellFormed()).replace(
    /[!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

/** Replaces the macros in `template` with encoded values. */
export function substituteMacros(template: string, values: MacroValues): string {
  return template.replace(MACRO_PATTERN, (whole, name: string) => {
    const canonical = canonicalMacro(name);
    if (!canonical) return whole;
    const value = values[canonical];
    return value === undefined || value === null ? '' : encodeMacroValue(String(value));
  });
}
