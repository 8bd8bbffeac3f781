import { CheckIcon, Loader2Icon, XIcon } from 'lucide-react';
import { useEffect } from 'react';
import { Link, useFetcher } from 'react-router';
import { toast } from 'sonner';
import type { components } from '~/api/schema';
import { formatDateTime } from '~/lib/format';
import { type ColumnDef, DataTable } from '../data-table';
import { StatusBadge } from '../status-badge';
import { Button } from '../ui/button';
import { Card } from '../ui/card';

type Application = components['schemas']['Application'];
type Result = { ok: boolean; message: string };

/** Shows what an in-page action answered, once per answer. */
export function useResultToast(result: Result | undefined) {
  useEffect(() => {
    if (!result) return;
    if (result.ok) toast.success(result.message);
    else toast.error(result.message);
  }, [result]);
}

/** Approve / reject buttons for one application (what the current status allows). */
export function DecisionButtons({
  application,
  affiliateLabel,
  action,
}: {
  application: Pick<Application, 'offerId' | 'affiliateId' | 'status'>;
  affiliateLabel: string;
  action?: string;
}) {
  const fetcher = useFetcher<Result>();
  useResultToast(fetcher.data);
  const sending = fetcher.state !== 'idle' ? fetcher.formData?.get('status') : null;
  return (
    <fetcher.Form method="post" action={action} className="flex justify-end gap-1.5">
      <input type="hidden" name="intent" value="decide" />
      <input type="hidden" name="offerId" value={application.offerId} />
      <input type="hidden" name="affiliateId" value={application.affiliateId} />
      {application.status !== 'approved' ? (
        <Button
          type="submit"
          name="status"
          value="approved"
          size="sm"
          variant="outline"
          disabled={Boolean(sending)}
          aria-label={`Approve ${affiliateLabel}`}
        >
          {sending === 'approved' ? (
            <Loader2Icon className="animate-spin" aria-hidden />
          ) : (
            <CheckIcon className="text-success" aria-hidden />
          )}
          Approve
        </Button>
      ) : null}
      {application.status !== 'rejected' ? (
        <Button
          type="submit"
          name="status"
          value="rejected"
          size="sm"
          variant="outline"
          disabled={Boolean(sending)}
          aria-label={`${application.status === 'approved' ? 'Revoke' : 'Reject'} ${affiliateLabel}`}
        >
          {sending === 'rejected' ? (
            <Loader2Icon className="animate-spin" aria-hidden />
          ) : (
            <XIcon className="text-destructive" aria-hidden />
          )}
          {application.status === 'approved' ? 'Revoke' : 'Reject'}
        </Button>
      ) : null}
    </fetcher.Form>
  );
}

/** Applications with their affiliate, (optionally) their offer, status, dates and the decision buttons. */
export function ApplicationsTable({
  applications,
  affiliateName,
  offerName,
  action,
  caption,
  compact = false,
}: {
  applications: Application[];
  affiliateName: (id: number) => string;
  /** When given, an Offer column links each row to its offer. */
  offerName?: (id: number) => string;
  action?: string;
  caption: string;
  /** Leaves out the "Updated" column, for narrow cards. */
  compact?: boolean;
}) {
  const columns: ColumnDef<Application, unknown>[] = [
    {
      id: 'affiliate',
      header: 'Affiliate',
      accessorFn: (row) => affiliateName(row.affiliateId),
      cell: ({ row }) => (
        <div className="leading-tight">
          <span className="font-medium">{affiliateName(row.original.affiliateId)}</span>
          {affiliateName(row.original.affiliateId).endsWith(`#${row.original.affiliateId}`) ? null : (
            <span className="block text-xs text-muted-foreground">#{row.original.affiliateId}</span>
          )}
        </div>
      ),
    },
    ...(offerName
      ? [
          {
            id: 'offer',
            header: 'Offer',
            accessorFn: (row: Application) => offerName(row.offerId),
            cell: ({ row }: { row: { original: Application } }) => (
              <Link
                to={`/offers/${row.original.offerId}`}
                className="block max-w-72 truncate font-medium hover:text-primary hover:underline"
              >
                {offerName(row.original.offerId)}
              </Link>
            ),
          } satisfies ColumnDef<Application, unknown>,
        ]
      : []),
    {
      accessorKey: 'status',
      header: 'Status',
      cell: ({ row }) => <StatusBadge status={row.original.status} />,
    },
    {
      accessorKey: 'createdAt',
      header: 'Applied',
      cell: ({ row }) => (
        <span className="text-muted-foreground">{formatDateTime(row.original.createdAt)}</span>
      ),
    },
    ...(compact
      ? []
      : [
          {
            accessorKey: 'updatedAt',
            header: 'Updated',
            cell: ({ row }: { row: { original: Application } }) => (
              <span className="text-muted-foreground">{formatDateTime(row.original.updatedAt)}</span>
            ),
          } satisfies ColumnDef<Application, unknown>,
        ]),
    {
      id: 'actions',
      header: () => <span className="sr-only">Decision</span>,
      enableSorting: false,
      cell: ({ row }) => (
        <DecisionButtons
          application={row.original}
          affiliateLabel={affiliateName(row.original.affiliateId)}
          action={action}
        />
      ),
    },
  ];
  return (
    <>
      <DataTable columns={columns} data={applications} caption={caption} className="hidden md:block" />
      <ul className="grid grid-cols-1 gap-3 md:hidden" aria-label={caption}>
        {applications.map((application) => (
          <li key={`${application.offerId}-${application.affiliateId}`}>
            <Card className="flex min-w-0 flex-col gap-2 p-4">
              <div className="flex items-start justify-between gap-2">
                <div className="min-w-0 leading-tight">
                  <p className="truncate font-medium">{affiliateName(application.affiliateId)}</p>
                  {offerName ? (
                    <Link
                      to={`/offers/${application.offerId}`}
                      className="block truncate text-xs text-muted-foreground hover:underline"
                    >
                      {offerName(application.offerId)}
                    </Link>
                  ) : null}
                </div>
                <StatusBadge status={application.status} />
              </div>
              <p className="text-xs text-muted-foreground">Applied {formatDateTime(application.createdAt)}</p>
              <DecisionButtons
                application={application}
                affiliateLabel={affiliateName(application.affiliateId)}
                action={action}
              />
            </Card>
          </li>
        ))}
      </ul>
    </>
  );
}
