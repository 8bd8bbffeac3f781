import { ActivityIcon, EraserIcon, PauseIcon, PlayIcon, RefreshCwIcon } from 'lucide-react';
import { useId, useState } from 'react';
import { useSearchParams } from 'react-router';
import { LiveTable } from '~/components/live/live-table';
import { type FeedStatus, type LiveEvent, MAX_EVENTS, useLiveFeed } from '~/components/live/use-live-feed';
import { EmptyState, PageHeader } from '~/components/page';
import { loadNames } from '~/components/reports/names.server';
import { Button } from '~/components/ui/button';
import { Card, CardContent } from '~/components/ui/card';
import { Label } from '~/components/ui/label';
import { Alert } from '~/components/ui/misc';
import { NativeSelect } from '~/components/ui/native-select';
import { authOf } from '~/lib/auth.server';
import { formatCount } from '~/lib/format';
import { cn } from '~/lib/utils';
import type { Route } from './+types/_app.live';

export function meta() {
  return [{ title: 'Live feed · TAS' }];
}

/** The names the feed's ids are shown by; the events themselves come from /live/stream. */
export async function loader({ context }: Route.LoaderArgs) {
  const auth = authOf(context);
  return { role: auth.viewer.role, names: await loadNames(auth) };
}

const TYPES = [
  { value: '', label: 'Clicks and conversions' },
  { value: 'click', label: 'Clicks' },
  { value: 'conversion', label: 'Conversions' },
] as const;

const ID = /^[1-9]\d{0,9}$/;

export default function Live({ loaderData }: Route.ComponentProps) {
  const { role, names } = loaderData;
  const id = useId();
  const [params, setParams] = useSearchParams();
  const [paused, setPaused] = useState(false);
  const feed = useLiveFeed({ paused });
  const type =
    params.get('type') === 'click' || params.get('type') === 'conversion' ? params.get('type') : '';
  const offerId = ID.test(params.get('offerId') ?? '') ? Number(params.get('offerId')) : null;
  const affiliateId = ID.test(params.get('affiliateId') ?? '') ? Number(params.get('affiliateId')) : null;
  const setFilter = (key: string, value: string) =>
    setParams(
      (prev) => {
        const next = new URLSearchParams(prev);
        if (value) next.set(key, value);
        else next.delete(key);
        return next;
      },
      { replace: true, preventScrollReset: true },
    );
  const shown = feed.events.filter(
    (e: LiveEvent) =>
      (!type || e.type === type) &&
      (offerId === null || e.data.offerId === offerId) &&
      (affiliateId === null || e.data.affiliateId === affiliateId),
  );
  const filtered = type !== '' || offerId !== null || affiliateId !== null;
  const offers = Object.entries(names.offers).sort((a, b) => a[1].localeCompare(b[1]));
  const affiliates = Object.entries(names.affiliates).sort((a, b) => a[1].localeCompare(b[1]));
  const final =
    feed.status.state === 'ended' || feed.status.state === 'limited' || feed.status.state === 'failed';
  return (
    <>
      <PageHeader
        title="Live feed"
        description="Clicks and conversions as they are recorded, newest first."
        actions={
          <>
            <ConnectionPill status={feed.status} paused={paused} />
            <Button
              variant="outline"
              size="sm"
              className="h-9"
              onClick={() => setPaused((p) => !p)}
              disabled={final}
              aria-pressed={paused}
            >
              {paused ? <PlayIcon aria-hidden /> : <PauseIcon aria-hidden />}
              {paused ? `Resume${feed.waiting ? ` (${formatCount(feed.waiting)} new)` : ''}` : 'Pause'}
            </Button>
            <Button
              variant="ghost"
              size="sm"
              className="h-9"
              onClick={feed.clear}
              disabled={feed.events.length === 0}
            >
              <EraserIcon aria-hidden />
              Clear
            </Button>
          </>
        }
      />
      <StatusMessage status={feed.status} onReconnect={feed.reconnect} />
      <Card className="mb-4">
        <CardContent className="flex flex-col gap-3 p-4 sm:flex-row sm:flex-wrap sm:items-end">
          <div className="grid gap-1.5 sm:w-52">
            <Label htmlFor={`${id}-type`} className="text-xs text-muted-foreground">
              Show
            </Label>
            <NativeSelect
              id={`${id}-type`}
              value={type ?? ''}
              onChange={(e) => setFilter('type', e.target.value)}
            >
              {TYPES.map((t) => (
                <option key={t.value} value={t.value}>
                  {t.label}
                </option>
              ))}
            </NativeSelect>
          </div>
          <div className="grid gap-1.5 sm:w-60">
            <Label htmlFor={`${id}-offer`} className="text-xs text-muted-foreground">
              Offer
            </Label>
            <NativeSelect
              id={`${id}-offer`}
              value={offerId === null ? '' : String(offerId)}
              onChange={(e) => setFilter('offerId', e.target.value)}
            >
              <option value="">All offers</option>
              {offers.map(([key, name]) => (
                <option key={key} value={key}>
                  {name}
                </option>
              ))}
            </NativeSelect>
          </div>
          {role === 'admin' ? (
            <div className="grid gap-1.5 sm:w-52">
              <Label htmlFor={`${id}-affiliate`} className="text-xs text-muted-foreground">
                Affiliate
              </Label>
              <NativeSelect
                id={`${id}-affiliate`}
                value={affiliateId === null ? '' : String(affiliateId)}
                onChange={(e) => setFilter('affiliateId', e.target.value)}
              >
                <option value="">All affiliates</option>
                {affiliates.map(([key, name]) => (
                  <option key={key} value={key}>
                    {name}
                  </option>
                ))}
              </NativeSelect>
            </div>
          ) : null}
          <p className="text-xs text-muted-foreground sm:ml-auto sm:pb-2" aria-live="polite">
            {plural(feed.counts.clicks, 'click')} · {plural(feed.counts.conversions, 'conversion')} received
            {feed.events.length >= MAX_EVENTS ? ` · the latest ${MAX_EVENTS} kept` : ''}
          </p>
        </CardContent>
      </Card>
      {shown.length === 0 ? (
        <EmptyState
          icon={ActivityIcon}
          title={feed.events.length && filtered ? 'Nothing matches these filters yet' : 'Waiting for traffic'}
          description={
            feed.status.state === 'live' || feed.status.state === 'connecting'
              ? 'New clicks and conversions appear here within a few seconds of happening.'
              : 'The feed is not connected.'
          }
        />
      ) : (
        <LiveTable events={shown} role={role} names={names} />
      )}
    </>
  );
}

function plural(n: number, word: string) {
  return `${formatCount(n)} ${n === 1 ? word : `${word}s`}`;
}

function ConnectionPill({ status, paused }: { status: FeedStatus; paused: boolean }) {
  const { label, dot } =
    status.state === 'live'
      ? paused
        ? { label: 'Paused', dot: 'bg-muted-foreground' }
        : { label: 'Live', dot: 'bg-success' }
      : status.state === 'connecting'
        ? { label: 'Connecting…', dot: 'bg-warning' }
        : status.state === 'reconnecting'
          ? { label: 'Reconnecting…', dot: 'bg-warning' }
          : { label: 'Disconnected', dot: 'bg-destructive' };
  return (
    <span
      role="status"
      className="inline-flex h-9 items-center gap-2 rounded-md border bg-card px-3 text-sm font-medium shadow-xs"
    >
      <span className="relative flex size-2">
        {status.state === 'live' && !paused ? (
          <span className="absolute inline-flex size-full animate-ping rounded-full bg-success opacity-60" />
        ) : null}
        <span className={cn('relative inline-flex size-2 rounded-full', dot)} />
      </span>
      {label}
    </span>
  );
}

function StatusMessage({ status, onReconnect }: { status: FeedStatus; onReconnect: () => void }) {
  if (status.state === 'limited') {
    return (
      <Alert variant="warning" className="mb-4 flex flex-wrap items-center justify-between gap-3">
        <span>
          <span className="font-medium">Too many live feeds are open.</span> {status.message} Close the feed
          in another tab, or try again in {status.retryAfter} s.
        </span>
        <Button size="sm" variant="outline" onClick={onReconnect}>
          <RefreshCwIcon aria-hidden />
          Try again
        </Button>
      </Alert>
    );
  }
  if (status.state === 'ended') {
    return (
      <Alert variant="destructive" className="mb-4 flex flex-wrap items-center justify-between gap-3">
        <span>
          <span className="font-medium">The feed ended:</span>{' '}
          {status.reason === 'account_suspended'
            ? 'your company account is suspended.'
            : 'your session is over (logged out, or your access changed).'}
        </span>
        <Button size="sm" variant="outline" onClick={() => window.location.reload()}>
          Sign in again
        </Button>
      </Alert>
    );
  }
  if (status.state === 'failed') {
    return (
      <Alert variant="destructive" className="mb-4 flex flex-wrap items-center justify-between gap-3">
        <span>{status.message}</span>
        <Button size="sm" variant="outline" onClick={onReconnect}>
          <RefreshCwIcon aria-hidden />
          Try again
        </Button>
      </Alert>
    );
  }
  if (status.state === 'reconnecting' && status.attempt >= 3) {
    return (
      <Alert variant="warning" className="mb-4">
        The connection dropped; trying again (attempt {status.attempt}). Events from the last hour are caught
        up once it is back.
      </Alert>
    );
  }
  return null;
}
