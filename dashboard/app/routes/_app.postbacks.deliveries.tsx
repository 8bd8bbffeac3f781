import { InboxIcon, SearchXIcon, XIcon } from 'lucide-react';
import { Link, useNavigation, useSearchParams, useSubmit } from 'react-router';
import { Pager } from '~/components/data-table';
import { EmptyState, PageHeader } from '~/components/page';
import { BulkReplayDialog } from '~/components/postbacks/bulk-replay-dialog';
import { deliveryAction, deliveryFilters, listDeliveries } from '~/components/postbacks/deliveries.server';
import { DeliveryList } from '~/components/postbacks/delivery-list';
import { DELIVERY_STATES } from '~/components/postbacks/postback-text';
import { listConfigs, names, requirePostbacks } from '~/components/postbacks/postbacks.server';
import { PostbacksNav } from '~/components/postbacks/postbacks-nav';
import { Button } from '~/components/ui/button';
import { Label } from '~/components/ui/label';
import { NativeSelect } from '~/components/ui/native-select';
import { authOf } from '~/lib/auth.server';
import type { Route } from './+types/_app.postbacks.deliveries';

export function meta({ location }: Route.MetaArgs) {
  const failures = new URLSearchParams(location.search).get('state') === 'failures';
  return [{ title: `${failures ? 'Postback failures' : 'Postback deliveries'} · TAS` }];
}

/**
 * The delivery log (an admin's: every affiliate's), filtered by state, postback and conversion in
 * the URL, a page at a time (newest first). "failures" is failed, disabled and cancelled together.
 */
export async function loader({ request, context }: Route.LoaderArgs) {
  const auth = requirePostbacks(authOf(context));
  const filters = deliveryFilters(new URL(request.url).searchParams);
  const [{ deliveries, nextBefore }, configs, { offers, affiliates }] = await Promise.all([
    listDeliveries(auth, filters),
    listConfigs(auth),
    names(auth),
  ]);
  const offerName = (id: number | null) =>
    id === null ? 'All offers' : (offers.find((o) => o.id === id)?.name ?? `Offer #${id}`);
  return {
    role: auth.viewer.role,
    filters,
    deliveries,
    nextBefore,
    configs: configs.map((config) => ({
      id: config.id,
      affiliateId: config.affiliateId,
      label: `#${config.id} · ${offerName(config.offerId)}`,
    })),
    offers,
    affiliates,
  };
}

export async function action({ request, context }: Route.ActionArgs) {
  return deliveryAction(authOf(context), request);
}

export default function Deliveries({ loaderData }: Route.ComponentProps) {
  const { role, filters, deliveries, nextBefore, configs, offers, affiliates } = loaderData;
  const failures = filters.state === 'failures';
  const navigation = useNavigation();
  const affiliateName = (id: number) => affiliates.find((a) => a.id === id)?.name ?? `Affiliate #${id}`;
  const configLabel = (id: number) => configs.find((c) => c.id === id)?.label ?? `#${id}`;
  const configOptions =
    role === 'admin'
      ? configs.map((c) => ({ id: c.id, label: `${c.label} · ${affiliateName(c.affiliateId)}` }))
      : configs;
  const filtered =
    filters.state !== null || filters.postbackConfigId !== null || filters.conversionId !== null;

  return (
    <>
      <PageHeader
        title="Postbacks"
        description={
          failures
            ? 'Deliveries that did not reach the endpoint: given up after the last retry, parked while the postback was off, or cancelled because the conversion changed status.'
            : 'Every conversion sent (or due) to a postback, with each attempt: what went out and what came back.'
        }
        actions={
          <BulkReplayDialog
            role={role}
            configs={configOptions}
            affiliates={affiliates}
            offers={offers}
            defaultConfigId={filters.postbackConfigId}
          />
        }
      />
      <PostbacksNav />
      <DeliveryFilterBar role={role} configs={configOptions} />
      <div
        className={navigation.state === 'loading' ? 'opacity-60 transition-opacity' : undefined}
        aria-busy={navigation.state === 'loading' || undefined}
      >
        {deliveries.length === 0 ? (
          filtered ? (
            <EmptyState
              icon={failures ? InboxIcon : SearchXIcon}
              title={failures ? 'No failures' : 'No delivery matches these filters'}
              description={
                failures
                  ? 'Every postback due reached its endpoint, or is still being retried.'
                  : 'Clear a filter to see more.'
              }
              action={
                failures ? null : (
                  <Button asChild variant="outline">
                    <Link to="/postbacks/deliveries">Clear filters</Link>
                  </Button>
                )
              }
            />
          ) : (
            <EmptyState
              icon={InboxIcon}
              title="No deliveries yet"
              description="When a conversion fires a postback, its delivery and each attempt show here."
            />
          )
        ) : (
          <DeliveryList
            deliveries={deliveries}
            configLabel={configLabel}
            affiliateName={role === 'admin' ? affiliateName : null}
          />
        )}
        <Pager next={nextBefore} param="before" />
      </div>
    </>
  );
}

function DeliveryFilterBar({
  role,
  configs,
}: {
  role: 'admin' | 'affiliate';
  configs: { id: number; label: string }[];
}) {
  const [params] = useSearchParams();
  const submit = useSubmit();
  const set = (key: string, value: string) => {
    const next = new URLSearchParams(params);
    next.delete('before');
    if (value) next.set(key, value);
    else next.delete(key);
    submit(next, { method: 'get', replace: true, preventScrollReset: true });
  };
  const conversionId = params.get('conversionId');
  return (
    <form
      aria-label="Filter deliveries"
      className="mb-4 grid grid-cols-2 items-end gap-3 sm:flex sm:flex-wrap"
      onSubmit={(event) => event.preventDefault()}
    >
      <div className="grid w-full gap-1 sm:w-56">
        <Label htmlFor="delivery-state" className="text-xs text-muted-foreground">
          State
        </Label>
        <NativeSelect
          id="delivery-state"
          value={params.get('state') ?? ''}
          onChange={(e) => set('state', e.currentTarget.value)}
        >
          <option value="">Any state</option>
          <option value="failures">All failures</option>
          {DELIVERY_STATES.map((state) => (
            <option key={state} value={state}>
              {state[0]?.toUpperCase()}
              {state.slice(1)}
            </option>
          ))}
        </NativeSelect>
      </div>
      <div className="grid w-full gap-1 sm:w-72">
        <Label htmlFor="delivery-config" className="text-xs text-muted-foreground">
          Postback
        </Label>
        <NativeSelect
          id="delivery-config"
          value={params.get('postbackConfigId') ?? ''}
          onChange={(e) => set('postbackConfigId', e.currentTarget.value)}
        >
          <option value="">{role === 'admin' ? 'Every postback' : 'All your postbacks'}</option>
          {configs.map((config) => (
            <option key={config.id} value={config.id}>
              {config.label}
            </option>
          ))}
        </NativeSelect>
      </div>
      {conversionId ? (
        <Button
          type="button"
          variant="secondary"
          size="sm"
          className="col-span-2 h-9 justify-self-start"
          onClick={() => set('conversionId', '')}
        >
          Conversion {conversionId.slice(0, 8)}… <XIcon aria-hidden />
          <span className="sr-only">: stop filtering by this conversion</span>
        </Button>
      ) : null}
    </form>
  );
}
