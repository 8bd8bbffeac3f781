import { describe, expect, it } from 'vitest';
import { invoiceFigures, MAX_OFFER_LINES, type OfferCharge } from './invoice-charges.ts';

const charge = (offerId: number, chargedMinor: number, reversedMinor = 0): OfferCharge => ({
  offerId,
  offerName: `Offer ${offerId}`,
  chargedMinor,
  reversedMinor,
  conversions: chargedMinor > 0 ? 1 : 0,
  reversals: reversedMinor < 0 ? 1 : 0,
});
const sum = (lines: { amountMinor: number }[]) => lines.reduce((s, l) => s + l.amountMinor, 0);

describe('invoiceFigures', () => {
  it('charges each offer its conversions net of reversals, one line each', () => {
    const figures = invoiceFigures([charge(1, 10_000, -2_500), charge(2, 4_000)], 1_000_000);
    expect(figures).toEqual({
      chargesMinor: 11_500,
      amountMinor: 11_500,
      lines: [
        {
          description: 'Offer 1 (offer 1): 1 conversion charged, 1 reversed or lowered',
          amountMinor: 7_500,
          offerId: 1,
        },
        { description: 'Offer 2 (offer 2): 1 conversion charged', amountMinor: 4_000, offerId: 2 },
      ],
    });
  });

  it('asks nothing when reversals outweigh the charges, or the balance covers them', () => {
    expect(invoiceFigures([charge(1, 1_000, -3_000)], 50_000).amountMinor).toBe(0);
    expect(invoiceFigures([charge(1, 1_000, -1_000)], 50_000)).toEqual({
      chargesMinor: 0,
      amountMinor: 0,
      lines: [],
    });
    expect(invoiceFigures([charge(1, 8_000)], -2_000)).toEqual({
      chargesMinor: 8_000,
      amountMinor: 0,
      lines: [],
    });
    expect(invoiceFigures([], 10_000).amountMinor).toBe(0);
  });

  it('applies a prepaid balance as a line of its own, so the lines add up to what is asked', () => {
    const figures = invoiceFigures([charge(1, 8_000), charge(2, 2_000)], 6_000);
    expect(figures.amountMinor).toBe(6_000);
    expect(figures.lines.at(-1)).toEqual({
      description: 'Covered by your balance (prepaid funds, earlier credits)',
      amountMinor: -4_000,
      offerId: null,
    });
    expect(sum(figures.lines)).toBe(6_000);
  });

  it("keeps within Stripe's 250 items, the smallest offers sharing a line", () => {
    const many = Array.from({ length: 300 }, (_, i) => charge(i + 1, (i + 1) * 100));
    const figures = invoiceFigures(many, 10 ** 12);
    expect(figures.lines.length).toBe(MAX_OFFER_LINES);
    expect(figures.lines.at(-1)?.description).toBe('52 other offers');
    expect(sum(figures.lines)).toBe(figures.amountMinor);
    expect(figures.amountMinor).toBe((300 * 301 * 100) / 2);
  });
});
