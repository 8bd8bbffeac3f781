import { SendIcon } from 'lucide-react';
import { Link } from 'react-router';
import { type ColumnDef, DataTable } from '~/components/data-table';
import { Button } from '~/components/ui/button';
import { ConfirmAction } from '~/components/ui/confirm-action';
import { Alert } from '~/components/ui/misc';
import { formatDate, formatMoney } from '~/lib/format';
import type { PreviewAnswer } from './invoices-actions.server';
import { type InvoiceDecision, OUTCOME_LABELS } from './labels';

/** Sums of minor units per currency, in the order the currencies first appear. */
function totalsByCurrency(decisions: InvoiceDecision[]) {
  const totals = new Map<string, { totalMinor: number; count: number }>();
  for (const d of decisions) {
    const total = totals.get(d.currency) ?? { totalMinor: 0, count: 0 };
    total.totalMinor += d.amountMinor;
    total.count += 1;
    totals.set(d.currency, total);
  }
  return [...totals].map(([currency, total]) => ({ currency, ...total }));
}

const advertiserCell = (d: InvoiceDecision) => (
  <Link
    to={`/advertisers/${d.advertiserId}`}
    className="font-medium whitespace-nowrap hover:text-primary hover:underline"
  >
    {d.advertiserName}
  </Link>
);

const periodCell = (d: InvoiceDecision) => (
  <div className="grid whitespace-nowrap">
    <span>{d.period}</span>
    <span className="text-xs text-muted-foreground">from {formatDate(d.periodStart)}</span>
  </div>
);

/** The dry run's answer: totals per currency, who would be invoiced what, who owes nothing, and the button to send. */
export function RunPanel({ preview }: { preview: PreviewAnswer }) {
  if (!preview.ok)
    return <Alert variant="destructive">Invoicing could not be previewed: {preview.message}</Alert>;
  const due = preview.decisions.filter((d) => d.outcome === 'invoice');
  const nothing = preview.decisions.filter((d) => d.outcome !== 'invoice');
  const totals = totalsByCurrency(due);
  const plural = (n: number) => `${n} invoice${n === 1 ? '' : 's'}`;

  const dueColumns: ColumnDef<InvoiceDecision, unknown>[] = [
    {
      id: 'advertiser',
      header: 'Advertiser',
      accessorFn: (d) => d.advertiserName,
      cell: ({ row }) => advertiserCell(row.original),
    },
    { accessorKey: 'period', header: 'Period', cell: ({ row }) => periodCell(row.original) },
    { accessorKey: 'currency', header: 'Currency' },
    {
      accessorKey: 'chargesMinor',
      header: 'Conversions',
      meta: { numeric: true },
      cell: ({ row }) => (
        <span className="text-muted-foreground">
          {formatMoney(row.original.chargesMinor, row.original.currency)}
        </span>
      ),
    },
    {
      accessorKey: 'amountMinor',
      header: 'To invoice',
      meta: { numeric: true },
      cell: ({ row }) => (
        <span className="font-medium">{formatMoney(row.original.amountMinor, row.original.currency)}</span>
      ),
    },
    {
      accessorKey: 'daysUntilDue',
      header: 'Terms',
      meta: { numeric: true },
      cell: ({ row }) => <span className="whitespace-nowrap">net {row.original.daysUntilDue}</span>,
    },
  ];
  const nothingColumns: ColumnDef<InvoiceDecision, unknown>[] = [
    {
      id: 'advertiser',
      header: 'Advertiser',
      accessorFn: (d) => d.advertiserName,
      cell: ({ row }) => advertiserCell(row.original),
    },
    { accessorKey: 'period', header: 'Period', cell: ({ row }) => periodCell(row.original) },
    { accessorKey: 'outcome', header: 'Why', cell: ({ row }) => OUTCOME_LABELS[row.original.outcome] },
    {
      accessorKey: 'chargesMinor',
      header: 'Conversions',
      meta: { numeric: true },
      cell: ({ row }) => formatMoney(row.original.chargesMinor, row.original.currency),
    },
  ];

  return (
    <section aria-labelledby="invoicing-title" className="grid gap-5 rounded-lg border bg-muted/30 p-4">
      <div className="flex flex-col gap-3 sm:flex-row sm:items-start sm:justify-between">
        <div className="grid gap-1">
          <h3 id="invoicing-title" className="font-semibold">
            {due.length === 0 ? 'Nobody is due an invoice' : `${plural(due.length)} would be sent`}
          </h3>
          <p className="text-sm text-muted-foreground">
            Postpaid advertisers whose period has ended, for their approved conversions net of reversals.
            Nothing has been sent yet.
          </p>
        </div>
        {due.length > 0 ? (
          <ConfirmAction
            trigger={
              <Button>
                <SendIcon aria-hidden /> Send {plural(due.length)}
              </Button>
            }
            title={`Send ${plural(due.length)}?`}
            description="Each is created in Stripe Invoicing with the advertiser's net terms and emailed to it. An invoice is never sent twice, even if this is run again."
            confirmLabel="Send invoices"
            fields={{ intent: 'run' }}
          >
            <ul className="grid gap-1 text-sm">
              {totals.map((total) => (
                <li key={total.currency} className="flex justify-between gap-4">
                  <span className="text-muted-foreground">
                    {total.currency} · {plural(total.count)}
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
              <p className="text-xs text-muted-foreground">{plural(total.count)}</p>
            </li>
          ))}
        </ul>
      ) : null}
      {due.length > 0 ? (
        <div className="grid gap-2">
          <h4 className="text-sm font-semibold">Would be invoiced</h4>
          <DataTable columns={dueColumns} data={due} caption="Would be invoiced" />
        </div>
      ) : null}
      <div className="grid gap-2">
        <h4 className="text-sm font-semibold">Nothing due</h4>
        {nothing.length > 0 ? (
          <DataTable columns={nothingColumns} data={nothing} caption="Nothing due" />
        ) : (
          <p className="text-sm text-muted-foreground">
            Every postpaid advertiser with movements owes an invoice.
          </p>
        )}
      </div>
    </section>
  );
}
