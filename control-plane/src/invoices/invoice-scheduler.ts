import { type PeriodicTask, startPeriodicTask } from '../background/periodic-task.ts';
import { type InvoiceRunDeps, runInvoicing } from './invoice-run.ts';

/**
 * The control plane's invoicing: every `intervalMs` (default an hour) invoices the postpaid
 * advertisers whose period has ended (and finishes what an earlier round left at Stripe). Each
 * invoice's key makes a round that finds nothing new do nothing, however many control planes look.
 * Without Stripe there is nothing to invoice through, and no task.
 */
export function startInvoiceScheduler(deps: InvoiceRunDeps, intervalMs = 60 * 60_000): PeriodicTask | null {
  if (!deps.processors.stripe) return null;
  return startPeriodicTask('invoice scheduler', intervalMs, async () => {
    const result = await runInvoicing(deps, { dryRun: false });
    const invoiced = result.issued.filter((r) => !r.failure).length;
    const failed = result.issued.filter((r) => r.failure);
    if (result.issued.length > 0)
      console.log(
        JSON.stringify({
          msg: 'invoicing round',
          invoiced,
          failed: failed.map((r) => ({ invoice: r.invoice.id, kind: r.failure?.kind })),
        }),
      );
  });
}
