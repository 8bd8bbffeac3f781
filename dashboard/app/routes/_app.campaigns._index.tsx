import { MegaphoneIcon, PlusIcon, SearchIcon } from 'lucide-react';
import { data, Form, Link, useSearchParams } from 'react-router';
import {
  CAMPAIGN_STATUS_LABEL,
  CAMPAIGN_STATUSES,
  type Campaign,
  type CampaignSpend,
  SERVING_LABEL,
  type Serving,
} from '~/components/campaigns/campaign-labels';
import { advertiserChoices, getSpend, offerChoices } from '~/components/campaigns/campaigns.server';
import { FilterLinks } from '~/components/campaigns/filter-links';
import { formatSchedule, scheduleState } from '~/components/campaigns/schedule';
import { BudgetMeter, ServingBadge } from '~/components/campaigns/spend';
import { type ColumnDef, DataTable, Pager } from '~/components/data-table';
import { EmptyState, PageHeader } from '~/components/page';
import { StatusBadge } from '~/components/status-badge';
import { Button } from '~/components/ui/button';
import { Card } from '~/components/ui/card';
import { Input } from '~/components/ui/input';
import { Label } from '~/components/ui/label';
import { NativeSelect } from '~/components/ui/native-select';
import { apiMessage } from '~/lib/api-errors';
import { authOf, requireRole } from '~/lib/auth.server';
import type { Route } from './+types/_app.campaigns._index';

export function meta() {
  return [{ title: 'Campaigns · TAS' }];
}

const SERVING: readonly Serving[] = ['serving', 'campaign_inactive', 'budget_reached', 'currency_mismatch'];
// The API pages campaigns by id without filters: a page this size is filtered here.
const PAGE = 100;

export async function loader({ context, request }: Route.LoaderArgs) {
  const { api, viewer } = requireRole(authOf(context), 'admin', 'advertiser');
  const url = new URL(request.url);
  const after = url.searchParams.get('after');
  const statusParam = url.searchParams.get('status');
  const servingParam = url.searchParams.get('serving');
  const q = (url.searchParams.get('q') ?? '').trim().toLowerCase();
  const offerParam = url.searchParams.get('offer');

  const [list, offers, advertisers] = await Promise.all([
    api.GET('/api/v1/campaigns', {
      params: { query: { limit: PAGE, ...(after && /^[1-9]\d{0,9}$/.test(after) ? { after } : {}) } },
    }),
    offerChoices(api),
    viewer.role === 'admin' ? advertiserChoices(api) : Promise.resolve(null),
  ]);
  if (!list.data)
    throw data(
      { message: apiMessage(list.error, 'The campaigns could not be loaded.') },
      { status: list.response.status },
    );
  const all = list.data.data;
  const matches = (c: Campaign, ignoreServing = false) =>
    (!statusParam || c.status === statusParam) &&
    (ignoreServing || !servingParam || c.serving === servingParam) &&
    (!offerParam || String(c.offerId) === offerParam) &&
    (!q || c.name.toLowerCase().includes(q));
  const rows = all.filter((c) => matches(c));
  const servingCounts = Object.fromEntries(
    SERVING.map((s) => [s, all.filter((c) => matches(c, true) && c.serving === s).length]),
  ) as Record<Serving, number>;
  const spends = await Promise.all(rows.map((c) => getSpend(api, c.id)));
  const spendById: Record<number, CampaignSpend | null> = Object.fromEntries(
    rows.map((c, i) => [c.id, spends[i] ?? null]),
  );
  return {
    role: viewer.role,
    rows,
    total: all.filter((c) => matches(c, true)).length,
    servingCounts,
    spendById,
    offers,
    advertisers,
    nextAfter: list.data.nextAfter,
    filtered: Boolean(statusParam || servingParam || q || offerParam),
  };
}

type Row = Route.ComponentProps['loaderData']['rows'][number];

export default function Campaigns({ loaderData }: Route.ComponentProps) {
  const { rows, spendById, offers, advertisers, servingCounts, total, filtered, nextAfter } = loaderData;
  const [params] = useSearchParams();
  const offerName = new Map(offers.map((o) => [o.id, o.name]));
  const advertiserName = new Map(advertisers?.map((a) => [a.id, a.name]) ?? []);

  const columns: ColumnDef<Row, unknown>[] = [
    {
      id: 'name',
      accessorKey: 'name',
      header: 'Campaign',
      cell: ({ row }) => (
        <div className="grid max-w-72 gap-0.5">
          <Link to={`/campaigns/${row.original.id}`} className="truncate font-medium hover:underline">
            {row.original.name}
          </Link>
          <span className="truncate text-xs text-muted-foreground">
            {row.original.offerId !== null
              ? (offerName.get(row.original.offerId) ?? `Offer ${row.original.offerId}`)
              : 'No offer'}
            {advertisers
              ? ` · ${advertiserName.get(row.original.advertiserId) ?? `Advertiser ${row.original.advertiserId}`}`
              : ''}
          </span>
        </div>
      ),
    },
    {
      id: 'status',
      accessorKey: 'status',
      header: 'Status',
      cell: ({ row }) => <StatusBadge status={row.original.status} />,
    },
    {
      id: 'serving',
      accessorKey: 'serving',
      header: 'Serving',
      cell: ({ row }) => <ServingBadge serving={row.original.serving} />,
    },
    {
      id: 'budget',
      header: 'Total budget',
      enableSorting: false,
      cell: ({ row }) => {
        const spend = spendById[row.original.id];
        return spend ? (
          <BudgetMeter
            compact
            label="Total budget"
            spentMinor={spend.spentMinor}
            budgetMinor={spend.budgetMinor}
            currency={spend.currency}
          />
        ) : (
          <span className="text-muted-foreground">–</span>
        );
      },
    },
    {
      id: 'today',
      header: 'Today',
      enableSorting: false,
      cell: ({ row }) => {
        const spend = spendById[row.original.id];
        return spend ? (
          <BudgetMeter
            compact
            label="Daily budget"
            spentMinor={spend.spentTodayMinor}
            budgetMinor={spend.dailyBudgetMinor}
            currency={spend.currency}
          />
        ) : (
          <span className="text-muted-foreground">–</span>
        );
      },
    },
    {
      id: 'schedule',
      accessorFn: (c) => c.startDate ?? '',
      header: 'Schedule',
      cell: ({ row }) => <Schedule campaign={row.original} />,
    },
  ];

  return (
    <>
      <PageHeader
        title="Campaigns"
        description={`Budgets and schedules for ${loaderData.role === 'admin' ? 'the network’s' : 'your'} offers’ creatives. A campaign that is not serving sends its clicks to the offer’s fallback.`}
        actions={
          <Button asChild>
            <Link to="/campaigns/new">
              <PlusIcon aria-hidden />
              New campaign
            </Link>
          </Button>
        }
      />
      <div className="mb-4 flex flex-col gap-3 lg:flex-row lg:items-center lg:justify-between">
        <FilterLinks
          param="serving"
          label="Serving state"
          options={[
            { value: null, label: 'All', count: total },
            ...SERVING.filter((s) => s !== 'currency_mismatch' || servingCounts[s] > 0).map((s) => ({
              value: s,
              label: SERVING_LABEL[s],
              count: servingCounts[s],
            })),
          ]}
        />
        <Form method="get" className="flex flex-wrap items-end gap-2" role="search">
          {params.get('serving') ? (
            <input type="hidden" name="serving" value={params.get('serving') ?? ''} />
          ) : null}
          <div className="grid gap-1">
            <Label htmlFor="campaign-q" className="sr-only">
              Search campaigns
            </Label>
            <div className="relative">
              <SearchIcon
                className="pointer-events-none absolute top-1/2 left-2.5 size-4 -translate-y-1/2 text-muted-foreground"
                aria-hidden
              />
              <Input
                id="campaign-q"
                name="q"
                type="search"
                placeholder="Search by name"
                defaultValue={params.get('q') ?? ''}
                className="w-48 pl-8"
              />
            </div>
          </div>
          <div className="grid gap-1">
            <Label htmlFor="campaign-status" className="sr-only">
              Status
            </Label>
            <NativeSelect
              id="campaign-status"
              name="status"
              defaultValue={params.get('status') ?? ''}
              className="w-36"
            >
              <option value="">Any status</option>
              {CAMPAIGN_STATUSES.map((s) => (
                <option key={s} value={s}>
                  {CAMPAIGN_STATUS_LABEL[s]}
                </option>
              ))}
            </NativeSelect>
          </div>
          {offers.length > 1 ? (
            <div className="grid gap-1">
              <Label htmlFor="campaign-offer" className="sr-only">
                Offer
              </Label>
              <NativeSelect
                id="campaign-offer"
                name="offer"
                defaultValue={params.get('offer') ?? ''}
                className="w-44"
              >
                <option value="">Any offer</option>
                {offers.map((o) => (
                  <option key={o.id} value={o.id}>
                    {o.name}
                  </option>
                ))}
              </NativeSelect>
            </div>
          ) : null}
          <Button type="submit" variant="outline">
            Filter
          </Button>
        </Form>
      </div>

      {rows.length === 0 ? (
        filtered ? (
          <EmptyState
            icon={SearchIcon}
            title="No campaign matches these filters"
            description="Change or clear the filters to see the others."
            action={
              <Button asChild variant="outline">
                <Link to="/campaigns">Clear filters</Link>
              </Button>
            }
          />
        ) : (
          <EmptyState
            icon={MegaphoneIcon}
            title="No campaigns yet"
            description="A campaign gives an offer’s creatives a budget and dates: when the budget is spent, their clicks go to the fallback instead of costing you more."
            action={
              <Button asChild>
                <Link to="/campaigns/new">
                  <PlusIcon aria-hidden />
                  New campaign
                </Link>
              </Button>
            }
          />
        )
      ) : (
        <>
          <DataTable columns={columns} data={rows} caption="Campaigns" className="hidden md:block" />
          <ul className="grid gap-3 md:hidden">
            {rows.map((c) => (
              <CampaignCard
                key={c.id}
                campaign={c}
                spend={spendById[c.id] ?? null}
                offer={c.offerId !== null ? (offerName.get(c.offerId) ?? `Offer ${c.offerId}`) : 'No offer'}
              />
            ))}
          </ul>
        </>
      )}
      <Pager next={nextAfter} />
    </>
  );
}

function Schedule({ campaign }: { campaign: Campaign }) {
  const state = scheduleState(campaign);
  return (
    <div className="grid gap-0.5 text-sm">
      <span className="whitespace-nowrap">{formatSchedule(campaign)}</span>
      {state ? (
        <span className="text-xs text-muted-foreground">{state === 'ended' ? 'Ended' : 'Not started'}</span>
      ) : null}
    </div>
  );
}

/** A campaign as a phone shows it: the same facts as the table's row, stacked. */
function CampaignCard({
  campaign,
  spend,
  offer,
}: {
  campaign: Campaign;
  spend: CampaignSpend | null;
  offer: string;
}) {
  return (
    <li>
      <Card className="grid gap-3 p-4">
        <div className="flex items-start justify-between gap-3">
          <div className="grid min-w-0 gap-0.5">
            <Link to={`/campaigns/${campaign.id}`} className="truncate font-medium hover:underline">
              {campaign.name}
            </Link>
            <span className="truncate text-xs text-muted-foreground">{offer}</span>
          </div>
          <ServingBadge serving={campaign.serving} />
        </div>
        {spend ? (
          <div className="grid grid-cols-2 gap-4">
            <div className="grid gap-1">
              <span className="text-xs font-medium text-muted-foreground">Total</span>
              <BudgetMeter
                compact
                label="Total budget"
                spentMinor={spend.spentMinor}
                budgetMinor={spend.budgetMinor}
                currency={spend.currency}
              />
            </div>
            <div className="grid gap-1">
              <span className="text-xs font-medium text-muted-foreground">Today</span>
              <BudgetMeter
                compact
                label="Daily budget"
                spentMinor={spend.spentTodayMinor}
                budgetMinor={spend.dailyBudgetMinor}
                currency={spend.currency}
              />
            </div>
          </div>
        ) : null}
        <div className="flex items-center justify-between gap-2 text-xs text-muted-foreground">
          <StatusBadge status={campaign.status} />
          <span>{formatSchedule(campaign)}</span>
        </div>
      </Card>
    </li>
  );
}
