import { describe, expect, it } from 'vitest';
import { formatStatementMoney } from './statement.ts';
import { sampleStatement } from './statement-fixture.ts';
import { renderStatementHtml } from './statement-html.ts';

describe('renderStatementHtml', () => {
  it('shows the party, the period, every line and the total, in the currency of the statement', () => {
    const html = renderStatementHtml(sampleStatement());
    expect(html).toContain('<title>Affiliate payout statement PO-2026-11-0007</title>');
    expect(html).toContain('1 Nov 2026 – 30 Nov 2026');
    expect(html).toContain('Affiliate #7');
    expect(html).toContain('Blue Media');
    expect(html).toContain('$1,800.00');
    expect(html).toContain('-$15.00');
    expect(html).toMatch(/Paid by Stripe<\/th><td class="num">\$1,785.00/);
  });

  it('escapes whatever accounts and users typed, and loads nothing from outside', () => {
    const html = renderStatementHtml(
      sampleStatement({
        party: { kind: 'advertiser', id: 3, name: '<script>alert(1)</script>', email: 'a"b@x.example' },
        notes: "</p><img src=x onerror='x'>",
      }),
    );
    expect(html).not.toContain('<script>alert');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('a&quot;b@x.example');
    expect(html).not.toContain('<img');
    expect(html).toContain("default-src 'none'");
    expect(html).not.toMatch(/<[^>]+\s(src|href)=/);
  });

  it('says so when nothing happened in the period', () => {
    expect(renderStatementHtml(sampleStatement({ lines: [] }))).toContain('Nothing in this period.');
  });
});

describe('formatStatementMoney', () => {
  it('formats minor units exactly, with the decimals of each currency', () => {
    expect(formatStatementMoney(123_456_789_012_345, 'USD')).toBe('$1,234,567,890,123.45');
    expect(formatStatementMoney(-1200, 'JPY')).toBe('-¥1,200');
    expect(formatStatementMoney(1_234_567, 'KWD')).toBe('KWD\u00a01,234.567');
    expect(formatStatementMoney(5, 'EUR')).toBe('€0.05');
  });
});
