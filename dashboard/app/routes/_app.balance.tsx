import { parseDecimalAmount } from '@tas/shared/minor-units';
import { CheckCircle2Icon, CreditCardIcon, LandmarkIcon, ScaleIcon, TriangleAlertIcon } from 'lucide-react';
import { data, Form, Link, redirect, useNavigation, useSearchParams } from 'react-router';
import { FundsPanel } from '~/components/billing/billing-terms';
import { type ColumnDef, DataTable, Pager } from '~/components/data-table';
import { GeneralErrorBoundary } from '~/components/error-boundary';
import { EmptyState, PageHeader } from '~/components/page';
import { StatusBadge } from '~/components/status-badge';
import { Button } from '~/components/ui/button';
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '~/components/ui/card';
import { Input } from '~/components/ui/input';
import { Label } from '~/components/ui/label';
import { NativeSelect } from '~/components/ui/native-select';
import type { Schemas } from '~/lib/api.server';
import { apiMessage } from '~/lib/api-errors';
import { authOf } from '~/lib/auth.server';
import { formatDateTime, formatMoney } from '~/lib/format';
import { cn } from '~/lib/utils';
import type { Route } from './+types/_app.balance';

type Balance = Schemas['LedgerBalance'];
type Transfer = Schemas['LedgerTransfer'];
type AccountKind = Balance['kind'];

const ACCOUNT_KINDS: { value: AccountKind; label: string }[] = [
  { value: 'network_revenue', label: 'Network revenue' },
  { value: 'advertiser', label: 'Advertisers' },
  { value: 'affiliate_payable', label: 'Affiliates (payable)' },
  { value: 'processor_cash', label: 'Cash at processors' },
  { value: 'payouts_in_transit', label: 'Payouts in transit' },
];

export function meta({ loaderData }: Route.MetaArgs) {
  return [{ title: `${loaderData?.role === 'admin' ? 'Ledger' : 'Balance'} · TAS` }];
}

const idParam = (value: string | null) => (value && /^[1-9]\d{0,9}$/.test(value) ? value : undefined);

/**
 * Money as the ledger holds it (decision 021): an affiliate's payable balance, an advertiser's
 * prepaid balance or what it owes, and for admins every account, the movements and a
 * reconciliation on request. The API scopes what each role may read.
 */
export async function loader({ request, context }: Route.LoaderArgs) {
  const { api, viewer } = authOf(context);
  const params = new URL(request.url).searchParams;
  const kindParam = params.get('kind');
  const kind =
    viewer.role === 'admin'
      ? (ACCOUNT_KINDS.find((k) => k.value === kindParam)?.value ?? 'network_revenue')
      : undefined;
  const [balances, transfers] = await Promise.all([
    api.GET('/api/v1/ledger/balances', {
      params: {
        query: {
          limit: 200,
          ...(kind ? { kind } : {}),
          ...(idParam(params.get('accountsAfter')) ? { after: idParam(params.get('accountsAfter')) } : {}),
        },
      },
    }),
    api.GET('/api/v1/ledger/transfers', {
      params: {
        query: {
          limit: 25,
          // The latest movements first; "Next page" goes further back.
          order: 'desc',
          ...(idParam(params.get('after')) ? { after: idParam(params.get('after')) } : {}),
        },
      },
    }),
  ]);
  if (!balances.data)
    throw data(
      { message: apiMessage(balances.error, 'The balances could not be loaded.') },
      { status: balances.response.status },
    );
  if (!transfers.data)
    throw data(
      { message: apiMessage(transfers.error, 'The movements could not be loaded.') },
      { status: transfers.response.status },
    );
  // An advertiser's recent top-ups (what it paid, what is still waiting for Stripe), its billing
  // terms and, per currency, whether its offers still serve.
  const advertiserId = viewer.role === 'advertiser' ? viewer.advertiserId : null;
  const [topUps, billing] =
    advertiserId === null
      ? [[], null]
      : await Promise.all([
          api
            .GET('/api/v1/top-ups', { params: { query: { limit: 5 } } })
            .then((answer) => answer.data?.data ?? []),
          api
            .GET('/api/v1/advertisers/{advertiserId}/billing', {
              params: { path: { advertiserId: String(advertiserId) } },
            })
            .then((answer) => answer.data ?? null),
        ]);
  return {
    role: viewer.role,
    topUps,
    billing,
    returnedFrom: params.get('top_up'),
    cancelled: params.get('cancelled') === '1',
    kind: kind ?? null,
    balances: balances.data.data,
    balancesNext: balances.data.nextAfter,
    transfers: transfers.data.data,
    transfersNext: transfers.data.nextAfter,
  };
}

const TOP_UP_CURRENCIES = ['USD', 'EUR', 'GBP'] as const;

/**
 * Two things are done here: an advertiser adds funds (a Stripe Checkout page is opened by the API
 * and the browser sent to it; the balance moves when Stripe confirms the payment), and an admin
 * runs the reconciliation, on request since it reads every conversion.
 */
export async function action({ request, context }: Route.ActionArgs) {
  const { api, viewer } = authOf(context);
  const form = await request.formData();
  if (form.get('intent') === 'top-up') {
    if (viewer.role !== 'advertiser')
      throw data({ message: 'Advertisers add funds to their own balance.' }, { status: 403 });
    const currency = String(form.get('currency') ?? '');
    if (!TOP_UP_CURRENCIES.some((c) => c === currency))
      return data(
        { intent: 'top-up' as const, field: 'currency', message: 'Choose a currency.' },
        { status: 400 },
      );
    const amount = parseDecimalAmount(String(form.get('amount') ?? ''), currency);
    if (!amount.ok || amount.amountMinor < 100 || amount.amountMinor > 100_000_000)
      return data(
        { intent: 'top-up' as const, field: 'amount', message: 'Enter an amount from 1.00 to 1,000,000.00.' },
        { status: 400 },
      );
    const {
      data: topUp,
      error,
      response,
    } = await api.POST('/api/v1/top-ups', {
      body: { amountMinor: amount.amountMinor, currency },
    });
    if (!topUp?.checkoutUrl)
      return data(
        { intent: 'top-up' as const, field: null, message: apiMessage(error) },
        { status: response.status },
      );
    // Stripe's hosted page: the URL comes from Stripe through the API, never from the request.
    throw redirect(topUp.checkoutUrl);
  }
  if (viewer.role !== 'admin') throw data({ message: 'Only admins reconcile the ledger.' }, { status: 403 });
  const {
    data: result,
    error,
    response,
  } = await api.GET('/api/v1/ledger/reconciliation', {
    params: { query: { maxDifferences: 20 } },
  });
  if (!result)
    return data(
      { intent: 'reconcile' as const, ok: false as const, message: apiMessage(error) },
      { status: response.status },
    );
  return { intent: 'reconcile' as const, ok: true as const, reconciliation: result };
}

const KIND_LABELS: Record<Transfer['kind'], string> = {
  hold: 'Held (pending conversion)',
  post: 'Approved',
  void: 'Released (rejected)',
  reverse: 'Reversed',
  adjust: 'Adjusted',
  top_up: 'Top-up',
  payout: 'Payout sent',
  payout_settled: 'Payout settled',
  payout_failed: 'Payout failed',
  invoice: 'Invoice',
  correction: 'Correction',
};

// The badge colour of each movement, in the words StatusBadge colours.
const KIND_TONES: Record<Transfer['kind'], string> = {
  hold: 'pending',
  post: 'approved',
  void: 'cancelled',
  reverse: 'rejected',
  adjust: 'open',
  top_up: 'approved',
  payout: 'pending',
  payout_settled: 'completed',
  payout_failed: 'failed',
  invoice: 'open',
  correction: 'draft',
};

/** What a balance means to its owner, in words beside the figure. */
function ownerCards(balances: Balance[], role: 'advertiser' | 'affiliate') {
  return balances.map((balance) => {
    const posted = balance.postedMinor;
    const title = role === 'affiliate' ? 'Earned, not yet paid' : posted >= 0 ? 'Prepaid balance' : 'You owe';
    const value = role === 'advertiser' && posted < 0 ? -posted : posted;
    const hint =
      role === 'affiliate'
        ? posted < 0
          ? 'Negative: a conversion was reversed after it was paid; the next payout nets it.'
          : 'Approved conversions, less what was paid out.'
        : posted >= 0
          ? 'Top-ups less approved conversions.'
          : 'Approved conversions not yet paid for.';
    return {
      key: `${balance.currency}`,
      currency: balance.currency,
      title,
      value,
      hint,
      // A pending conversion is held against the advertiser (negative): shown as the amount it will owe.
      pending: role === 'advertiser' ? -balance.pendingMinor : balance.pendingMinor,
    };
  });
}

export default function BalancePage({ loaderData, actionData }: Route.ComponentProps) {
  const {
    role,
    kind,
    balances,
    balancesNext,
    transfers,
    transfersNext,
    topUps,
    billing,
    returnedFrom,
    cancelled,
  } = loaderData;
  const [params] = useSearchParams();
  const navigation = useNavigation();
  const posting = navigation.state !== 'idle' && navigation.formMethod === 'POST';
  const intent = navigation.formData?.get('intent');
  const reconciling = posting && intent !== 'top-up';
  const reconciliation = actionData && actionData.intent === 'reconcile' ? actionData : null;
  const topUpError = actionData && actionData.intent === 'top-up' ? actionData : null;
  const kindHref = (value: AccountKind) => {
    const next = new URLSearchParams(params);
    next.set('kind', value);
    next.delete('accountsAfter');
    return `?${next.toString()}`;
  };

  const balanceColumns: ColumnDef<Balance, unknown>[] = [
    {
      id: 'owner',
      header: 'Owner',
      accessorFn: (b) => b.ownerId,
      cell: ({ row }) => <OwnerCell balance={row.original} />,
    },
    { accessorKey: 'currency', header: 'Currency' },
    {
      accessorKey: 'postedMinor',
      header: 'Posted',
      meta: { numeric: true },
      cell: ({ row }) => formatMoney(row.original.postedMinor, row.original.currency),
    },
    {
      accessorKey: 'pendingMinor',
      header: 'Pending',
      meta: { numeric: true },
      cell: ({ row }) => (
        <span className="text-muted-foreground">
          {formatMoney(row.original.pendingMinor, row.original.currency)}
        </span>
      ),
    },
  ];

  const transferColumns: ColumnDef<Transfer, unknown>[] = [
    {
      accessorKey: 'createdAt',
      header: 'When',
      cell: ({ row }) => (
        <span className="text-muted-foreground">{formatDateTime(row.original.createdAt)}</span>
      ),
    },
    {
      accessorKey: 'kind',
      header: 'Movement',
      cell: ({ row }) => (
        <StatusBadge status={KIND_TONES[row.original.kind]} label={KIND_LABELS[row.original.kind]} />
      ),
    },
    {
      id: 'about',
      header: 'About',
      enableSorting: false,
      cell: ({ row }) =>
        row.original.conversionId ? (
          <Link
            to={`/conversions/${row.original.conversionId}`}
            className="font-mono text-xs hover:text-primary hover:underline"
          >
            Conversion {row.original.conversionId.slice(0, 8)}
          </Link>
        ) : (
          <span className="text-muted-foreground">{row.original.memo ?? '–'}</span>
        ),
    },
    {
      id: 'amount',
      header: role === 'admin' ? 'Entries' : 'Amount',
      enableSorting: false,
      meta: { numeric: true },
      cell: ({ row }) => <EntriesCell transfer={row.original} admin={role === 'admin'} />,
    },
  ];

  return (
    <>
      <PageHeader
        title={role === 'admin' ? 'Ledger' : 'Balance'}
        description={
          role === 'admin'
            ? 'Every account of the double-entry ledger, its movements, and a check that it equals the conversions.'
            : role === 'affiliate'
              ? 'What the network owes you for your conversions, and every movement of it.'
              : 'What you have prepaid or owe for your conversions, and every movement of it.'
        }
        actions={
          role === 'admin' ? (
            <Form method="post">
              <Button type="submit" variant="outline" disabled={reconciling}>
                <ScaleIcon aria-hidden /> {reconciling ? 'Reconciling…' : 'Reconcile'}
              </Button>
            </Form>
          ) : null
        }
      />
      {reconciliation ? <ReconciliationPanel answer={reconciliation} /> : null}
      {returnedFrom ? (
        <p role="status" className="mb-6 rounded-xl border bg-card px-4 py-3 text-sm">
          {cancelled
            ? 'The payment was cancelled: nothing was charged.'
            : 'Thank you. Your balance is credited as soon as Stripe confirms the payment, usually within a minute.'}
        </p>
      ) : null}
      {billing ? <FundsPanel billing={billing} canTopUp /> : null}
      {role === 'advertiser' ? (
        <TopUpCard topUps={topUps} error={topUpError} sending={posting && intent === 'top-up'} />
      ) : null}

      {role === 'admin' ? (
        <Card className="mb-6">
          <CardHeader className="gap-3">
            <div className="grid gap-1.5">
              <CardTitle>Accounts</CardTitle>
              <CardDescription>
                Balances summed from the entries; pending is held by pending conversions.
              </CardDescription>
            </div>
            <nav aria-label="Account kind" className="overflow-x-auto">
              <ul className="inline-flex gap-1 rounded-lg bg-muted p-1">
                {ACCOUNT_KINDS.map((k) => (
                  <li key={k.value}>
                    <Link
                      to={kindHref(k.value)}
                      preventScrollReset
                      aria-current={k.value === kind ? 'page' : undefined}
                      className={cn(
                        'inline-flex h-7 items-center rounded-md px-2.5 text-xs font-medium whitespace-nowrap text-muted-foreground hover:text-foreground',
                        k.value === kind && 'bg-card text-foreground shadow-sm',
                      )}
                    >
                      {k.label}
                    </Link>
                  </li>
                ))}
              </ul>
            </nav>
          </CardHeader>
          <CardContent>
            <DataTable
              columns={balanceColumns}
              data={balances}
              caption="Account balances"
              empty={
                <EmptyState
                  icon={LandmarkIcon}
                  title="No account of this kind yet"
                  description="Accounts open with their first movement."
                />
              }
            />
            <Pager next={balancesNext} param="accountsAfter" />
          </CardContent>
        </Card>
      ) : balances.length === 0 ? (
        <div className="mb-6">
          <EmptyState
            icon={LandmarkIcon}
            title="No money has moved yet"
            description={
              role === 'affiliate'
                ? 'Your balance opens with your first conversion.'
                : 'Your balance opens with your first conversion or top-up.'
            }
          />
        </div>
      ) : (
        <section aria-label="Balances" className="mb-6 grid gap-4 sm:grid-cols-2 xl:grid-cols-3">
          {ownerCards(balances, role === 'affiliate' ? 'affiliate' : 'advertiser').map((card) => (
            <Card key={card.key}>
              <CardContent className="p-5">
                <p className="text-xs font-medium uppercase tracking-wide text-muted-foreground">
                  {card.title} · {card.currency}
                </p>
                <p className="mt-2 text-3xl font-semibold tabular-nums">
                  {formatMoney(card.value, card.currency)}
                </p>
                <p className="mt-1 text-xs text-muted-foreground">{card.hint}</p>
                <p className="mt-3 border-t pt-3 text-sm">
                  <span className="text-muted-foreground">Pending conversions: </span>
                  <span className="font-medium tabular-nums">{formatMoney(card.pending, card.currency)}</span>
                </p>
              </CardContent>
            </Card>
          ))}
        </section>
      )}

      <Card>
        <CardHeader>
          <CardTitle>Movements</CardTitle>
          <CardDescription>
            Each written once under its key and never changed: a correction is a new movement.
          </CardDescription>
        </CardHeader>
        <CardContent>
          <DataTable
            columns={transferColumns}
            data={transfers}
            caption="Ledger movements"
            empty={<EmptyState icon={LandmarkIcon} title="No movements yet" />}
          />
          <Pager next={transfersNext} />
        </CardContent>
      </Card>
    </>
  );
}

function OwnerCell({ balance }: { balance: Balance }) {
  if (balance.kind === 'advertiser')
    return (
      <Link to={`/advertisers/${balance.ownerId}`} className="font-medium hover:text-primary hover:underline">
        Advertiser #{balance.ownerId}
      </Link>
    );
  if (balance.kind === 'affiliate_payable')
    return (
      <Link to={`/affiliates/${balance.ownerId}`} className="font-medium hover:text-primary hover:underline">
        Affiliate #{balance.ownerId}
      </Link>
    );
  return <span className="font-medium capitalize">{balance.ownerId}</span>;
}

/** An owner sees its own entries as amounts; an admin every entry with its account. */
function EntriesCell({ transfer, admin }: { transfer: Transfer; admin: boolean }) {
  if (!admin) {
    const [entry] = transfer.entries;
    if (!entry) return <span className="text-muted-foreground">–</span>;
    const total = transfer.entries
      .filter((e) => e.layer === entry.layer)
      .reduce((sum, e) => sum + e.presentedMinor, 0);
    return (
      <span className={cn('font-medium', total < 0 && 'text-destructive')}>
        {formatMoney(total, entry.account.currency)}
        {entry.layer === 'pending' ? (
          <span className="ml-1 text-xs font-normal text-muted-foreground">pending</span>
        ) : null}
      </span>
    );
  }
  return (
    <ul className="grid gap-0.5 text-xs">
      {transfer.entries.map((entry) => (
        <li key={`${entry.accountId}-${entry.layer}`} className="flex justify-end gap-2">
          <span className="text-muted-foreground">
            {entry.account.kind.replaceAll('_', ' ')} {entry.account.ownerId}
            {entry.layer === 'pending' ? ' (pending)' : ''}
          </span>
          <span className="tabular-nums">{formatMoney(entry.amountMinor, entry.account.currency)}</span>
        </li>
      ))}
    </ul>
  );
}

type ReconcileAnswer = Extract<NonNullable<Route.ComponentProps['actionData']>, { intent: 'reconcile' }>;
type TopUpAnswer = Extract<NonNullable<Route.ComponentProps['actionData']>, { intent: 'top-up' }>;

/** Add funds: the amount and currency, then Stripe's own payment page; recent top-ups below. */
function TopUpCard({
  topUps,
  error,
  sending,
}: {
  topUps: Route.ComponentProps['loaderData']['topUps'];
  error: TopUpAnswer | null;
  sending: boolean;
}) {
  return (
    <Card className="mb-6">
      <CardHeader>
        <CardTitle>Add funds</CardTitle>
        <CardDescription>
          Prepay by card through Stripe. Conversions are paid from the balance; it is credited once Stripe
          confirms the payment.
        </CardDescription>
      </CardHeader>
      <CardContent className="grid gap-5 lg:grid-cols-[minmax(0,1fr)_minmax(0,1fr)]">
        <Form method="post" className="flex flex-col gap-3 sm:flex-row sm:items-end">
          <input type="hidden" name="intent" value="top-up" />
          <div className="grid gap-1.5">
            <Label htmlFor="top-up-amount">Amount</Label>
            <Input
              id="top-up-amount"
              name="amount"
              inputMode="decimal"
              placeholder="500.00"
              required
              className="sm:w-40"
              aria-invalid={error?.field === 'amount' || undefined}
              aria-describedby={error ? 'top-up-error' : undefined}
            />
          </div>
          <div className="grid gap-1.5">
            <Label htmlFor="top-up-currency">Currency</Label>
            <NativeSelect id="top-up-currency" name="currency" defaultValue="USD" className="sm:w-28">
              {TOP_UP_CURRENCIES.map((currency) => (
                <option key={currency} value={currency}>
                  {currency}
                </option>
              ))}
            </NativeSelect>
          </div>
          <Button type="submit" disabled={sending}>
            <CreditCardIcon aria-hidden /> {sending ? 'Opening Stripe…' : 'Pay with Stripe'}
          </Button>
        </Form>
        {error ? (
          <p id="top-up-error" role="alert" className="text-sm text-destructive lg:col-span-2">
            {error.message}
          </p>
        ) : null}
        {topUps.length > 0 ? (
          <ul aria-label="Recent top-ups" className="grid gap-1 text-sm lg:col-start-2 lg:row-start-1">
            {topUps.map((topUp) => (
              <li key={topUp.id} className="flex items-center justify-between gap-3">
                <span className="text-muted-foreground">{formatDateTime(topUp.createdAt)}</span>
                <span className="flex items-center gap-2">
                  <span className="font-medium tabular-nums">
                    {formatMoney(topUp.amountMinor, topUp.currency)}
                  </span>
                  <StatusBadge
                    status={
                      topUp.status === 'open' ? 'pending' : topUp.status === 'paid' ? 'approved' : 'failed'
                    }
                    label={topUp.status === 'open' ? 'waiting for Stripe' : topUp.status}
                  />
                </span>
              </li>
            ))}
          </ul>
        ) : null}
      </CardContent>
    </Card>
  );
}

function ReconciliationPanel({ answer }: { answer: ReconcileAnswer }) {
  if (!answer.ok)
    return (
      <p
        role="alert"
        className="mb-6 rounded-xl border border-destructive/40 bg-destructive/8 px-4 py-3 text-sm"
      >
        The reconciliation could not run: {answer.message}
      </p>
    );
  const { reconciliation } = answer;
  const clean = reconciliation.clean;
  return (
    <section
      aria-label="Reconciliation"
      className={cn(
        'mb-6 rounded-xl border px-4 py-3 text-sm',
        clean ? 'border-success/40 bg-success/8' : 'border-warning/40 bg-warning/8',
      )}
    >
      <p className="flex items-center gap-2 font-medium">
        {clean ? (
          <CheckCircle2Icon className="size-4 text-success" aria-hidden />
        ) : (
          <TriangleAlertIcon className="size-4 text-warning" aria-hidden />
        )}
        {clean
          ? 'The ledger equals the conversions.'
          : `${reconciliation.differencesTotal} difference${reconciliation.differencesTotal === 1 ? '' : 's'} found.`}
        <span className="font-normal text-muted-foreground">
          Checked {formatDateTime(reconciliation.checkedAt)} UTC
        </span>
      </p>
      <ul className="mt-2 flex flex-wrap gap-2">
        {reconciliation.checks.map((check) => (
          <li key={check.name}>
            <StatusBadge
              status={
                check.status === 'clean'
                  ? 'approved'
                  : check.status === 'differences'
                    ? 'rejected'
                    : 'pending'
              }
              label={`${check.name}: ${check.status === 'not_checked' ? 'not checked' : check.status === 'clean' ? 'clean' : `${check.differences} differences`}`}
            />
          </li>
        ))}
      </ul>
      {reconciliation.differences.length > 0 ? (
        <ul className="mt-3 grid gap-1">
          {reconciliation.differences.map((difference) => (
            <li
              key={`${difference.check}-${difference.code}-${difference.transferId ?? ''}-${difference.conversionId ?? ''}-${difference.account?.kind ?? ''}-${difference.account?.ownerId ?? ''}-${difference.layer ?? ''}`}
            >
              <code className="text-xs">{difference.code}</code> {difference.message}
            </li>
          ))}
        </ul>
      ) : null}
    </section>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
