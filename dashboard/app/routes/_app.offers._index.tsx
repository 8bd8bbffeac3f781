import { BriefcaseIcon, PlusIcon, SearchXIcon } from 'lucide-react';
import { type ReactNode, Suspense } from 'react';
import { Await, Link } from 'react-router';
import { type ColumnDef, DataTable, Pager } from '~/components/data-table';
import { AccessAction } from '~/components/offers/access';
import { CapUsageCompact } from '~/components/offers/cap-usage';
import { ClearFilters, FilterBar, SearchFilter, SelectFilter } from '~/components/offers/filters';
import {
  ACCESS_LABEL,
  ACCESS_STATES,
  formatPayout,
  formatRevenue,
  OFFER_STATUSES,
  PAYOUT_TYPE_LABEL,
  PAYOUT_TYPES,
  payoutUnit,
  STATUS_LABEL,
  targetingSummary,
  VISIBILITY_LABEL,
} from '~/components/offers/offer-text';
import {
  type AffiliateOffer,
  type CapUsage,
  capUsageByOffer,
  companyNames,
  isAffiliateOffer,
  isFullOffer,
  listAllOffers,
  type Offer,
} from '~/components/offers/offers.server';
import { EmptyState, PageHeader } from '~/components/page';
import { StatusBadge } from '~/components/status-badge';
import { Badge } from '~/components/ui/badge';
import { Button } from '~/components/ui/button';
import { Card } from '~/components/ui/card';
import { authOf } from '~/lib/auth.server';
import { formatDate } from '~/lib/format';
import type { Route } from './+types/_app.offers._index';

export function meta({ loaderData }: Route.MetaArgs) {
  return [{ title: `${loaderData?.kind === 'marketplace' ? 'Offer marketplace' : 'Offers'} · TAS` }];
}

const PAGE_SIZE = 25;

function pick<T extends string>(value: string | null, allowed: readonly T[]): T | undefined {
  return allowed.find((item) => item === value);
}

/** Matches an offer's name, description or id against the search text. */
function matchesText(offer: { id: number; name: string; description: string | null }, q: string): boolean {
  if (!q) return true;
  const needle = q.toLowerCase();
  return (
    offer.name.toLowerCase().includes(needle) ||
    (offer.description ?? '').toLowerCase().includes(needle) ||
    String(offer.id) === q.replace(/^#/, '')
  );
}

function pageOf<T>(rows: T[], pageParam: string | null) {
  const pages = Math.max(1, Math.ceil(rows.length / PAGE_SIZE));
  const page = Math.min(Math.max(Number.parseInt(pageParam ?? '1', 10) || 1, 1), pages);
  return {
    rows: rows.slice((page - 1) * PAGE_SIZE, page * PAGE_SIZE),
    page,
    next: page < pages ? String(page + 1) : null,
  };
}

/**
 * Affiliates get the marketplace (their payout, access, caps left); advertisers and admins the
 * offers they manage. Filters live in the URL; the API filters status and advertiser, the rest is
 * filtered here over the whole (bounded) list, so search and paging agree.
 */
export async function loader({ request, context }: Route.LoaderArgs) {
  const auth = authOf(context);
  const params = new URL(request.url).searchParams;
  const q = (params.get('q') ?? '').trim().slice(0, 100);

  if (auth.viewer.role === 'affiliate') {
    const payoutType = pick(params.get('payoutType'), PAYOUT_TYPES);
    const access = pick(params.get('access'), ACCESS_STATES);
    const { offers, truncated } = await listAllOffers(auth.api);
    const matching = offers
      .filter(isAffiliateOffer)
      .filter((offer) => matchesText(offer, q))
      .filter((offer) => !payoutType || offer.payoutType === payoutType)
      .filter((offer) => !access || offer.access === access);
    const { rows, next } = pageOf(matching, params.get('page'));
    return {
      kind: 'marketplace' as const,
      offers: rows,
      total: matching.length,
      all: offers.length,
      truncated,
      next,
      // Streamed: the table shows at once, the caps fill in as the edge answers.
      caps: capUsageByOffer(
        auth.api,
        rows.map((offer) => offer.id),
      ),
    };
  }

  const status = pick(params.get('status'), OFFER_STATUSES);
  const advertiserParam = params.get('advertiserId');
  const advertiserId =
    auth.viewer.role === 'admin' && advertiserParam && /^[1-9]\d{0,9}$/.test(advertiserParam)
      ? advertiserParam
      : undefined;
  const [{ offers, truncated }, advertisers] = await Promise.all([
    listAllOffers(auth.api, { ...(status ? { status } : {}), ...(advertiserId ? { advertiserId } : {}) }),
    companyNames(auth, 'advertisers'),
  ]);
  const matching = offers.filter(isFullOffer).filter((offer) => matchesText(offer, q));
  const { rows, next } = pageOf(matching, params.get('page'));
  return {
    kind: 'manage' as const,
    role: auth.viewer.role,
    offers: rows,
    total: matching.length,
    truncated,
    next,
    advertisers,
  };
}

export default function Offers({ loaderData }: Route.ComponentProps) {
  return loaderData.kind === 'marketplace' ? (
    <Marketplace
      offers={loaderData.offers}
      total={loaderData.total}
      all={loaderData.all}
      next={loaderData.next}
      caps={loaderData.caps}
    />
  ) : (
    <ManageList
      offers={loaderData.offers}
      total={loaderData.total}
      next={loaderData.next}
      isAdmin={loaderData.role === 'admin'}
      advertisers={loaderData.advertisers}
    />
  );
}

function CapsCell({ caps, id }: { caps: Promise<Record<number, CapUsage | null>>; id: number }) {
  return (
    <Suspense fallback={<CapUsageCompact usage={undefined} />}>
      <Await resolve={caps} errorElement={<CapUsageCompact usage={null} />}>
        {(byOffer) => <CapUsageCompact usage={byOffer[id] ?? null} />}
      </Await>
    </Suspense>
  );
}

function PayoutCell({ offer }: { offer: AffiliateOffer | Offer }) {
  return (
    <div className="flex shrink-0 flex-col items-end leading-tight">
      <span className="font-semibold tabular-nums">{formatPayout(offer)}</span>
      <span className="text-xs whitespace-nowrap text-muted-foreground">
        {PAYOUT_TYPE_LABEL[offer.payoutType]}
        <span className="max-sm:hidden"> · {payoutUnit(offer.payoutType)}</span>
      </span>
    </div>
  );
}

function OfferName({ offer, detail }: { offer: { id: number; name: string }; detail?: string }) {
  return (
    <div className="min-w-0 max-w-80">
      <Link
        to={`/offers/${offer.id}`}
        className="block truncate font-medium text-foreground hover:text-primary hover:underline"
      >
        {offer.name}
      </Link>
      <span className="block truncate text-xs text-muted-foreground">
        #{offer.id}
        {detail ? ` · ${detail}` : ''}
      </span>
    </div>
  );
}

function Marketplace({
  offers,
  total,
  all,
  next,
  caps,
}: {
  offers: AffiliateOffer[];
  total: number;
  all: number;
  next: string | null;
  caps: Promise<Record<number, CapUsage | null>>;
}) {
  const columns: ColumnDef<AffiliateOffer, unknown>[] = [
    {
      accessorKey: 'name',
      header: 'Offer',
      cell: ({ row }) => <OfferName offer={row.original} detail={row.original.events.join(', ')} />,
    },
    {
      id: 'payout',
      header: 'Payout',
      accessorFn: (offer) => (offer.payoutType === 'revshare' ? offer.payoutBps : offer.payoutMinor),
      meta: { numeric: true },
      cell: ({ row }) => <PayoutCell offer={row.original} />,
    },
    {
      id: 'targeting',
      header: 'Targeting',
      enableSorting: false,
      cell: ({ row }) => (
        <span className="block max-w-56 truncate text-xs text-muted-foreground">
          {targetingSummary(row.original.targeting)}
        </span>
      ),
    },
    {
      id: 'deepLinks',
      header: 'Deep links',
      enableSorting: false,
      cell: ({ row }) =>
        row.original.deepLinksAllowed ? (
          <Badge variant="success">Allowed</Badge>
        ) : (
          <span className="text-xs text-muted-foreground">No</span>
        ),
    },
    {
      id: 'caps',
      header: 'Caps',
      enableSorting: false,
      cell: ({ row }) => <CapsCell caps={caps} id={row.original.id} />,
    },
    {
      accessorKey: 'access',
      header: 'Access',
      cell: ({ row }) => (
        <AccessAction offerId={row.original.id} offerName={row.original.name} access={row.original.access} />
      ),
    },
  ];
  return (
    <>
      <PageHeader
        title="Offers"
        description={
          all === 0
            ? 'Offers you may run appear here.'
            : `${total} of ${all} offer${all === 1 ? '' : 's'} · your payout, targeting, caps and access`
        }
      />
      <FilterBar>
        <SearchFilter label="Search offers" placeholder="Search by name or #id" className="sm:w-72" />
        <SelectFilter
          param="payoutType"
          label="Payout type"
          allLabel="All payout types"
          options={PAYOUT_TYPES.map((type) => ({ value: type, label: PAYOUT_TYPE_LABEL[type] }))}
        />
        <SelectFilter
          param="access"
          label="Access"
          allLabel="Any access"
          options={ACCESS_STATES.map((state) => ({ value: state, label: ACCESS_LABEL[state] }))}
        />
        <ClearFilters params={['q', 'payoutType', 'access']} />
      </FilterBar>
      {offers.length === 0 ? (
        all === 0 ? (
          <EmptyState
            icon={BriefcaseIcon}
            title="No offers yet"
            description="When the network publishes offers you may run, they show here with your payout."
          />
        ) : (
          <EmptyState
            icon={SearchXIcon}
            title="No offer matches these filters"
            description="Try another search, or clear the filters."
            action={<ClearFilters params={['q', 'payoutType', 'access']} />}
          />
        )
      ) : (
        <>
          <DataTable
            columns={columns}
            data={offers}
            caption="Offers you may run"
            className="hidden md:block"
          />
          <ul className="grid grid-cols-1 gap-3 md:hidden" aria-label="Offers you may run">
            {offers.map((offer) => (
              <li key={offer.id}>
                <Card className="flex min-w-0 flex-col gap-3 p-4">
                  <div className="flex items-start justify-between gap-3">
                    <OfferName offer={offer} detail={offer.events.join(', ')} />
                    <PayoutCell offer={offer} />
                  </div>
                  <p className="text-xs text-muted-foreground">
                    {targetingSummary(offer.targeting)}
                    {offer.deepLinksAllowed ? ' · deep links allowed' : ''}
                  </p>
                  <CapsCell caps={caps} id={offer.id} />
                  <div className="flex items-center justify-between gap-2">
                    <AccessAction offerId={offer.id} offerName={offer.name} access={offer.access} />
                    <Button asChild variant="outline" size="sm">
                      <Link to={`/offers/${offer.id}`}>Details</Link>
                    </Button>
                  </div>
                </Card>
              </li>
            ))}
          </ul>
          <Pager next={next} param="page" />
        </>
      )}
    </>
  );
}

function ManageList({
  offers,
  total,
  next,
  isAdmin,
  advertisers,
}: {
  offers: Offer[];
  total: number;
  next: string | null;
  isAdmin: boolean;
  advertisers: Record<number, string>;
}) {
  const advertiserName = (id: number) => advertisers[id] ?? `Advertiser #${id}`;
  const columns: ColumnDef<Offer, unknown>[] = [
    {
      accessorKey: 'name',
      header: 'Offer',
      cell: ({ row }) => (
        <OfferName
          offer={row.original}
          detail={isAdmin ? advertiserName(row.original.advertiserId) : undefined}
        />
      ),
    },
    {
      accessorKey: 'status',
      header: 'Status',
      cell: ({ row }) => (
        <StatusBadge status={row.original.status} label={STATUS_LABEL[row.original.status]} />
      ),
    },
    {
      accessorKey: 'visibility',
      header: 'Visibility',
      cell: ({ row }) => (
        <span className="text-muted-foreground">{VISIBILITY_LABEL[row.original.visibility]}</span>
      ),
    },
    {
      id: 'payout',
      header: 'Payout',
      accessorFn: (offer) => (offer.payoutType === 'revshare' ? offer.payoutBps : offer.payoutMinor),
      meta: { numeric: true },
      cell: ({ row }) => <PayoutCell offer={row.original} />,
    },
    {
      id: 'revenue',
      header: 'Revenue',
      accessorFn: (offer) => (offer.payoutType === 'revshare' ? offer.revenueBps : offer.revenueMinor),
      meta: { numeric: true },
      cell: ({ row }) => <span className="tabular-nums">{formatRevenue(row.original)}</span>,
    },
    { accessorKey: 'currency', header: 'Currency' },
    {
      accessorKey: 'updatedAt',
      header: 'Updated',
      cell: ({ row }) => <span className="text-muted-foreground">{formatDate(row.original.updatedAt)}</span>,
    },
  ];
  const newOffer = (
    <Button asChild>
      <Link to="/offers/new">
        <PlusIcon aria-hidden />
        New offer
      </Link>
    </Button>
  );
  const filtered = ['q', 'status', 'advertiserId'];
  return (
    <>
      <PageHeader
        title="Offers"
        description={`${total} offer${total === 1 ? '' : 's'}${isAdmin ? ' across the network' : ''}`}
        actions={newOffer}
      />
      <FilterBar>
        <SearchFilter label="Search offers" placeholder="Search by name or #id" className="sm:w-72" />
        <SelectFilter
          param="status"
          label="Status"
          allLabel="All statuses"
          options={OFFER_STATUSES.map((status) => ({ value: status, label: STATUS_LABEL[status] }))}
        />
        {isAdmin ? (
          <SelectFilter
            param="advertiserId"
            label="Advertiser"
            allLabel="All advertisers"
            options={Object.entries(advertisers).map(([id, name]) => ({ value: id, label: name }))}
          />
        ) : null}
        <ClearFilters params={filtered} />
      </FilterBar>
      {offers.length === 0 ? (
        <ManageEmpty action={newOffer} />
      ) : (
        <>
          <DataTable columns={columns} data={offers} caption="Offers" className="hidden md:block" />
          <ul className="grid grid-cols-1 gap-3 md:hidden" aria-label="Offers">
            {offers.map((offer) => (
              <li key={offer.id}>
                <Card className="flex min-w-0 flex-col gap-2 p-4">
                  <div className="flex items-start justify-between gap-3">
                    <OfferName
                      offer={offer}
                      detail={
                        isAdmin ? advertiserName(offer.advertiserId) : VISIBILITY_LABEL[offer.visibility]
                      }
                    />
                    <StatusBadge status={offer.status} label={STATUS_LABEL[offer.status]} />
                  </div>
                  <div className="flex justify-between text-sm">
                    <span className="text-muted-foreground">
                      Payout <span className="font-medium text-foreground">{formatPayout(offer)}</span>
                    </span>
                    <span className="text-muted-foreground">
                      Revenue <span className="font-medium text-foreground">{formatRevenue(offer)}</span>
                    </span>
                  </div>
                </Card>
              </li>
            ))}
          </ul>
        </>
      )}
      <Pager next={next} param="page" />
    </>
  );
}

function ManageEmpty({ action }: { action: ReactNode }) {
  return (
    <EmptyState
      icon={BriefcaseIcon}
      title="No offers here"
      description="Create an offer, or change the filters to see others."
      action={action}
    />
  );
}
