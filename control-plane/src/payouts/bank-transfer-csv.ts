import { formatDecimalAmount } from '@tas/shared/minor-units';
import { and, asc, eq, inArray } from 'drizzle-orm';
import { readPaymentDetails } from '../affiliates/affiliate-service.ts';
import type { PaymentDetailsCipher } from '../crypto/payment-details-cipher.ts';
import type { Database } from '../db/database.ts';
import { affiliates } from '../db/schema/affiliates.ts';
import { payouts } from '../db/schema/payouts.ts';
import { csvLine } from '../reports/csv.ts';

const HEADER = [
  'payout_id',
  'affiliate_id',
  'company_name',
  'currency',
  'amount',
  'amount_minor',
  'status',
  'account_holder',
  'iban',
  'bic',
  'bank_name',
  'instructions',
];

/**
 * A run's bank transfers as CSV for the admins' bank: one line per payout with the affiliate's
 * bank details (decrypted here, for admins only). The payout id is the reference to quote on the
 * transfer, so a payment is matched to its payout when marked paid.
 */
export async function bankTransfersCsv(
  db: Database,
  cipher: PaymentDetailsCipher,
  runId: string,
): Promise<string> {
  const rows = await db
    .select()
    .from(payouts)
    .where(
      and(
        eq(payouts.runId, runId),
        eq(payouts.method, 'bank_transfer'),
        inArray(payouts.status, ['sent', 'paid']),
      ),
    )
    .orderBy(asc(payouts.id));
  const ids = [...new Set(rows.map((r) => r.affiliateId))];
  const owners = ids.length > 0 ? await db.select().from(affiliates).where(inArray(affiliates.id, ids)) : [];
  const byId = new Map(owners.map((a) => [a.id, a]));
  let csv = csvLine(HEADER);
  for (const p of rows) {
    const affiliate = byId.get(p.affiliateId);
    const details = affiliate ? readPaymentDetails(cipher, affiliate) : null;
    const wire = details?.method === 'wire' ? details : null;
    const currency = p.currency.trim();
    csv += csvLine([
      p.id,
      p.affiliateId,
      affiliate?.companyName ?? '',
      currency,
      formatDecimalAmount(p.amountMinor, currency),
      p.amountMinor,
      p.status,
      wire?.accountHolder ?? '',
      wire?.iban ?? '',
      wire?.bic ?? '',
      wire?.bankName ?? '',
      details?.method === 'other' ? details.instructions : '',
    ]);
  }
  return csv;
}
