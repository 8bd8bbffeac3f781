import { ExternalLinkIcon } from 'lucide-react';
import { Link } from 'react-router';
import type { ColumnDef } from '~/components/data-table';
import { StatusBadge } from '~/components/status-badge';
import { formatDate, formatMoney } from '~/lib/format';
import { INVOICE_STATUS_LABELS, INVOICE_STATUS_TONES, type Invoice } from './labels';
import { StatementLinks } from './statement-links';

/** The invoice tables' columns: admins see whose invoice it is and what Stripe refused. */
export function invoiceColumns({ admin }: { admin: boolean }): ColumnDef<Invoice, unknown>[] {
  return [
    ...(admin
      ? [
          {
            id: 'advertiser',
            header: 'Advertiser',
            accessorFn: (i: Invoice) => i.advertiserName,
            cell: ({ row }: { row: { original: Invoice } }) => (
              <Link
                to={`/advertisers/${row.original.advertiserId}`}
                className="font-medium whitespace-nowrap hover:text-primary hover:underline"
              >
                {row.original.advertiserName}
              </Link>
            ),
          } satisfies ColumnDef<Invoice, unknown>,
        ]
      : []),
    {
      accessorKey: 'period',
      header: 'Period',
      cell: ({ row }) => (
        <div className="grid whitespace-nowrap">
          <span className="font-medium">{row.original.period}</span>
          <span className="text-xs text-muted-foreground">
            {formatDate(row.original.periodStart)} – {formatDate(lastDay(row.original.periodEnd))}
          </span>
        </div>
      ),
    },
    {
      accessorKey: 'amountMinor',
      header: 'Amount',
      meta: { numeric: true },
      cell: ({ row }) => (
        <span className="font-medium whitespace-nowrap">
          {formatMoney(row.original.amountMinor, row.original.currency)}
        </span>
      ),
    },
    {
      accessorKey: 'status',
      header: 'Status',
      cell: ({ row }) => (
        <div className="grid gap-1">
          <span>
            <StatusBadge
              status={INVOICE_STATUS_TONES[row.original.status]}
              label={INVOICE_STATUS_LABELS[row.original.status]}
            />
          </span>
          {row.original.failure ? (
            <span className="max-w-64 text-xs break-words text-destructive">{row.original.failure}</span>
          ) : null}
        </div>
      ),
    },
    {
      accessorKey: 'dueAt',
      header: 'Due',
      cell: ({ row }) => (
        <span className="whitespace-nowrap text-muted-foreground">
          {row.original.status === 'paid'
            ? `Paid ${formatDate(row.original.paidAt)}`
            : formatDate(row.original.dueAt)}
        </span>
      ),
    },
    {
      id: 'stripe',
      header: 'Invoice',
      enableSorting: false,
      cell: ({ row }) =>
        row.original.hostedInvoiceUrl ? (
          <a
            href={row.original.hostedInvoiceUrl}
            target="_blank"
            rel="noopener noreferrer"
            className="inline-flex items-center gap-1 text-sm font-medium whitespace-nowrap text-primary hover:underline"
          >
            {row.original.status === 'open' && !admin ? 'Pay' : (row.original.number ?? 'View')}
            <ExternalLinkIcon className="size-3.5" aria-hidden />
            <span className="sr-only"> invoice {row.original.number} on Stripe (opens in a new tab)</span>
          </a>
        ) : (
          <span className="text-muted-foreground">–</span>
        ),
    },
    {
      id: 'statement',
      header: 'Statement',
      enableSorting: false,
      cell: ({ row }) => <StatementLinks statement={row.original} />,
    },
  ];
}

/** The last day a half-open period covers (its end is the next period's first instant). */
const lastDay = (endIso: string) => new Date(new Date(endIso).getTime() - 1).toISOString();
