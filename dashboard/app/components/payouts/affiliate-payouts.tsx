import { formatDecimalAmount } from '@tas/shared/minor-units';
import {
  BanknoteIcon,
  CheckCircle2Icon,
  CircleDashedIcon,
  ExternalLinkIcon,
  FileDownIcon,
} from 'lucide-react';
import { useState } from 'react';
import { Form, Link } from 'react-router';
import { type ColumnDef, DataTable, Pager } from '~/components/data-table';
import { FieldErrors, FormErrors, SubmitButton } from '~/components/form';
import { EmptyState, PageHeader } from '~/components/page';
import { StatusBadge } from '~/components/status-badge';
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '~/components/ui/card';
import { Input } from '~/components/ui/input';
import { Label } from '~/components/ui/label';
import { NativeSelect } from '~/components/ui/native-select';
import type { Schemas } from '~/lib/api.server';
import { formatDateTime, formatMoney } from '~/lib/format';
import { METHOD_LABELS, PAYOUT_STATUS_LABELS, PAYOUT_STATUS_TONES, type Payout } from './labels';
import type { FormAnswer } from './payouts-actions.server';

type Settings = Schemas['AffiliatePayoutSettings'];

/** An affiliate's payouts, each with its statement, and how it is paid. */
export function AffiliatePayouts({
  payouts,
  next,
  settings,
  answer,
}: {
  payouts: Payout[];
  next: string | null;
  settings: Settings | null;
  answer: FormAnswer | null;
}) {
  const columns: ColumnDef<Payout, unknown>[] = [
    {
      accessorKey: 'createdAt',
      header: 'Date',
      cell: ({ row }) => (
        <span className="whitespace-nowrap">
          {formatDateTime(row.original.sentAt ?? row.original.createdAt)}
        </span>
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
      accessorKey: 'settledAt',
      header: 'Settled',
      cell: ({ row }) => (
        <span className="whitespace-nowrap text-muted-foreground">
          {formatDateTime(row.original.settledAt)}
        </span>
      ),
    },
    {
      id: 'statement',
      header: 'Statement',
      enableSorting: false,
      cell: ({ row }) => <StatementLinks id={row.original.id} />,
    },
  ];

  return (
    <>
      <PageHeader
        title="Payouts"
        description="What the network paid you, with a statement for each payout."
      />
      <div className="grid gap-6 2xl:grid-cols-[minmax(0,1fr)_24rem]">
        <Card className="min-w-0">
          <CardHeader>
            <CardTitle>Your payouts</CardTitle>
            <CardDescription>Newest first. Amounts in the currency you earned them in.</CardDescription>
          </CardHeader>
          <CardContent>
            <DataTable
              columns={columns}
              data={payouts}
              caption="Your payouts"
              empty={
                <EmptyState
                  icon={BanknoteIcon}
                  title="Nothing paid yet"
                  description={scheduleSentence(settings)}
                />
              }
            />
            <Pager next={next} />
          </CardContent>
        </Card>
        <MethodCard settings={settings} answer={answer} />
      </div>
    </>
  );
}

/** What the affiliate knows of when it is paid: its own overrides where set, else the rule in words. */
function scheduleSentence(settings: Settings | null): string {
  const when = settings?.schedule
    ? `Payouts go out ${settings.schedule}`
    : 'Payouts go out on the network’s schedule';
  const minimum =
    settings?.minimumMinor !== null && settings?.minimumMinor !== undefined
      ? ` once your approved balance in a currency reaches ${formatDecimalAmount(settings.minimumMinor, 'USD')}`
      : ' once your approved balance reaches the minimum';
  const hold =
    settings?.holdDays !== null && settings?.holdDays !== undefined
      ? `conversions approved in the last ${settings.holdDays} days wait for the next one`
      : 'recently approved conversions wait out a short hold first';
  const method = settings?.method ? '' : ' Choose how you are paid to receive your first payout.';
  return `${when}${minimum}; ${hold}.${method}`;
}

function StatementLinks({ id }: { id: string }) {
  return (
    <span className="flex items-center gap-3 whitespace-nowrap">
      <a
        href={`/payouts/${id}/statement.html`}
        target="_blank"
        rel="noopener"
        className="inline-flex items-center gap-1 text-sm font-medium text-primary hover:underline"
      >
        View <ExternalLinkIcon className="size-3.5" aria-hidden />
        <span className="sr-only">(opens in a new tab)</span>
      </a>
      <a
        href={`/payouts/${id}/statement.pdf`}
        download
        className="inline-flex items-center gap-1 text-sm font-medium text-primary hover:underline"
      >
        <FileDownIcon className="size-3.5" aria-hidden /> PDF
      </a>
    </span>
  );
}

function MethodCard({ settings, answer }: { settings: Settings | null; answer: FormAnswer | null }) {
  const [method, setMethod] = useState<string>(settings?.method ?? '');
  const errors = answer?.intent === 'method' && !answer.ok ? answer : null;
  return (
    <Card className="h-fit">
      <CardHeader>
        <CardTitle>How you are paid</CardTitle>
        <CardDescription>Choose a method; payouts go to it from the next run.</CardDescription>
      </CardHeader>
      <CardContent className="grid gap-5">
        {settings === null ? (
          <p role="alert" className="text-sm text-destructive">
            Your payout settings could not be loaded. Reload the page to try again.
          </p>
        ) : null}
        <Form method="post" noValidate className="grid max-w-md gap-4">
          <div className="grid gap-1.5">
            <Label htmlFor="payout-method">Payout method</Label>
            <NativeSelect
              id="payout-method"
              name="method"
              value={method}
              onChange={(event) => setMethod(event.target.value)}
            >
              <option value="">Not chosen</option>
              <option value="stripe_connect">Stripe</option>
              <option value="paypal">PayPal</option>
              <option value="bank_transfer">Bank transfer</option>
            </NativeSelect>
          </div>
          {method === 'paypal' ? (
            <div className="grid gap-1.5">
              <Label htmlFor="paypal-email">PayPal email</Label>
              <Input
                id="paypal-email"
                name="paypalEmail"
                type="email"
                autoComplete="email"
                defaultValue={settings?.paypalEmail ?? ''}
                aria-invalid={errors?.fieldErrors.paypalEmail ? true : undefined}
                aria-describedby={errors?.fieldErrors.paypalEmail ? 'paypal-email-error' : undefined}
              />
              <FieldErrors
                id="paypal-email-error"
                errors={errors?.fieldErrors.paypalEmail ? [errors.fieldErrors.paypalEmail] : undefined}
              />
            </div>
          ) : null}
          {method === 'bank_transfer' ? (
            <p className="text-sm text-muted-foreground">
              Paid to the bank account in your{' '}
              <Link to="/settings/company" className="font-medium text-primary hover:underline">
                company settings
              </Link>
              .
            </p>
          ) : null}
          <FormErrors errors={errors?.formError ? [errors.formError] : undefined} />
          <SubmitButton intent="method" className="justify-self-start">
            Save method
          </SubmitButton>
        </Form>
        {method === 'stripe_connect' || settings?.stripeAccountId ? (
          <div className="grid gap-3 border-t pt-4">
            <p className="flex items-center gap-2 text-sm">
              {settings?.stripePayoutsEnabled ? (
                <>
                  <CheckCircle2Icon className="size-4 shrink-0 text-success" aria-hidden />
                  Stripe payouts are enabled.
                </>
              ) : (
                <>
                  <CircleDashedIcon className="size-4 shrink-0 text-muted-foreground" aria-hidden />
                  {settings?.stripeAccountId
                    ? 'Stripe setup is not finished yet.'
                    : 'Stripe payouts are not set up yet.'}
                </>
              )}
            </p>
            <Form method="post">
              <SubmitButton intent="stripe-onboarding" variant="outline">
                {settings?.stripePayoutsEnabled ? 'Update Stripe details' : 'Set up Stripe payouts'}
              </SubmitButton>
            </Form>
          </div>
        ) : null}
      </CardContent>
    </Card>
  );
}
