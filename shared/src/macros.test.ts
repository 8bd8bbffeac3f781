import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalMacro, encodeMacroValue, substituteMacros } from './macros.ts';

describe('substituteMacros', () => {
  it('substitutes click macros and their aliases', () => {
    const url = substituteMacros(
      'https://adv.test/l?cid={click_id}&t={transaction_id}&o={offer_id}&a={aff_id}&s={sub1}&s2={aff_sub2}&src={source_id}&c={country}',
      { click_id: 'abc', offer_id: 12, aff_id: 7, sub1: 'x y', sub2: 'z', source_id: 'fb', country: 'DE' },
    );
    expect(url).toBe('https://adv.test/l?cid=abc&t=abc&o=12&a=7&s=x%20y&s2=z&src=fb&c=DE');
  });

  it('leaves unknown macros as they are and empties known macros without a value', () => {
    expect(substituteMacros('https://a.test/?x={unknown}&y={sub3}&z={Sub1}', {})).toBe(
      'https://a.test/?x={unknown}&y=&z={Sub1}',
    );
  });

  it('encodes every reserved character and survives lone surrogates', () => {
    expect(encodeMacroValue("a&b=c?d#e/f!'()*")).toBe('a%26b%3Dc%3Fd%23e%2Ff%21%27%28%29%2A');
    expect(encodeMacroValue('\ud800x')).toBe('%EF%BF%BDx');
  });

  it('always encodes values: the URL parses back to exactly the value, and nothing else changes', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme' }), fc.string(), (value, other) => {
        const url = substituteMacros('https://adv.test/p?a={sub1}&b=1&c={sub2}', {
          sub1: value,
          sub2: other,
        });
        const parsed = new URL(url);
        expect(parsed.host).toBe('adv.test');
        expect(parsed.pathname).toBe('/p');
        expect([...parsed.searchParams.keys()]).toEqual(['a', 'b', 'c']);
        expect(parsed.searchParams.get('a')).toBe(value);
        expect(parsed.searchParams.get('c')).toBe(other.toWellFormed());
        expect(url.slice('https://adv.test/p?'.length)).toMatch(/^[A-Za-z0-9\-._~%=&]*$/);
      }),
      { numRuns: 500 },
    );
  });
});

describe('substituteMacros against a plain regex replacement', () => {
  // The reference: what substitution means, written the obvious way.
  const reference = (template: string, values: Record<string, string>) =>
    template.replace(/\{([a-z0-9_]{1,32})\}/g, (whole, name: string) => {
      const canonical = canonicalMacro(name);
      if (!canonical) return whole;
      const value = values[canonical];
      return value === undefined ? '' : encodeMacroValue(value);
    });

  it('agrees on any template and values', () => {
    const piece = fc.oneof(
      fc.string({ maxLength: 8 }),
      fc.constantFrom(
        '{click_id}',
        '{sub1}',
        '{aff_sub2}',
        '{transaction_id}',
        '{unknown}',
        '{',
        '}',
        '{{sub1}}',
        '{Sub1}',
      ),
    );
    fc.assert(
      fc.property(
        fc.array(piece, { maxLength: 8 }).map((parts) => parts.join('')),
        fc.dictionary(fc.constantFrom('click_id', 'sub1', 'sub2', 'offer_id'), fc.string()),
        (template, values) => {
          expect(substituteMacros(template, values)).toBe(reference(template, values));
        },
      ),
      { numRuns: 1000 },
    );
  });
});
