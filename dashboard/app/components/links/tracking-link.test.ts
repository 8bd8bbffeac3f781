import { describe, expect, it } from 'vitest';
import {
  buildTrackingLink,
  bulkLinks,
  checkDeepLink,
  EMPTY_LINK_PARAMS,
  parseBulkInput,
  parseCsv,
  toCsv,
} from './tracking-link';

const BASE = 'https://go.tas.test/c/7?aff_id=3';

describe('buildTrackingLink', () => {
  it('appends filled parameters after the base, percent-encoding every reserved character', () => {
    expect(
      buildTrackingLink(BASE, { sub1: 'summer sale', sub2: 'a&b=c', sub3: '', source_id: 'fb+ig#1' }),
    ).toBe('https://go.tas.test/c/7?aff_id=3&sub1=summer%20sale&sub2=a%26b%3Dc&source_id=fb%2Big%231');
    expect(buildTrackingLink(BASE, { sub1: "it's (ok)*" })).toBe(`${BASE}&sub1=it%27s%20%28ok%29%2A`);
    expect(buildTrackingLink(BASE, { url: 'https://shop.example/p?id=1&x=2' })).toBe(
      `${BASE}&url=https%3A%2F%2Fshop.example%2Fp%3Fid%3D1%26x%3D2`,
    );
  });

  it('keeps the base as it is when nothing is filled, and starts a query when it has none', () => {
    expect(buildTrackingLink(BASE, EMPTY_LINK_PARAMS)).toBe(BASE);
    expect(buildTrackingLink('https://go.tas.test/c/7/3', { sub1: 'x' })).toBe(
      'https://go.tas.test/c/7/3?sub1=x',
    );
  });
});

describe('checkDeepLink', () => {
  const hosts = ['shop.example', '*.brand.example'];
  it('accepts listed hosts and subdomains of a wildcard', () => {
    expect(checkDeepLink('https://shop.example/shoes', hosts)).toBeNull();
    expect(checkDeepLink('https://eu.brand.example/x', hosts)).toBeNull();
    expect(checkDeepLink('', hosts)).toBeNull();
  });
  it('refuses other hosts, other schemes, credentials and what is not a URL', () => {
    expect(checkDeepLink('https://evil.example/', hosts)).toMatch(/not among the hosts/);
    expect(checkDeepLink('https://brand.example/', hosts)).toMatch(/not among the hosts/);
    expect(checkDeepLink('https://shop.example.evil.test/', hosts)).toMatch(/not among the hosts/);
    expect(checkDeepLink('javascript:alert(1)', hosts)).toMatch(/http and https/);
    expect(checkDeepLink('https://u:p@shop.example/', hosts)).toMatch(/user name/);
    expect(checkDeepLink('shop.example/shoes', hosts)).toMatch(/full address/);
  });
});

describe('bulk export', () => {
  it('reads one value a line, CSV with a header, and quoted fields', () => {
    expect(parseBulkInput('a\n\nb c\r\n').map((r) => r.params)).toEqual([{ sub1: 'a' }, { sub1: 'b c' }]);
    expect(parseBulkInput('source_id,sub2\nsite,"x, y"\n').map((r) => r.params)).toEqual([
      { source_id: 'site', sub2: 'x, y' },
    ]);
    expect(parseBulkInput('a,b\nc,d').map((r) => r.params)).toEqual([
      { sub1: 'a', sub2: 'b' },
      { sub1: 'c', sub2: 'd' },
    ]);
    expect(parseCsv('"he said ""hi""",2')).toEqual([['he said "hi"', '2']]);
  });

  it('writes a CSV of links, defusing formulas, and reports refused deep links', () => {
    const rows = parseBulkInput('sub1,url\nkw 1,https://shop.example/a\n=cmd,https://evil.example/\nkw3,');
    const result = bulkLinks(BASE, { ...EMPTY_LINK_PARAMS, source_id: 'blog' }, rows, ['shop.example']);
    expect(result.count).toBe(2);
    expect(result.errors).toEqual(['Line 3: evil.example is not among the hosts this offer allows.']);
    expect(result.csv).toBe(
      'sub1,source_id,url,tracking_link\r\n' +
        `kw 1,blog,https://shop.example/a,${BASE}&sub1=kw%201&source_id=blog&url=https%3A%2F%2Fshop.example%2Fa\r\n` +
        `kw3,blog,,${BASE}&sub1=kw3&source_id=blog\r\n`,
    );
    expect(toCsv(['a'], [['=1+1'], ['x,"y"']])).toBe('a\r\n\'=1+1\r\n"x,""y"""\r\n');
  });
});
