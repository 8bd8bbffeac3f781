import { CalendarClockIcon, ListChecksIcon, RotateCwIcon } from 'lucide-react';
import { Form, Link } from 'react-router';
import { type ColumnDef, DataTable, Pager } from '~/components/data-table';
import { SubmitButton } from '~/components/form';
import { EmptyState, PageHeader } from '~/components/page';
import { StatusBadge } from '~/components/status-badge';
import { Button } from '~/components/ui/button';
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '~/components/ui/card';
import { ConfirmAction } from '~/components/ui/confirm-action';
import { Label } from '~/components/ui/label';
import { NativeSelect } from '~/components/ui/native-select';
import type { Schemas } from '~/lib/api.server';
import { formatDateTime } from '~/lib/format';
import { ordinal, type PayoutRun, RUN_STATUS_TONES, WEEKDAYS } from './labels';
import { NetworkPayoutSettingsCard } from './network-settings-card';
import type { FormAnswer, PlanAnswer } from './payouts-actions.server';
import { PlanPanel } from './plan-panel';

/** An admin's payouts: plan and pay a run, the runs so far, and the network's defaults. */
export function AdminPayouts({
  runs,
  next,
  settings,
  plan,
  answer,
}: {
  runs: PayoutRun[];
  next: string | null;
  settings: Schemas['NetworkPayoutSettings'] | null;
  plan: PlanAnswer | null;
  answer: FormAnswer | null;
}) {
  const columns: ColumnDef<PayoutRun, unknown>[] = [
    {
      accessorKey: 'createdAt',
      header: 'Started',
      cell: ({ row }) => (
        <Link
          to={`/payouts/runs/${row.original.id}`}
          className="font-medium whitespace-nowrap hover:text-primary hover:underline"
        >
          {formatDateTime(row.original.createdAt)}
        </Link>
      ),
    },
    {
      id: 'kind',
      header: 'Run',
      enableSorting: false,
      cell: ({ row }) => (
        <span className="whitespace-nowrap">
          {row.original.startedBy ? 'Manual' : 'Scheduled'}
          {row.original.schedule ? (
            <span className="text-muted-foreground"> · {row.original.schedule}</span>
          ) : null}
        </span>
      ),
    },
    {
      accessorKey: 'cutoff',
      header: 'Earnings up to',
      cell: ({ row }) => (
        <span className="whitespace-nowrap text-muted-foreground">{formatDateTime(row.original.cutoff)}</span>
      ),
    },
    {
      accessorKey: 'status',
      header: 'Status',
      cell: ({ row }) => (
        <div className="grid gap-1">
          <span>
            <StatusBadge status={RUN_STATUS_TONES[row.original.status]} label={row.original.status} />
          </span>
          {row.original.status === 'interrupted' && row.original.lastError ? (
            <span className="max-w-72 text-xs break-words text-destructive">{row.original.lastError}</span>
          ) : null}
        </div>
      ),
    },
    {
      id: 'actions',
      header: () => <span className="sr-only">Actions</span>,
      enableSorting: false,
      meta: { numeric: true },
      cell: ({ row }) => (
        <span className="flex items-center justify-end gap-2">
          {row.original.status === 'interrupted' ? <ResumeButton run={row.original} /> : null}
          <Button asChild variant="ghost" size="sm">
            <Link to={`/payouts/runs/${row.original.id}`}>
              Details
              <span className="sr-only"> of the run started {formatDateTime(row.original.createdAt)}</span>
            </Link>
          </Button>
        </span>
      ),
    },
  ];

  return (
    <>
      <PageHeader
        title="Payouts"
        description="Plan a payout to see who is due what, then pay it. Interrupted runs resume without paying anyone twice."
      />
      <Card className="mb-6">
        <CardHeader>
          <CardTitle>Plan a payout</CardTitle>
          <CardDescription>
            A dry run: who would be paid what, per currency, and who is skipped and why. Nothing moves until
            you pay.
          </CardDescription>
        </CardHeader>
        <CardContent className="grid gap-5">
          <Form method="post" className="flex flex-col gap-3 sm:flex-row sm:items-end">
            <div className="grid gap-1.5">
              <Label htmlFor="plan-schedule">Affiliates</Label>
              <NativeSelect
                id="plan-schedule"
                name="schedule"
                defaultValue={plan?.schedule ?? ''}
                className="sm:w-56"
              >
                <option value="">Everyone due</option>
                <option value="weekly">Those paid weekly</option>
                <option value="monthly">Those paid monthly</option>
              </NativeSelect>
            </div>
            <SubmitButton intent="plan" variant={plan?.ok ? 'outline' : 'default'}>
              <ListChecksIcon aria-hidden /> {plan?.ok ? 'Plan again' : 'Plan a payout'}
            </SubmitButton>
          </Form>
          {plan ? <PlanPanel plan={plan} /> : null}
        </CardContent>
      </Card>

      <Card className="mb-6">
        <CardHeader>
          <CardTitle>Payout runs</CardTitle>
          <CardDescription>{settingsSummary(settings)}</CardDescription>
        </CardHeader>
        <CardContent>
          <DataTable
            columns={columns}
            data={runs}
            caption="Payout runs"
            empty={
              <EmptyState
                icon={CalendarClockIcon}
                title="No payout run yet"
                description={
                  settings?.automatic
                    ? 'The first run starts on schedule, or plan one above and pay it now.'
                    : 'Plan a payout above, check it, and pay it.'
                }
              />
            }
          />
          <Pager next={next} />
        </CardContent>
      </Card>

      <NetworkPayoutSettingsCard settings={settings} answer={answer} />
    </>
  );
}

function settingsSummary(settings: Schemas['NetworkPayoutSettings'] | null): string {
  if (!settings) return 'Newest first.';
  const when =
    settings.schedule === 'weekly'
      ? `weekly on ${WEEKDAYS[settings.weeklyDay - 1] ?? 'Monday'}s`
      : `monthly on the ${ordinal(settings.monthlyDay)}`;
  return settings.automatic
    ? `Newest first. Runs start by themselves ${when} (UTC).`
    : `Newest first. Automatic runs are off: admins start them (default schedule: ${when}).`;
}

function ResumeButton({ run }: { run: PayoutRun }) {
  return (
    <ConfirmAction
      trigger={
        <Button size="sm" variant="outline">
          <RotateCwIcon aria-hidden /> Resume
        </Button>
      }
      title="Resume this run?"
      description="It picks up where it stopped. Payouts already sent are not sent again."
      confirmLabel="Resume run"
      fields={{ intent: 'resume', runId: run.id }}
    />
  );
}
