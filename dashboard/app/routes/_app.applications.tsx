import { ClipboardCheckIcon, SearchXIcon } from 'lucide-react';
import { data, Link, useSearchParams } from 'react-router';
import { ApplicationsTable } from '~/components/offers/applications-table';
import { ClearFilters, FilterBar, SearchFilter, SelectFilter } from '~/components/offers/filters';
import { companyNames, decideApplication, listAllOffers } from '~/components/offers/offers.server';
import { EmptyState, PageHeader } from '~/components/page';
import { apiMessage } from '~/lib/api-errors';
import { authOf, requireRole } from '~/lib/auth.server';
import { cn } from '~/lib/utils';
import type { Route } from './+types/_app.applications';

export function meta() {
  return [{ title: 'Applications · TAS' }];
}

const STATUSES = ['pending', 'approved', 'rejected'] as const;
type Status = (typeof STATUSES)[number];
const STATUS_TABS: { value: Status | 'all'; label: string }[] = [
  { value: 'pending', label: 'Pending' },
  { value: 'approved', label: 'Approved' },
  { value: 'rejected', label: 'Rejected' },
  { value: 'all', label: 'All' },
];

/**
 * Affiliates' applications to run offers (to the advertiser's own offers, or every one for
 * admins), pending first by default. All are read once so each tab can show its count.
 */
export async function loader({ request, context }: Route.LoaderArgs) {
  const auth = requireRole(authOf(context), 'advertiser', 'admin');
  const params = new URL(request.url).searchParams;
  const offerParam = params.get('offerId');
  const offerId = offerParam && /^[1-9]\d{0,9}$/.test(offerParam) ? offerParam : undefined;
  const [applications, offers, affiliates] = await Promise.all([
    auth.api.GET('/api/v1/applications', { params: { query: offerId ? { offerId } : {} } }),
    listAllOffers(auth.api),
    companyNames(auth, 'affiliates'),
  ]);
  if (!applications.data)
    throw data(
      { message: apiMessage(applications.error, 'The applications could not be loaded.') },
      { status: applications.response.status },
    );
  const statusParam = params.get('status');
  const status: Status | 'all' =
    statusParam === 'all' ? 'all' : (STATUSES.find((value) => value === statusParam) ?? 'pending');
  const q = (params.get('q') ?? '').trim().toLowerCase();
  const all = applications.data.data;
  const counts = Object.fromEntries(
    STATUSES.map((value) => [value, all.filter((application) => application.status === value).length]),
  ) as Record<Status, number>;
  const offerNames = Object.fromEntries(offers.offers.map((offer) => [offer.id, offer.name]));
  const rows = all
    .filter((application) => status === 'all' || application.status === status)
    .filter((application) => {
      if (!q) return true;
      const name = (affiliates[application.affiliateId] ?? '').toLowerCase();
      return name.includes(q) || String(application.affiliateId) === q.replace(/^#/, '');
    })
    // Oldest pending first (first come, first served); decided ones newest first.
    .sort((a, b) =>
      a.status === 'pending' && b.status === 'pending'
        ? a.createdAt.localeCompare(b.createdAt)
        : b.updatedAt.localeCompare(a.updatedAt),
    );
  return {
    rows,
    counts,
    total: all.length,
    status,
    offerNames,
    affiliates,
    isAdmin: auth.viewer.role === 'admin',
  };
}

export async function action({ request, context }: Route.ActionArgs) {
  const auth = requireRole(authOf(context), 'advertiser', 'admin');
  const result = await decideApplication(auth.api, await request.formData());
  return data(result, { status: result.ok ? 200 : 400 });
}

export default function Applications({ loaderData }: Route.ComponentProps) {
  const { rows, counts, total, status, offerNames, affiliates, isAdmin } = loaderData;
  const [params] = useSearchParams();
  const tabHref = (value: Status | 'all') => {
    const next = new URLSearchParams(params);
    if (value === 'pending') next.delete('status');
    else next.set('status', value);
    const query = next.toString();
    return query ? `?${query}` : '?';
  };
  const affiliateName = (id: number) => affiliates[id] ?? `Affiliate #${id}`;
  const offerName = (id: number) => offerNames[id] ?? `Offer #${id}`;
  return (
    <>
      <PageHeader
        title="Applications"
        description={
          counts.pending > 0
            ? `${counts.pending} affiliate${counts.pending === 1 ? '' : 's'} waiting for a decision`
            : 'Affiliates asking to run your approval-required offers'
        }
      />
      <nav aria-label="Application status" className="mb-4 flex gap-1 overflow-x-auto border-b">
        {STATUS_TABS.map((tab) => {
          const active = tab.value === status;
          const count = tab.value === 'all' ? total : counts[tab.value];
          return (
            <Link
              key={tab.value}
              to={tabHref(tab.value)}
              replace
              preventScrollReset
              aria-current={active ? 'page' : undefined}
              className={cn(
                '-mb-px flex items-center gap-2 border-b-2 px-3 py-2 text-sm font-medium whitespace-nowrap transition-colors',
                active
                  ? 'border-primary text-foreground'
                  : 'border-transparent text-muted-foreground hover:text-foreground',
              )}
            >
              {tab.label}
              <span
                className={cn(
                  'rounded-full px-1.5 text-xs tabular-nums',
                  active ? 'bg-primary/12 text-primary' : 'bg-muted text-muted-foreground',
                )}
              >
                {count}
              </span>
            </Link>
          );
        })}
      </nav>
      <FilterBar>
        {isAdmin ? (
          <SearchFilter label="Search affiliates" placeholder="Affiliate name or #id" className="sm:w-64" />
        ) : null}
        <SelectFilter
          param="offerId"
          label="Offer"
          allLabel="All offers"
          className="sm:w-72"
          options={Object.entries(offerNames).map(([id, name]) => ({ value: id, label: name }))}
        />
        <ClearFilters params={['q', 'offerId']} />
      </FilterBar>
      {rows.length === 0 ? (
        total === 0 ? (
          <EmptyState
            icon={ClipboardCheckIcon}
            title="No applications yet"
            description="Affiliates apply to offers that need approval from the marketplace; their requests show up here."
            action={
              <Link to="/offers" className="text-sm font-medium text-primary hover:underline">
                See your offers
              </Link>
            }
          />
        ) : (
          <EmptyState
            icon={status === 'pending' ? ClipboardCheckIcon : SearchXIcon}
            title={status === 'pending' ? 'Nothing waiting for review' : 'No application matches'}
            description={
              status === 'pending'
                ? 'Every application has been decided. New ones appear here.'
                : 'Try another status or clear the filters.'
            }
          />
        )
      ) : (
        <ApplicationsTable
          applications={rows}
          affiliateName={affiliateName}
          offerName={offerName}
          caption="Applications"
        />
      )}
    </>
  );
}
