import { ListChecksIcon, ReceiptIcon, SearchXIcon, XIcon } from 'lucide-react';
import { useCallback, useMemo, useState } from 'react';
import { data, Link, useNavigation, useSearchParams } from 'react-router';
import { ChangeDialog, type ChangeRequest } from '~/components/conversions/change-dialog';
import { ConversionFilters, FILTER_KEYS } from '~/components/conversions/conversion-filters';
import { ConversionTable } from '~/components/conversions/conversion-table';
import { CHANGE_ACTIONS, type ChangeAction } from '~/components/conversions/conversion-text';
import { Pager } from '~/components/data-table';
import { companyNames, listAllOffers } from '~/components/offers/offers.server';
import { EmptyState, PageHeader } from '~/components/page';
import { Button } from '~/components/ui/button';
import { apiMessage } from '~/lib/api-errors';
import { authOf } from '~/lib/auth.server';
import { formatCount } from '~/lib/format';
import type { Route } from './+types/_app.conversions._index';

export function meta() {
  return [{ title: 'Conversions · TAS' }];
}

const PAGE_SIZE = 50;
const ID = /^[1-9]\d{0,9}$/;
const DAY = /^\d{4}-\d{2}-\d{2}$/;
const STATUSES = ['pending', 'approved', 'rejected'] as const;

function nextDay(day: string): string {
  const date = new Date(`${day}T00:00:00.000Z`);
  date.setUTCDate(date.getUTCDate() + 1);
  return date.toISOString();
}

/**
 * Conversions the viewer may see (the API scopes them: an affiliate its own, an advertiser its
 * offers', an admin all), newest first, filtered by the URL, a cursor page at a time. Values the
 * API would refuse are left out rather than failing the page. Dates are whole UTC days.
 */
export async function loader({ request, context }: Route.LoaderArgs) {
  const auth = authOf(context);
  const params = new URL(request.url).searchParams;
  const get = (key: string) => params.get(key)?.trim() ?? '';
  const status = STATUSES.find((s) => s === get('status'));
  const from = DAY.test(get('from')) ? `${get('from')}T00:00:00.000Z` : undefined;
  const to = DAY.test(get('to')) ? nextDay(get('to')) : undefined;
  const query = {
    limit: PAGE_SIZE,
    ...(status ? { status } : {}),
    ...(ID.test(get('offerId')) ? { offerId: get('offerId') } : {}),
    ...(ID.test(get('affiliateId')) && auth.viewer.role !== 'affiliate'
      ? { affiliateId: get('affiliateId') }
      : {}),
    ...(get('txid') ? { txid: get('txid').slice(0, 255) } : {}),
    ...(get('clickId') ? { clickId: get('clickId').slice(0, 64) } : {}),
    ...(from && !Number.isNaN(Date.parse(from)) ? { from } : {}),
    ...(to && !Number.isNaN(Date.parse(to)) ? { to } : {}),
    ...(get('cursor') ? { cursor: get('cursor').slice(0, 200) } : {}),
  };
  const [list, { offers }, affiliates] = await Promise.all([
    auth.api.GET('/api/v1/conversions', { params: { query } }),
    listAllOffers(auth.api),
    companyNames(auth, 'affiliates'),
  ]);
  if (!list.data) {
    throw data(
      { message: apiMessage(list.error, 'The conversions could not be loaded.') },
      { status: list.response.status },
    );
  }
  return {
    role: auth.viewer.role,
    rows: list.data.data,
    nextCursor: list.data.nextCursor,
    offers: offers.map((offer) => ({ id: offer.id, name: offer.name, currency: offer.currency })),
    affiliates: Object.entries(affiliates).map(([id, name]) => ({ id: Number(id), name })),
  };
}

export default function Conversions({ loaderData }: Route.ComponentProps) {
  const { role, rows, nextCursor, offers, affiliates } = loaderData;
  const navigation = useNavigation();
  const reviewer = role === 'admin' || role === 'advertiser';
  const [selected, setSelected] = useState<Set<string>>(() => new Set());
  const [request, setRequest] = useState<ChangeRequest | null>(null);
  const offerNames = useMemo(() => Object.fromEntries(offers.map((o) => [o.id, o.name])), [offers]);
  const affiliateNames = useMemo(
    () => Object.fromEntries(affiliates.map((a) => [a.id, a.name])),
    [affiliates],
  );

  // Only rows still on the page count (a filter or a page change leaves the others behind).
  const picked = rows.filter((row) => selected.has(row.id));
  const currencies = new Set(picked.map((row) => row.payoutCurrency));
  const pickedCurrency = currencies.size === 1 ? ([...currencies][0] ?? null) : null;
  const open = (action: ChangeAction, mode: 'ids' | 'txids' = 'ids') => setRequest({ action, mode });
  const close = useCallback(() => setRequest(null), []);
  const clearSelection = useCallback(() => setSelected(new Set()), []);
  const [params] = useSearchParams();
  const filtered = FILTER_KEYS.some((key) => params.get(key));

  return (
    <>
      <PageHeader
        title="Conversions"
        description={
          role === 'affiliate'
            ? 'Every conversion of your traffic and what you earn on it.'
            : role === 'advertiser'
              ? 'What affiliates brought to your offers. Review them: approve, reject, reverse a refund or adjust what you pay.'
              : 'Every conversion of the network. Review, reverse or adjust them.'
        }
        actions={
          reviewer ? (
            <Button variant="outline" onClick={() => open('approve', 'txids')}>
              <ListChecksIcon aria-hidden /> Review by txid
            </Button>
          ) : null
        }
      />
      <ConversionFilters role={role} offers={offers} affiliates={affiliates} />
      <div
        className={navigation.state === 'loading' ? 'opacity-60 transition-opacity' : undefined}
        aria-busy={navigation.state === 'loading' || undefined}
      >
        {rows.length === 0 ? (
          <FilteredEmpty role={role} filtered={filtered} />
        ) : (
          <ConversionTable
            role={role}
            rows={rows}
            offerNames={offerNames}
            affiliateNames={affiliateNames}
            selected={reviewer ? selected : null}
            onSelectedChange={setSelected}
          />
        )}
        <Pager next={nextCursor} param="cursor" />
      </div>

      {reviewer && picked.length > 0 ? (
        <section
          aria-label="Review selected conversions"
          className="sticky bottom-3 z-20 mt-4 flex flex-wrap items-center gap-2 rounded-xl border bg-popover p-2.5 pl-4 shadow-lg"
        >
          <p className="mr-auto text-sm font-medium">{formatCount(picked.length)} selected</p>
          {(['approve', 'reject', 'reverse', 'adjust'] as const).map((action) => (
            <Button
              key={action}
              size="sm"
              variant={action === 'approve' ? 'default' : 'outline'}
              disabled={action === 'adjust' && pickedCurrency === null}
              onClick={() => open(action)}
            >
              {CHANGE_ACTIONS[action].label}
            </Button>
          ))}
          <Button size="sm" variant="ghost" onClick={clearSelection} aria-label="Clear the selection">
            <XIcon aria-hidden />
          </Button>
        </section>
      ) : null}

      {reviewer ? (
        <ChangeDialog
          role={role}
          request={request}
          onClose={close}
          onApplied={clearSelection}
          conversionIds={picked.map((row) => row.id)}
          currency={pickedCurrency}
          offers={offers}
        />
      ) : null}
    </>
  );
}

function FilteredEmpty({
  role,
  filtered,
}: {
  role: 'admin' | 'advertiser' | 'affiliate';
  filtered: boolean;
}) {
  if (filtered) {
    return (
      <EmptyState
        icon={SearchXIcon}
        title="No conversion matches these filters"
        description="Widen the dates or clear a filter."
        action={
          <Button asChild variant="outline">
            <Link to="/conversions">Clear filters</Link>
          </Button>
        }
      />
    );
  }
  return (
    <EmptyState
      icon={ReceiptIcon}
      title="No conversions yet"
      description={
        role === 'affiliate'
          ? 'Conversions of your traffic show here as the advertisers report them.'
          : role === 'advertiser'
            ? 'Conversions show here once your site reports them with a postback or a pixel.'
            : 'Conversions of every offer show here as they arrive.'
      }
      action={
        role === 'affiliate' ? (
          <Button asChild>
            <Link to="/links">Build a tracking link</Link>
          </Button>
        ) : role === 'advertiser' ? (
          <Button asChild>
            <Link to="/integration">Set up conversion tracking</Link>
          </Button>
        ) : null
      }
    />
  );
}
