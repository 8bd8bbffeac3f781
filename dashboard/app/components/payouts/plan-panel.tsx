import { SendIcon } from 'lucide-react';
import { Link } from 'react-router';
import { type ColumnDef, DataTable } from '~/components/data-table';
import { Button } from '~/components/ui/button';
import { ConfirmAction } from '~/components/ui/confirm-action';
import { Alert } from '~/components/ui/misc';
import { formatDateTime, formatMoney } from '~/lib/format';
import { METHOD_LABELS, type PayoutLine, SKIP_REASONS } from './labels';
import type { PlanAnswer } from './payouts-actions.server';

/** Sums of minor units per currency, in the order the currencies first appear. */
function totalsByCurrency(lines: PayoutLine[]): { currency: string; totalMinor: number; count: number }[] {
  const totals = new Map<string, { totalMinor: number; count: number }>();
  for (const line of lines) {
    const total = totals.get(line.currency) ?? { totalMinor: 0, count: 0 };
    total.totalMinor += line.amountMinor ?? 0;
    total.count += 1;
    totals.set(line.currency, total);
  }
  return [...totals].map(([currency, total]) => ({ currency, ...total }));
}

const affiliateCell = (line: PayoutLine) => (
  <Link
    to={`/affiliates/${line.affiliateId}`}
    className="font-medium whitespace-nowrap hover:text-primary hover:underline"
  >
    Affiliate #{line.affiliateId}
  </Link>
);

/** The dry run's answer: totals per currency, who would be paid, who is skipped, and the button to pay. */
export function PlanPanel({ plan }: { plan: PlanAnswer }) {
  if (!plan.ok) return <Alert variant="destructive">The payout could not be planned: {plan.message}</Alert>;
  const affiliates = new Set(plan.paid.map((line) => line.affiliateId)).size;
  const totals = totalsByCurrency(plan.paid);

  const paidColumns: ColumnDef<PayoutLine, unknown>[] = [
    {
      id: 'affiliate',
      header: 'Affiliate',
      accessorFn: (l) => l.affiliateId,
      cell: ({ row }) => affiliateCell(row.original),
    },
    { accessorKey: 'currency', header: 'Currency' },
    {
      accessorKey: 'method',
      header: 'Method',
      cell: ({ row }) => (row.original.method ? METHOD_LABELS[row.original.method] : '–'),
    },
    {
      accessorKey: 'heldMinor',
      header: 'Held',
      meta: { numeric: true },
      cell: ({ row }) => (
        <span className="text-muted-foreground">
          {formatMoney(row.original.heldMinor, row.original.currency)}
        </span>
      ),
    },
    {
      accessorKey: 'amountMinor',
      header: 'To pay',
      meta: { numeric: true },
      cell: ({ row }) => (
        <span className="font-medium">{formatMoney(row.original.amountMinor, row.original.currency)}</span>
      ),
    },
  ];
  const skippedColumns: ColumnDef<PayoutLine, unknown>[] = [
    {
      id: 'affiliate',
      header: 'Affiliate',
      accessorFn: (l) => l.affiliateId,
      cell: ({ row }) => affiliateCell(row.original),
    },
    { accessorKey: 'currency', header: 'Currency' },
    {
      accessorKey: 'skipReason',
      header: 'Why',
      cell: ({ row }) => (row.original.skipReason ? SKIP_REASONS[row.original.skipReason] : '–'),
    },
    {
      accessorKey: 'heldMinor',
      header: 'Held',
      meta: { numeric: true },
      cell: ({ row }) => (
        <span className="text-muted-foreground">
          {formatMoney(row.original.heldMinor, row.original.currency)}
        </span>
      ),
    },
    {
      accessorKey: 'dueMinor',
      header: 'Due',
      meta: { numeric: true },
      cell: ({ row }) => formatMoney(row.original.dueMinor, row.original.currency),
    },
    {
      accessorKey: 'minimumMinor',
      header: 'Minimum',
      meta: { numeric: true },
      cell: ({ row }) => (
        <span className="text-muted-foreground">
          {formatMoney(row.original.minimumMinor, row.original.currency)}
        </span>
      ),
    },
  ];

  return (
    <section aria-labelledby="plan-title" className="grid gap-5 rounded-lg border bg-muted/30 p-4">
      <div className="flex flex-col gap-3 sm:flex-row sm:items-start sm:justify-between">
        <div className="grid gap-1">
          <h3 id="plan-title" className="font-semibold">
            {affiliates === 0
              ? 'Nobody is due a payout'
              : `${affiliates} affiliate${affiliates === 1 ? '' : 's'} would be paid`}
          </h3>
          <p className="text-sm text-muted-foreground">
            Earnings approved up to {formatDateTime(plan.cutoff)} UTC
            {plan.schedule ? `, affiliates paid ${plan.schedule}` : ''}. Nothing has moved yet.
          </p>
        </div>
        {affiliates > 0 ? (
          <ConfirmAction
            trigger={
              <Button>
                <SendIcon aria-hidden /> Pay {affiliates} affiliate{affiliates === 1 ? '' : 's'}
              </Button>
            }
            title={`Pay ${affiliates} affiliate${affiliates === 1 ? '' : 's'}?`}
            description="Their balances are debited and the payouts sent through Stripe, PayPal or listed for bank transfer. This cannot be undone."
            confirmLabel="Pay now"
            fields={{ intent: 'pay', schedule: plan.schedule ?? '' }}
          >
            <ul className="grid gap-1 text-sm">
              {totals.map((total) => (
                <li key={total.currency} className="flex justify-between gap-4">
                  <span className="text-muted-foreground">
                    {total.currency} · {total.count} payout{total.count === 1 ? '' : 's'}
                  </span>
                  <span className="font-medium tabular-nums">
                    {formatMoney(total.totalMinor, total.currency)}
                  </span>
                </li>
              ))}
            </ul>
          </ConfirmAction>
        ) : null}
      </div>
      {totals.length > 0 ? (
        <ul aria-label="Totals per currency" className="grid gap-3 sm:grid-cols-2 lg:grid-cols-4">
          {totals.map((total) => (
            <li key={total.currency} className="rounded-lg border bg-card p-4">
              <p className="text-xs font-medium tracking-wide text-muted-foreground uppercase">
                Total · {total.currency}
              </p>
              <p className="mt-1 text-2xl font-semibold tabular-nums">
                {formatMoney(total.totalMinor, total.currency)}
              </p>
              <p className="text-xs text-muted-foreground">
                {total.count} payout{total.count === 1 ? '' : 's'}
              </p>
            </li>
          ))}
        </ul>
      ) : null}
      {plan.paid.length > 0 ? (
        <div className="grid gap-2">
          <h4 className="text-sm font-semibold">Would be paid</h4>
          <DataTable columns={paidColumns} data={plan.paid} caption="Would be paid" />
        </div>
      ) : null}
      <div className="grid gap-2">
        <h4 className="text-sm font-semibold">Skipped</h4>
        {plan.skipped.length > 0 ? (
          <DataTable columns={skippedColumns} data={plan.skipped} caption="Skipped" />
        ) : (
          <p className="text-sm text-muted-foreground">Nobody with a balance is skipped.</p>
        )}
      </div>
    </section>
  );
}
