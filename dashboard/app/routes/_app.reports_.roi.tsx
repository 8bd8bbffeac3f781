import { ArrowLeftIcon, InfoIcon, Loader2Icon, PlugZapIcon, SearchXIcon } from 'lucide-react';
import { data, Form, Link, useNavigation, useSearchParams } from 'react-router';
import type { RoiRow } from '~/components/ad-platforms/ad-platform-text';
import { advertiserFilter, requireAdPlatforms } from '~/components/ad-platforms/ad-platforms.server';
import { formatRoas, formatRoi, type RoiTotals, roiRange, roiTotals } from '~/components/ad-platforms/roi';
import { advertiserChoices } from '~/components/campaigns/campaigns.server';
import { GeneralErrorBoundary } from '~/components/error-boundary';
import { EmptyState, PageHeader } from '~/components/page';
import { Button } from '~/components/ui/button';
import { Input } from '~/components/ui/input';
import { Label } from '~/components/ui/label';
import { Alert } from '~/components/ui/misc';
import { NativeSelect } from '~/components/ui/native-select';
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from '~/components/ui/table';
import { apiMessage } from '~/lib/api-errors';
import { authOf } from '~/lib/auth.server';
import { formatCount, formatDate, formatMoney } from '~/lib/format';
import { cn } from '~/lib/utils';
import type { Route } from './+types/_app.reports_.roi';

export function meta() {
  return [{ title: 'ROI · Reports · TAS' }];
}

/**
 * Revenue beside ad spend: GET /api/v1/reports/roi per offer (or offer and day), UTC days, the
 * last 30 by default. Admins may narrow it to one advertiser; affiliates are refused.
 */
export async function loader({ request, context }: Route.LoaderArgs) {
  const auth = requireAdPlatforms(authOf(context));
  const params = new URL(request.url).searchParams;
  const range = roiRange(params);
  const groupBy = params.get('groupBy') === 'day' ? ('day' as const) : ('offer' as const);
  const advertiserId = advertiserFilter(auth, params);
  const admin = auth.viewer.role === 'admin';
  const [report, advertisers] = await Promise.all([
    auth.api.GET('/api/v1/reports/roi', {
      params: {
        query: { ...range, groupBy, ...(advertiserId ? { advertiserId: String(advertiserId) } : {}) },
      },
    }),
    admin ? advertiserChoices(auth.api) : Promise.resolve(null),
  ]);
  if (!report.data) {
    if (report.response.status === 400)
      return { admin, range, groupBy, advertiserId, advertisers, rows: [], error: apiMessage(report.error) };
    throw data(
      { message: apiMessage(report.error, 'The ROI report could not be loaded.') },
      { status: report.response.status },
    );
  }
  return { admin, range, groupBy, advertiserId, advertisers, rows: report.data.data, error: null };
}

export default function RoiReport({ loaderData }: Route.ComponentProps) {
  const { admin, range, groupBy, advertisers, rows, error } = loaderData;
  const navigation = useNavigation();
  const loading = navigation.state === 'loading' && navigation.location.pathname === '/reports/roi';
  const totals = roiTotals(rows, admin);
  const unmapped = rows.filter((r) => r.offerId === null);
  return (
    <div aria-busy={loading || undefined}>
      <Button asChild variant="ghost" size="sm" className="mb-2 -ml-2 text-muted-foreground">
        <Link to="/reports">
          <ArrowLeftIcon aria-hidden />
          Reports
        </Link>
      </Button>
      <PageHeader
        title="Return on ad spend"
        description={`${formatDate(`${range.from}T00:00:00Z`)} – ${formatDate(`${range.to}T00:00:00Z`)}, UTC days. Ad spend of platform campaigns mapped to your offers, beside the conversions they brought.`}
        actions={
          <>
            {loading ? (
              <Loader2Icon className="size-4 animate-spin text-muted-foreground" aria-label="Loading" />
            ) : null}
            <Button asChild variant="outline">
              <Link to="/ad-platforms">
                <PlugZapIcon aria-hidden />
                Ad platforms
              </Link>
            </Button>
          </>
        }
      />
      <RoiFilters range={range} groupBy={groupBy} advertisers={advertisers} />
      <div className={cn('grid gap-4 transition-opacity', loading && 'opacity-60')}>
        {error ? (
          <Alert variant="destructive">
            <p className="font-medium">This report cannot be shown</p>
            <p className="mt-1">{error}</p>
          </Alert>
        ) : rows.length === 0 ? (
          <EmptyState
            icon={SearchXIcon}
            title="No conversions or ad spend in this range"
            description="Connect an ad account, sync it, and map its campaigns to offers to see cost, ROAS and ROI here."
            action={
              <Button asChild variant="outline">
                <Link to="/ad-platforms">Go to ad platforms</Link>
              </Button>
            }
          />
        ) : (
          <>
            <RoiTable rows={rows} totals={totals} admin={admin} byDay={groupBy === 'day'} />
            {unmapped.length > 0 ? (
              <Alert>
                <InfoIcon aria-hidden />
                <p>
                  <span className="font-medium">Unmapped spend:</span>{' '}
                  {unmapped
                    .reduce<{ currency: string; cost: number }[]>((acc, r) => {
                      const found = acc.find((a) => a.currency === r.currency);
                      if (found) found.cost += r.costMinor;
                      else acc.push({ currency: r.currency, cost: r.costMinor });
                      return acc;
                    }, [])
                    .map((s) => formatMoney(s.cost, s.currency))
                    .join(' + ')}{' '}
                  was spent on campaigns not mapped to an offer. It counts in the totals but in no offer’s
                  ROI: map those campaigns on their ad account’s Campaigns page.
                </p>
              </Alert>
            ) : null}
          </>
        )}
      </div>
    </div>
  );
}

function RoiFilters({
  range,
  groupBy,
  advertisers,
}: {
  range: { from: string; to: string };
  groupBy: 'offer' | 'day';
  advertisers: { id: number; name: string }[] | null;
}) {
  const [params] = useSearchParams();
  return (
    <Form method="get" aria-label="Report range" className="mb-4 flex flex-wrap items-end gap-3">
      <div className="grid gap-1">
        <Label htmlFor="roi-from" className="text-xs text-muted-foreground">
          From
        </Label>
        <Input id="roi-from" name="from" type="date" defaultValue={range.from} className="w-40" />
      </div>
      <div className="grid gap-1">
        <Label htmlFor="roi-to" className="text-xs text-muted-foreground">
          To
        </Label>
        <Input id="roi-to" name="to" type="date" defaultValue={range.to} className="w-40" />
      </div>
      <div className="grid gap-1">
        <Label htmlFor="roi-group" className="text-xs text-muted-foreground">
          Rows
        </Label>
        <NativeSelect id="roi-group" name="groupBy" defaultValue={groupBy} className="w-40">
          <option value="offer">Per offer</option>
          <option value="day">Per offer and day</option>
        </NativeSelect>
      </div>
      {advertisers ? (
        <div className="grid gap-1">
          <Label htmlFor="roi-advertiser" className="text-xs text-muted-foreground">
            Advertiser
          </Label>
          <NativeSelect
            id="roi-advertiser"
            name="advertiserId"
            defaultValue={params.get('advertiserId') ?? ''}
            className="w-56"
          >
            <option value="">Every advertiser</option>
            {advertisers.map((a) => (
              <option key={a.id} value={a.id}>
                {a.name}
              </option>
            ))}
          </NativeSelect>
        </div>
      ) : null}
      <Button type="submit" variant="secondary">
        Show
      </Button>
    </Form>
  );
}

function RoiTable({
  rows,
  totals,
  admin,
  byDay,
}: {
  rows: RoiRow[];
  totals: RoiTotals[];
  admin: boolean;
  byDay: boolean;
}) {
  const num = 'text-right tabular-nums';
  const figures = (r: RoiRow | RoiTotals) => (
    <>
      <TableCell className={num}>{formatCount(r.conversions)}</TableCell>
      <TableCell className={num}>{formatMoney(r.saleAmountMinor, r.currency)}</TableCell>
      <TableCell className={num}>{formatMoney(r.revenueMinor, r.currency)}</TableCell>
      {admin ? <TableCell className={num}>{formatMoney(r.payoutMinor, r.currency)}</TableCell> : null}
      <TableCell className={num}>{formatMoney(r.costMinor, r.currency)}</TableCell>
      <TableCell className={cn(num, r.profitMinor < 0 && 'text-destructive')}>
        {formatMoney(r.profitMinor, r.currency)}
      </TableCell>
      <TableCell className={num}>{formatRoas(r.roas)}</TableCell>
      <TableCell className={cn(num, r.roi !== null && r.roi < 0 && 'text-destructive')}>
        {formatRoi(r.roi)}
      </TableCell>
    </>
  );
  return (
    <div className="min-w-0 rounded-xl border bg-card shadow-xs">
      <Table>
        <caption className="sr-only">Return on ad spend</caption>
        <TableHeader>
          <TableRow className="hover:bg-transparent">
            <TableHead>Offer</TableHead>
            {byDay ? <TableHead>Day</TableHead> : null}
            <TableHead>Currency</TableHead>
            <TableHead className="text-right">Conversions</TableHead>
            <TableHead className="text-right">Sale amount</TableHead>
            <TableHead className="text-right">Revenue</TableHead>
            {admin ? <TableHead className="text-right">Payout</TableHead> : null}
            <TableHead className="text-right">Ad cost</TableHead>
            <TableHead className="text-right">Profit</TableHead>
            <TableHead className="text-right">ROAS</TableHead>
            <TableHead className="text-right">ROI</TableHead>
          </TableRow>
        </TableHeader>
        <TableBody>
          {rows.map((r) => (
            <TableRow key={`${r.offerId ?? 'none'}-${r.day ?? ''}-${r.currency}`}>
              <TableCell className="whitespace-normal">
                {r.offerId === null ? (
                  <span className="text-muted-foreground italic">Unmapped spend</span>
                ) : (
                  <Link to={`/offers/${r.offerId}`} className="hover:underline">
                    {r.offerName ?? `Offer #${r.offerId}`}
                  </Link>
                )}
              </TableCell>
              {byDay ? <TableCell className="tabular-nums">{r.day ?? '–'}</TableCell> : null}
              <TableCell>{r.currency}</TableCell>
              {figures(r)}
            </TableRow>
          ))}
        </TableBody>
        <tfoot className="border-t-2 bg-muted/40">
          {totals.map((t) => (
            <TableRow key={t.currency} className="font-medium" aria-label={`Total ${t.currency}`}>
              <TableCell colSpan={byDay ? 2 : 1}>Total</TableCell>
              <TableCell>{t.currency}</TableCell>
              {figures(t)}
            </TableRow>
          ))}
        </tfoot>
      </Table>
    </div>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
