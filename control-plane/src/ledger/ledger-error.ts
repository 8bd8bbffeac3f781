/**
 * A write the ledger refuses: `unbalanced` (entries do not net to zero per currency and layer),
 * `idempotency_conflict` (a key already names another movement of money), `invalid_transfer`
 * (anything else about the transfer's shape). These are bugs of the caller, never of the data
 * sent by an advertiser or affiliate, so they are not turned into API errors.
 */
export class LedgerError extends Error {
  readonly code: 'unbalanced' | 'idempotency_conflict' | 'invalid_transfer';
  constructor(code: LedgerError['code'], message: string) {
    super(message);
    this.name = 'LedgerError';
    this.code = code;
  }
}
