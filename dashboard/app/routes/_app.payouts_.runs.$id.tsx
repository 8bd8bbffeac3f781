import { ArrowLeftIcon, BanknoteIcon, CheckIcon, FileSpreadsheetIcon, RotateCwIcon } from 'lucide-react';
import { data, Link } from 'react-router';
import { outcome } from '~/components/admin/outcome.server';
import { type ColumnDef, DataTable, Pager } from '~/components/data-table';
import { GeneralErrorBoundary } from '~/components/error-boundary';
import { EmptyState, PageHeader } from '~/components/page';
import {
  METHOD_LABELS,
  PAYOUT_STATUS_LABELS,
  PAYOUT_STATUS_TONES,
  type Payout,
  RUN_STATUS_TONES,
} from '~/components/payouts/labels';
import { resumeRun } from '~/components/payouts/payouts-actions.server';
import { StatusBadge } from '~/components/status-badge';
import { Button } from '~/components/ui/button';
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '~/components/ui/card';
import { ConfirmAction } from '~/components/ui/confirm-action';
import { Alert } from '~/components/ui/misc';
import { apiMessage } from '~/lib/api-errors';
import { authOf, requireRole } from '~/lib/auth.server';
import { formatDateTime, formatMoney } from '~/lib/format';
import type { Route } from './+types/_app.payouts_.runs.$id';

export function meta() {
  return [{ title: 'Payout run · TAS' }];
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** One payout run (admins): its payouts, the bank transfers to send, and marking them paid. */
export async function loader({ params, request, context }: Route.LoaderArgs) {
  const { api } = requireRole(authOf(context), 'admin');
  if (!UUID.test(params.id)) throw data({ message: 'No such payout run.' }, { status: 404 });
  const afterValue = new URL(request.url).searchParams.get('after');
  const after = afterValue && UUID.test(afterValue) ? afterValue : undefined;
  const [run, payouts] = await Promise.all([
    api.GET('/api/v1/payout-runs/{id}', { params: { path: { id: params.id } } }),
    api.GET('/api/v1/payouts', {
      params: { query: { runId: params.id, limit: 100, ...(after ? { after } : {}) } },
    }),
  ]);
  if (!run.data)
    throw data(
      { message: apiMessage(run.error, 'The payout run could not be loaded.') },
      { status: run.response.status },
    );
  if (!payouts.data)
    throw data(
      { message: apiMessage(payouts.error, 'The payouts could not be loaded.') },
      { status: payouts.response.status },
    );
  return { run: run.data, payouts: payouts.data.data, next: payouts.data.nextAfter };
}

export async function action({ request, params, context }: Route.ActionArgs) {
  const auth = requireRole(authOf(context), 'admin');
  const form = await request.formData();
  const intent = form.get('intent');
  if (intent === 'resume') {
    form.set('runId', params.id);
    const answer = await resumeRun(auth, form);
    return outcome(request, answer.ok, answer.message, answer.status);
  }
  if (intent !== 'mark-paid') return outcome(request, false, 'Unknown action.', 400);
  const payoutId = String(form.get('payoutId') ?? '');
  if (!UUID.test(payoutId)) return outcome(request, false, 'No such payout.', 400);
  const {
    data: payout,
    error,
    response,
  } = await auth.api.POST('/api/v1/payouts/{id}/mark-paid', {
    params: { path: { id: payoutId } },
  });
  if (!payout)
    return outcome(
      request,
      false,
      apiMessage(error, 'The payout could not be marked paid.'),
      response.status,
    );
  return outcome(request, true, `Payout to affiliate #${payout.affiliateId} marked paid.`);
}

export default function PayoutRunPage({ loaderData }: Route.ComponentProps) {
  const { run, payouts, next } = loaderData;
  const bankTransfers = payouts.filter((payout) => payout.method === 'bank_transfer');
  const columns: ColumnDef<Payout, unknown>[] = [
    {
      id: 'affiliate',
      header: 'Affiliate',
      accessorFn: (payout) => payout.affiliateId,
      cell: ({ row }) => (
        <Link
          to={`/affiliates/${row.original.affiliateId}`}
          className="font-medium whitespace-nowrap hover:text-primary hover:underline"
        >
          Affiliate #{row.original.affiliateId}
        </Link>
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
    { accessorKey: 'method', header: 'Method', cell: ({ row }) => METHOD_LABELS[row.original.method] },
    {
      accessorKey: 'status',
      header: 'Status',
      cell: ({ row }) => (
        <div className="grid gap-1">
          <span>
            <StatusBadge
              status={PAYOUT_STATUS_TONES[row.original.status]}
              label={PAYOUT_STATUS_LABELS[row.original.status]}
            />
          </span>
          {row.original.failureReason ? (
            <span className="max-w-64 text-xs break-words text-destructive">
              {row.original.failureReason}
            </span>
          ) : null}
        </div>
      ),
    },
    {
      accessorKey: 'sentAt',
      header: 'Sent',
      cell: ({ row }) => (
        <span className="whitespace-nowrap text-muted-foreground">{formatDateTime(row.original.sentAt)}</span>
      ),
    },
    {
      accessorKey: 'settledAt',
      header: 'Settled',
      cell: ({ row }) => (
        <span className="whitespace-nowrap text-muted-foreground">
          {formatDateTime(row.original.settledAt)}
        </span>
      ),
    },
    {
      id: 'actions',
      header: () => <span className="sr-only">Actions</span>,
      enableSorting: false,
      meta: { numeric: true },
      cell: ({ row }) => (
        <span className="flex items-center justify-end gap-3 whitespace-nowrap">
          {row.original.method === 'bank_transfer' && row.original.status === 'sent' ? (
            <MarkPaidButton payout={row.original} />
          ) : null}
          <a
            href={`/payouts/${row.original.id}/statement.html`}
            target="_blank"
            rel="noopener"
            className="text-sm font-medium text-primary hover:underline"
          >
            Statement
            <span className="sr-only">
              {' '}
              of the payout to affiliate #{row.original.affiliateId} (opens in a new tab)
            </span>
          </a>
        </span>
      ),
    },
  ];

  return (
    <>
      <Link
        to="/payouts"
        className="mb-3 inline-flex items-center gap-1 text-sm text-muted-foreground hover:text-foreground"
      >
        <ArrowLeftIcon className="size-4" aria-hidden /> Payouts
      </Link>
      <PageHeader
        title="Payout run"
        description={
          <span className="inline-flex flex-wrap items-center gap-2">
            <StatusBadge status={RUN_STATUS_TONES[run.status]} label={run.status} />
            <span>
              {formatDateTime(run.createdAt)} · {run.startedBy ? 'started by an admin' : 'scheduled'}
              {run.schedule ? ` · ${run.schedule}` : ''} · earnings up to {formatDateTime(run.cutoff)} UTC
              {run.completedAt ? ` · completed ${formatDateTime(run.completedAt)}` : ''}
            </span>
          </span>
        }
        actions={
          <>
            {bankTransfers.length > 0 ? (
              <Button asChild variant="outline">
                <a href={`/payouts/runs/${run.id}/bank-transfers.csv`} download>
                  <FileSpreadsheetIcon aria-hidden /> Bank transfers CSV
                </a>
              </Button>
            ) : null}
            {run.status === 'interrupted' ? (
              <ConfirmAction
                trigger={
                  <Button>
                    <RotateCwIcon aria-hidden /> Resume
                  </Button>
                }
                title="Resume this run?"
                description="It picks up where it stopped. Payouts already sent are not sent again."
                confirmLabel="Resume run"
                fields={{ intent: 'resume' }}
              />
            ) : null}
          </>
        }
      />
      {run.status === 'interrupted' && run.lastError ? (
        <Alert variant="destructive" className="mb-6">
          Interrupted: {run.lastError}
        </Alert>
      ) : null}
      <Card>
        <CardHeader>
          <CardTitle>Payouts</CardTitle>
          <CardDescription>
            {bankTransfers.length > 0
              ? 'Send the bank transfers with the CSV, then mark each paid once the bank has sent it.'
              : 'Stripe and PayPal report each payout as it settles.'}
          </CardDescription>
        </CardHeader>
        <CardContent>
          <DataTable
            columns={columns}
            data={payouts}
            caption="Payouts of the run"
            empty={
              <EmptyState
                icon={BanknoteIcon}
                title="No payouts in this run"
                description="Nobody was due when it ran."
              />
            }
          />
          <Pager next={next} />
        </CardContent>
      </Card>
    </>
  );
}

function MarkPaidButton({ payout }: { payout: Payout }) {
  const amount = formatMoney(payout.amountMinor, payout.currency);
  return (
    <ConfirmAction
      trigger={
        <Button size="sm" variant="outline">
          <CheckIcon aria-hidden /> Mark paid
          <span className="sr-only">
            : {amount} to affiliate #{payout.affiliateId}
          </span>
        </Button>
      }
      title="Mark this bank transfer paid?"
      description={`Do so once the bank has sent ${amount} to affiliate #${payout.affiliateId}. The payout is settled in the ledger.`}
      confirmLabel="Mark paid"
      fields={{ intent: 'mark-paid', payoutId: payout.id }}
    />
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
