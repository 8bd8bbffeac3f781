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

/** A template split once into literal text and canonical macro names, alternating. */
type CompiledTemplate = { literals: string[]; macros: MacroName[] };

// Offers' templates are few and used on every click: each is scanned once per isolate/process.
const compiled = new Map<string, CompiledTemplate>();
const MAX_COMPILED = 1000;

function compile(template: string): CompiledTemplate {
  let result = compiled.get(template);
  if (result) return result;
  const literals: string[] = [];
  const macros: MacroName[] = [];
  let text = '';
  let last = 0;
  for (const match of template.matchAll(MACRO_PATTERN)) {
    const canonical = canonicalMacro(match[1]!);
    text += template.slice(last, match.index);
    last = match.index + match[0].length;
    if (canonical) {
      literals.push(text);
      macros.push(canonical);
      text = '';
    } else {
      text += match[0];
    }
  }
  literals.push(text + template.slice(last));
  result = { literals, macros };
  if (compiled.size >= MAX_COMPILED) compiled.clear();
  compiled.set(template, result);
  return result;
}

/** Replaces the macros in `template` with encoded values. */
export function substituteMacros(template: string, values: MacroValues): string {
  const { literals, macros } = compile(template);
  let out = literals[0]!;
  for (let i = 0; i < macros.length; i++) {
    const value = values[macros[i]!];
    if (value !== undefined && value !== null) out += encodeMacroValue(String(value));
    out += literals[i + 1]!;
  }
  return out;
}
