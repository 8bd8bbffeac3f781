import { ArrowLeftIcon, FlaskConicalIcon, InboxIcon, RotateCwIcon, SearchXIcon } from 'lucide-react';
import { data, Link, useNavigation, useSearchParams, useSubmit } from 'react-router';
import {
  CONSENT_TEXT,
  DELIVERY_STATES,
  PLATFORM_LABEL,
  SEND_ON_TEXT,
  settingsSummary,
} from '~/components/ad-platforms/ad-platform-text';
import { offerNames, requireAdPlatforms, UUID } from '~/components/ad-platforms/ad-platforms.server';
import { DeliveryLog } from '~/components/ad-platforms/delivery-log';
import { outcome } from '~/components/admin/outcome.server';
import { Pager } from '~/components/data-table';
import { GeneralErrorBoundary } from '~/components/error-boundary';
import { EmptyState, PageHeader } from '~/components/page';
import { StatusBadge } from '~/components/status-badge';
import { Badge } from '~/components/ui/badge';
import { Button } from '~/components/ui/button';
import { ConfirmAction } from '~/components/ui/confirm-action';
import { Label } from '~/components/ui/label';
import { NativeSelect } from '~/components/ui/native-select';
import { apiMessage } from '~/lib/api-errors';
import { authOf } from '~/lib/auth.server';
import { formatCount } from '~/lib/format';
import type { Route } from './+types/_app.ad-platforms.destinations.$id';

export function meta({ data: loaderData }: Route.MetaArgs) {
  return [{ title: `${loaderData?.destination.name ?? 'Destination'} · Ad platforms · TAS` }];
}

const PAGE = 50;
type State = (typeof DELIVERY_STATES)[number];

/** A destination and its log, newest first, by state, a page at a time (`?before=`). */
export async function loader({ request, params, context }: Route.LoaderArgs) {
  const { api } = requireAdPlatforms(authOf(context));
  if (!UUID.test(params.id)) throw data({ message: 'There is no such destination.' }, { status: 404 });
  const url = new URL(request.url).searchParams;
  const state = DELIVERY_STATES.find((s) => s === url.get('state')) ?? null;
  const before = url.get('before');
  const path = { id: params.id };
  const [destination, deliveries, offers] = await Promise.all([
    api.GET('/api/v1/ad-platforms/destinations/{id}', { params: { path } }),
    api.GET('/api/v1/ad-platforms/destinations/{id}/deliveries', {
      params: {
        path,
        query: {
          limit: PAGE,
          ...(state ? { state } : {}),
          ...(before && !Number.isNaN(Date.parse(before)) ? { before } : {}),
        },
      },
    }),
    offerNames(authOf(context)),
  ]);
  if (!destination.data)
    throw data(
      {
        message:
          destination.response.status === 404
            ? 'There is no such destination, or it is not visible to you.'
            : apiMessage(destination.error),
      },
      { status: destination.response.status },
    );
  if (!deliveries.data)
    throw data(
      { message: apiMessage(deliveries.error, 'The log could not be loaded.') },
      { status: deliveries.response.status },
    );
  const offerId = destination.data.offerId;
  return {
    destination: destination.data,
    offerName:
      offerId === null ? 'All offers' : (offers.find((o) => o.id === offerId)?.name ?? `Offer #${offerId}`),
    state,
    deliveries: deliveries.data.data,
    nextBefore: deliveries.data.nextBefore,
  };
}

/** Replay one delivery, or every rejected and failed one. */
export async function action({ request, params, context }: Route.ActionArgs) {
  const { api } = requireAdPlatforms(authOf(context));
  if (!UUID.test(params.id)) throw data({ message: 'There is no such destination.' }, { status: 404 });
  const form = await request.formData();
  const intent = form.get('intent');
  const id = String(form.get('id') ?? '');
  if (intent !== 'replay' && intent !== 'replay-all')
    throw data({ message: 'Unknown action.' }, { status: 400 });
  if (intent === 'replay' && !UUID.test(id))
    return outcome(request, false, 'There is no such delivery.', 404);
  const {
    data: replayed,
    error,
    response,
  } = await api.POST('/api/v1/ad-platforms/destinations/{id}/replay', {
    params: { path: { id: params.id } },
    body:
      intent === 'replay'
        ? { deliveryIds: [id], states: ['rejected', 'failed'] }
        : { states: ['rejected', 'failed'] },
  });
  if (!replayed)
    return outcome(request, false, apiMessage(error, 'Nothing could be replayed.'), response.status);
  const { queued } = replayed;
  return outcome(
    request,
    true,
    queued === 0
      ? 'Nothing to replay: no delivery was rejected or failed.'
      : `${formatCount(queued)} ${queued === 1 ? 'delivery' : 'deliveries'} queued again: ${queued === 1 ? 'it goes' : 'they go'} out within a minute.`,
  );
}

export default function DestinationLog({ loaderData }: Route.ComponentProps) {
  const { destination: d, offerName, state, deliveries, nextBefore } = loaderData;
  const navigation = useNavigation();
  const retryable = d.counts.rejected + d.counts.failed;
  const archived = d.status === 'archived';
  return (
    <>
      <Button asChild variant="ghost" size="sm" className="mb-2 -ml-2 text-muted-foreground">
        <Link to="/ad-platforms">
          <ArrowLeftIcon aria-hidden />
          Ad platforms
        </Link>
      </Button>
      <PageHeader
        title={
          <span className="flex items-center gap-2">
            {d.name}
            <StatusBadge status={d.status} />
            {d.testEventCode ? (
              <Badge variant="warning">
                <FlaskConicalIcon className="size-3" aria-hidden />
                Test mode
              </Badge>
            ) : null}
          </span>
        }
        description={`${PLATFORM_LABEL[d.platform]} · ${offerName} · ${settingsSummary(d.platform, d.settings)} · ${SEND_ON_TEXT[d.sendOn].toLowerCase()} · ${CONSENT_TEXT[d.consentPolicy].toLowerCase()}`}
        actions={
          archived ? null : (
            <ConfirmAction
              trigger={
                <Button variant="outline" disabled={retryable === 0}>
                  <RotateCwIcon aria-hidden />
                  Replay all rejected and failed
                </Button>
              }
              title={`Replay ${formatCount(retryable)} ${retryable === 1 ? 'delivery' : 'deliveries'}?`}
              description="Every rejected and failed delivery of this destination goes back to the queue and is sent again. Platforms drop duplicates by event id, so one sent twice counts once."
              confirmLabel="Replay"
              fields={{ intent: 'replay-all' }}
            />
          )
        }
      />
      {d.status === 'paused' && d.pausedReason ? (
        <p className="mb-4 rounded-lg border border-warning/40 bg-warning/8 px-4 py-3 text-sm">
          <span className="font-medium">Paused.</span> {d.pausedReason} Conversions wait in the queue until it
          is resumed on the Ad platforms page.
        </p>
      ) : null}
      <StateFilter counts={d.counts} />
      <div
        className={navigation.state === 'loading' ? 'opacity-60 transition-opacity' : undefined}
        aria-busy={navigation.state === 'loading' || undefined}
      >
        {deliveries.length === 0 ? (
          state ? (
            <EmptyState
              icon={SearchXIcon}
              title={`No ${state} delivery`}
              description="Choose another state to see more."
              action={
                <Button asChild variant="outline">
                  <Link to={`/ad-platforms/destinations/${d.id}`}>Every state</Link>
                </Button>
              }
            />
          ) : (
            <EmptyState
              icon={InboxIcon}
              title="Nothing sent yet"
              description="When a conversion of this destination’s offers is counted (or approved), its delivery shows here with the platform’s answer."
            />
          )
        ) : (
          <DeliveryLog deliveries={deliveries} replayable={!archived} />
        )}
        <Pager next={nextBefore} param="before" />
      </div>
    </>
  );
}

function StateFilter({ counts }: { counts: Record<State, number> }) {
  const [params] = useSearchParams();
  const submit = useSubmit();
  return (
    <form
      aria-label="Filter deliveries"
      className="mb-4 grid w-full gap-1 sm:w-56"
      onSubmit={(e) => e.preventDefault()}
    >
      <Label htmlFor="delivery-state" className="text-xs text-muted-foreground">
        State
      </Label>
      <NativeSelect
        id="delivery-state"
        value={params.get('state') ?? ''}
        onChange={(e) => {
          const value = e.currentTarget.value;
          submit(value ? { state: value } : {}, { method: 'get', replace: true, preventScrollReset: true });
        }}
      >
        <option value="">Every state</option>
        {DELIVERY_STATES.map((s) => (
          <option key={s} value={s}>
            {`${s[0]?.toUpperCase()}${s.slice(1)} (${formatCount(counts[s])})`}
          </option>
        ))}
      </NativeSelect>
    </form>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
