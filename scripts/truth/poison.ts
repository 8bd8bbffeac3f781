import type { TruthOffer } from './offers.ts';
import type { Random } from './random.ts';

/**
 * Inputs that broke, or could break, counting: each reaches the edge exactly as an affiliate's
 * link or an advertiser's postback could send it. The harness does not say how the edge must
 * answer them; it checks that whatever the edge accepted is counted once, or quarantined with a
 * reason, and that none of them takes good events down with it.
 */

/** Percent-encodes every character of `text`, control characters and non-ASCII included. */
export const encodeAll = (text: string) =>
  encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16)}`);

const CONTROL = Array.from({ length: 31 }, (_, i) => String.fromCharCode(i + 1)).join('');
/** `length` characters cycling through `alphabet`. */
const cycle = (alphabet: string, length: number) =>
  Array.from({ length }, (_, i) => alphabet[i % alphabet.length]).join('');
export const CJK = '統計真実測定広告転換點擊數據庫隊列邊緣計數器';

export type ClickPoison = {
  name: string;
  offer: TruthOffer['role'];
  query: (random: Random) => string;
  userAgent?: string;
  /** A different path than /c/{offer}, e.g. an id out of range in the path itself. */
  path?: string;
};

export const CLICK_POISONS: ClickPoison[] = [
  { name: 'nul-in-sub', offer: 'cpa', query: () => 'aff_id=1&sub1=%00x' },
  {
    name: 'control-chars-in-subs',
    offer: 'revshare',
    query: () => `aff_id=1&sub1=${encodeAll(CONTROL)}&sub2=a%1B%5B31mred&gclid=%07%08`,
  },
  { name: 'creative-id-out-of-range', offer: 'cpa', query: () => 'aff_id=1&creative_id=4000000000' },
  {
    name: 'subs-300-chars',
    offer: 'cpc',
    query: () => `aff_id=1&${[1, 2, 3, 4, 5].map((n) => `sub${n}=${'s'.repeat(300)}`).join('&')}`,
  },
  {
    name: 'invalid-utf8-escapes',
    offer: 'cpa',
    query: () => 'aff_id=1&sub1=%C3%28&sub2=%FF%FE&sub3=%ED%A0%80',
  },
  {
    name: 'huge-user-agent',
    offer: 'secret',
    query: () => 'aff_id=1&sub1=ua',
    userAgent: `Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/131.0.0.0 Safari/537.36 ${'A'.repeat(16_000)}`,
  },
  {
    name: 'cjk-subs',
    offer: 'revshare',
    query: () => `aff_id=1&${[1, 2, 3, 4, 5].map((n) => `sub${n}=${encodeAll(cycle(CJK, 150))}`).join('&')}`,
  },
  {
    name: 'control-chars-everywhere',
    offer: 'cpa',
    query: () => envelopeFillerQuery('control'),
  },
  { name: 'affiliate-id-out-of-range', offer: 'cpa', query: () => 'aff_id=99999999999' },
  {
    name: 'offer-id-out-of-range',
    offer: 'cpa',
    query: () => 'aff_id=1',
    path: '/c/4000000000',
  },
  {
    name: 'emoji-rtl-zero-width',
    offer: 'capped',
    query: () =>
      `aff_id=1&sub1=${encodeAll('😀\u202Eevil\u200B\uFEFF')}&source_id=${encodeAll('🙂'.repeat(200))}`,
  },
  {
    name: 'repeated-params',
    offer: 'cpc',
    query: (r) => `aff_id=1&${Array.from({ length: 500 }, () => `sub1=${r.token(8)}`).join('&')}`,
  },
];

/**
 * Every text field of a click filled, within the edge's 8 KB URL limit: with control characters
 * each character takes 6 bytes of JSON (`\u0001`), three times the 2 bytes per character the
 * edge budgets when it packs clicks under the Queue's 128 KB; CJK takes 3 bytes of UTF-8.
 */
export function envelopeFillerQuery(kind: 'control' | 'cjk'): string {
  const fields = [
    'sub1',
    'sub2',
    'sub3',
    'sub4',
    'sub5',
    'source_id',
    'gclid',
    'msclkid',
    'ttclid',
    'fbclid',
  ];
  // Percent-encoded, a control character is 3 characters of URL and a CJK one 9.
  const perField = kind === 'control' ? 250 : 80;
  const fill = () => encodeAll(kind === 'control' ? cycle(CONTROL, perField) : cycle(CJK, perField));
  return `aff_id=1&${fields.map((f) => `${f}=${fill()}`).join('&')}`;
}

export type ConversionRequest =
  | { via: 'postback'; query: string }
  | { via: 'postback'; json: Record<string, string | number> }
  | { via: 'postback'; form: string }
  | { via: 'pixel'; query: string };

export type ConversionPoison = {
  name: string;
  offer: TruthOffer['role'];
  /** The txid the request carries as the edge will read it (null: none), for dedupe bookkeeping. */
  txid: (base: string) => string | null;
  event?: string;
  build: (clickId: string, base: string) => ConversionRequest;
};

const q = (clickId: string, rest: string): ConversionRequest => ({
  via: 'postback',
  query: `click_id=${clickId}&${rest}`,
});

export const CONVERSION_POISONS: ConversionPoison[] = [
  { name: 'negative-amount', offer: 'cpa', txid: (b) => b, build: (c, b) => q(c, `txid=${b}&amount=-10.00`) },
  {
    name: 'amount-overflow',
    offer: 'revshare',
    txid: (b) => b,
    build: (c, b) => q(c, `txid=${b}&amount=99999999999999999999`),
  },
  {
    name: 'amount-at-max-safe-integer',
    offer: 'revshare',
    txid: (b) => b,
    build: (c, b) => q(c, `txid=${b}&amount=90071992547409.91`),
  },
  {
    name: 'foreign-currency',
    offer: 'cpa',
    txid: (b) => b,
    build: (c, b) => q(c, `txid=${b}&amount=12.34&currency=EUR`),
  },
  {
    name: 'huge-amount-zero-decimal-currency',
    offer: 'revshare',
    txid: (b) => b,
    build: (c, b) => q(c, `txid=${b}&amount=999999999999999&currency=JPY`),
  },
  {
    name: 'bad-currency',
    offer: 'cpa',
    txid: (b) => b,
    build: (c, b) => q(c, `txid=${b}&amount=1&currency=us%24`),
  },
  { name: 'amount-exponent', offer: 'cpa', txid: (b) => b, build: (c, b) => q(c, `txid=${b}&amount=1e5`) },
  {
    name: 'nul-txid-pixel',
    offer: 'cpa',
    txid: () => '\u0000',
    build: (c) => ({ via: 'pixel', query: `click_id=${c}&txid=%00` }),
  },
  {
    name: 'nul-in-txid',
    offer: 'cpa',
    txid: (b) => `\u0000${b}`,
    build: (c, b) => q(c, `txid=%00${b}&amount=5`),
  },
  {
    name: 'control-chars-in-txid',
    offer: 'revshare',
    txid: (b) => `${b}\u0001\u001b[31m`,
    build: (c, b) => q(c, `txid=${b}%01%1B%5B31m&amount=5`),
  },
  {
    name: 'invalid-utf8-txid',
    offer: 'cpc',
    txid: () => null,
    build: (c, b) => ({ via: 'pixel', query: `click_id=${c}&txid=${b}%C3%28` }),
  },
  {
    name: 'txid-300-chars',
    offer: 'cpa',
    txid: (b) => b + 't'.repeat(300),
    build: (c, b) => q(c, `txid=${b}${'t'.repeat(300)}`),
  },
  {
    name: 'cjk-txid-255',
    offer: 'capped',
    txid: (b) => b + cycle(CJK, 255 - b.length),
    build: (c, b) => q(c, `txid=${b}${encodeAll(cycle(CJK, 255 - b.length))}&amount=3`),
  },
  { name: 'bad-status', offer: 'cpa', txid: (b) => b, build: (c, b) => q(c, `txid=${b}&status=maybe`) },
  {
    name: 'unknown-event',
    offer: 'cpa',
    txid: (b) => b,
    event: 'refund',
    build: (c, b) => q(c, `txid=${b}&event=refund`),
  },
  {
    name: 'nul-event',
    offer: 'cpa',
    txid: (b) => b,
    event: '\u0000',
    build: (c, b) => q(c, `txid=${b}&event=%00`),
  },
  {
    name: 'forged-click-id',
    offer: 'cpa',
    txid: (b) => b,
    build: (_c, b) => ({ via: 'postback', query: `click_id=${'A'.repeat(44)}&txid=${b}` }),
  },
  {
    name: 'mangled-click-id',
    offer: 'cpa',
    txid: (b) => b,
    build: (c, b) => q(`${c.slice(0, 20)}${c[20] === 'A' ? 'B' : 'A'}${c.slice(21)}`, `txid=${b}`),
  },
  { name: 'missing-secret', offer: 'secret', txid: (b) => b, build: (c, b) => q(c, `txid=${b}&amount=10`) },
  { name: 'wrong-secret', offer: 'secret', txid: (b) => b, build: (c, b) => q(c, `txid=${b}&secret=guess`) },
  {
    name: 'json-body-nested-values',
    offer: 'cpa',
    txid: (b) => b,
    build: (c, b) => ({
      via: 'postback',
      json: { click_id: c, txid: b, amount: 7.5, nested: 'x'.repeat(2000) },
    }),
  },
  {
    name: 'oversized-body',
    offer: 'cpa',
    txid: (b) => b,
    build: (c, b) => ({ via: 'postback', form: `click_id=${c}&txid=${b}&pad=${'p'.repeat(20_000)}` }),
  },
];
