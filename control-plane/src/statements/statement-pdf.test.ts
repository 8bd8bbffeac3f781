import { describe, expect, it } from 'vitest';
import { sampleStatement } from './statement-fixture.ts';
import { renderStatementPdf } from './statement-pdf.ts';

const pages = (pdf: Buffer) => (pdf.toString('latin1').match(/\/Type \/Page\b/g) ?? []).length;

describe('renderStatementPdf', () => {
  it('is a PDF titled with the statement, on one page for a short statement', async () => {
    const pdf = await renderStatementPdf(sampleStatement());
    const text = pdf.toString('latin1');
    expect(text.startsWith('%PDF-')).toBe(true);
    expect(text.trimEnd().endsWith('%%EOF')).toBe(true);
    expect(text).toContain('(Affiliate payout statement PO-2026-11-0007)');
    expect(pages(pdf)).toBe(1);
  });

  it('writes every line and the total on the page (uncompressed, its text is readable)', async () => {
    const pdf = await renderStatementPdf(sampleStatement(), { compress: false });
    // pdfkit writes text as hex strings of the font's codes (Windows-1252 for Helvetica), split
    // where a kerning pair moves a glyph: joined again here.
    const hex = (text: string) => Buffer.from(text, 'latin1').toString('hex');
    const body = pdf
      .toString('latin1')
      .toLowerCase()
      .replace(/>\s*-?\d+(\.\d+)?\s*</g, '');
    // The network's address keeps its two lines.
    for (const text of [
      '1 Example Street',
      'Berlin',
      'Blue Media',
      '$1,800.00',
      '-$15.00',
      '$1,785.00',
      'Paid by Stripe',
      'page 1 of 1',
    ])
      expect(body, text).toContain(hex(text));
    expect(body).not.toContain(hex('Street?Berlin'));
  });

  it('breaks a long statement over pages, numbering each', async () => {
    const lines = Array.from({ length: 150 }, (_, i) => ({
      date: '2026-11-03',
      description: `Conversion ${i + 1}`,
      quantity: 1,
      amountMinor: 1_000,
    }));
    const pdf = await renderStatementPdf(sampleStatement({ lines }), { compress: false });
    const count = pages(pdf);
    expect(count).toBeGreaterThanOrEqual(3);
    const hex = Buffer.from(`page ${count} of ${count}`, 'latin1').toString('hex');
    expect(pdf.toString('latin1').toLowerCase()).toContain(hex);
  });

  it('prints characters Helvetica lacks as "?" rather than garbage', async () => {
    const pdf = await renderStatementPdf(
      sampleStatement({ party: { kind: 'affiliate', id: 7, name: 'Медиа 株式会社', email: null } }),
      { compress: false },
    );
    expect(pdf.toString('latin1').toLowerCase()).toContain(
      Buffer.from('????? ????', 'latin1').toString('hex'),
    );
  });
});
