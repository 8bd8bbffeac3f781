import type { ReconciliationDifference } from '../ledger/reconciliation-check.ts';

/**
 * How TAS's records and a processor's differ:
 * - `processor_amount_mismatch`: amounts or currencies differ (expected: the processor's figure,
 *   actual: TAS's);
 * - `processor_status_mismatch`: one side says the money moved, the other not (paid but never
 *   credited, paid in TAS but reversed at the processor...);
 * - `processor_destination_mismatch`: a transfer went to another account than the affiliate's;
 * - `processor_record_missing`: TAS names a record the processor does not have;
 * - `processor_unknown_record`: the processor has a record made with TAS's keys that TAS does not
 *   know;
 * - `processor_duplicate_record`: the processor made two records for one TAS key (paid twice).
 */
export type ProcessorDifferenceCode =
  | 'processor_amount_mismatch'
  | 'processor_status_mismatch'
  | 'processor_destination_mismatch'
  | 'processor_record_missing'
  | 'processor_unknown_record'
  | 'processor_duplicate_record';

/** A difference of the `processors` check, naming whatever ids it has. */
export function processorDifference(
  processor: 'stripe' | 'paypal',
  code: ProcessorDifferenceCode,
  message: string,
  ids: {
    processorRecordId?: string | null;
    payoutId?: string | null;
    topUpId?: string | null;
    transferId?: number | null;
    expectedMinor?: number | null;
    actualMinor?: number | null;
  },
): ReconciliationDifference {
  return {
    check: 'processors',
    code,
    message,
    processor,
    processorRecordId: ids.processorRecordId ?? null,
    payoutId: ids.payoutId ?? null,
    topUpId: ids.topUpId ?? null,
    transferId: ids.transferId ?? null,
    conversionId: null,
    account: null,
    layer: null,
    expectedMinor: ids.expectedMinor ?? null,
    actualMinor: ids.actualMinor ?? null,
  };
}
