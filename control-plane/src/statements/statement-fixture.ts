import { type Statement, statementSchema } from './statement.ts';

/** A statement for tests: an affiliate payout with a reversal clawed back, in USD. */
export function sampleStatement(overrides: Partial<Statement> = {}): Statement {
  return statementSchema.parse({
    kind: 'affiliate_payout',
    number: 'PO-2026-11-0007',
    issuedAt: '2026-11-29T12:00:00.000Z',
    periodFrom: '2026-11-01',
    periodTo: '2026-11-30',
    currency: 'USD',
    network: { name: 'TAS Demo Network', address: '1 Example Street\nBerlin' },
    party: { kind: 'affiliate', id: 7, name: 'Blue Media', email: 'pay@blue.example' },
    lines: [
      {
        date: '2026-11-03',
        description: 'Acme Shop - first order (CPA): approved conversions',
        quantity: 120,
        amountMinor: 180_000,
      },
      {
        date: '2026-11-17',
        description: 'Reversal: order A-1009 refunded',
        quantity: 1,
        amountMinor: -1_500,
      },
    ],
    summary: [
      { label: 'Approved conversions', amountMinor: 180_000 },
      { label: 'Reversals', amountMinor: -1_500 },
    ],
    total: { label: 'Paid by Stripe', amountMinor: 178_500 },
    notes: 'Conversions approved in the last 7 days are held until the next payout.',
    ...overrides,
  });
}
