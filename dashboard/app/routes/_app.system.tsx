import {
  AlertTriangleIcon,
  CheckCircle2Icon,
  ClockIcon,
  GaugeIcon,
  InboxIcon,
  RefreshCwIcon,
  SendIcon,
  ShieldAlertIcon,
} from 'lucide-react';
import type { ReactNode } from 'react';
import { useEffect } from 'react';
import { data, Link, useNavigation, useRevalidator, useSearchParams } from 'react-router';
import {
  type DeadLetterCount,
  DeadLetterPanel,
  type DeadLetterReplayAnswer,
} from '~/components/admin/dead-letter-panel';
import { IngestChart } from '~/components/admin/ingest-chart';
import { QuarantinePanel, type QuarantineReplayAnswer } from '~/components/admin/quarantine-panel';
import { GeneralErrorBoundary } from '~/components/error-boundary';
import { PageHeader } from '~/components/page';
import { Button } from '~/components/ui/button';
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '~/components/ui/card';
import type { Schemas } from '~/lib/api.server';
import { apiMessage } from '~/lib/api-errors';
import { authOf, requireRole } from '~/lib/auth.server';
import { formatAgo, formatCount, formatSeconds } from '~/lib/format';
import { cn } from '~/lib/utils';
import type { Route } from './+types/_app.system';

export function meta() {
  return [{ title: 'System · TAS' }];
}

const WINDOWS = [5, 15, 60] as const;
const REFRESH_MS = 30_000;

export async function loader({ request, context }: Route.LoaderArgs) {
  const { api } = requireRole(authOf(context), 'admin');
  const params = new URL(request.url).searchParams;
  const minutes = WINDOWS.find((w) => String(w) === params.get('window')) ?? 15;
  const after = params.get('after');
  const [status, quarantine] = await Promise.all([
    api.GET('/api/v1/system/status', { params: { query: { minutes } } }),
    api.GET('/api/v1/ingest-quarantine', {
      params: {
        query: {
          limit: 50,
          includeReplayed: params.get('replayed') === 'shown' ? 'true' : 'false',
          ...(after && /^[1-9]\d{0,9}$/.test(after) ? { after } : {}),
        },
      },
    }),
  ]);
  if (!status.data) throw data({ message: apiMessage(status.error) }, { status: status.response.status });
  // Streamed: the edge may be slow or down, and the rest of the page does not wait for it.
  const deadLetters: Promise<DeadLetterCount> = api
    .GET('/api/v1/system/dead-letters')
    .then(({ data: count, error }) =>
      count
        ? { ok: true as const, stored: count.stored }
        : { ok: false as const, message: apiMessage(error) },
    )
    .catch(() => ({ ok: false as const, message: 'The control plane did not answer.' }));
  return {
    status: status.data,
    quarantine: quarantine.data ?? { data: [], nextAfter: null },
    deadLetters,
  };
}

export async function action({ request, context }: Route.ActionArgs) {
  const { api } = requireRole(authOf(context), 'admin');
  const form = await request.formData();
  const intent = form.get('intent');
  if (intent === 'replay-quarantine') {
    const ids =
      form.get('scope') === 'selected'
        ? form
            .getAll('ids')
            .map(Number)
            .filter((id) => Number.isSafeInteger(id) && id > 0)
            .slice(0, 1000)
        : [];
    if (form.get('scope') === 'selected' && ids.length === 0)
      return data<QuarantineReplayAnswer>(
        { intent, ok: false, message: 'Select the events to replay first.' },
        { status: 400 },
      );
    const {
      data: result,
      error,
      response,
    } = await api.POST('/api/v1/ingest-quarantine/replay', {
      body: ids.length > 0 ? { ids, limit: 1000 } : { limit: 1000 },
    });
    if (!result)
      return data<QuarantineReplayAnswer>(
        { intent, ok: false, message: apiMessage(error) },
        { status: response.status },
      );
    return data<QuarantineReplayAnswer>({ intent, ok: true, ...result });
  }
  if (intent === 'replay-dead-letters') {
    const { data: result, error, response } = await api.POST('/api/v1/system/dead-letters/replay');
    if (!result)
      return data<DeadLetterReplayAnswer>(
        { intent, ok: false, message: apiMessage(error, 'The edge could not be reached.') },
        { status: response.status },
      );
    return data<DeadLetterReplayAnswer>({ intent, ok: true, ...result });
  }
  throw data({ message: 'Unknown action.' }, { status: 400 });
}

type Status = Schemas['SystemStatus'];

/** What needs an operator's eye, most pressing first; nothing when all is well. */
function concerns(status: Status): string[] {
  const list: string[] = [];
  const { lag, postbacks, quarantine, ingest } = status;
  if (lag.p95Seconds !== null && lag.p95Seconds > 120)
    list.push(
      `Events arrive late: 95% within ${formatSeconds(lag.p95Seconds)}, but not sooner. The queue is behind.`,
    );
  if (
    postbacks.oldestDueAt &&
    Date.parse(status.generatedAt) - Date.parse(postbacks.oldestDueAt) > 10 * 60_000
  )
    list.push(
      `Postbacks are overdue: the oldest has waited since ${formatAgo(postbacks.oldestDueAt, status.generatedAt)}. Is the delivery worker running?`,
    );
  if (quarantine.waiting > 0)
    list.push(
      `${formatCount(quarantine.waiting)} quarantined ${quarantine.waiting === 1 ? 'event waits' : 'events wait'} for a fix and a replay.`,
    );
  if (ingest.clicks + ingest.conversions === 0)
    list.push(
      `No event was received in the last ${status.windowMinutes} minutes. Quiet, or is the edge's queue stuck?`,
    );
  return list;
}

function Figure({
  icon: Icon,
  label,
  value,
  hint,
  tone = 'default',
}: {
  icon: typeof GaugeIcon;
  label: string;
  value: ReactNode;
  hint: ReactNode;
  tone?: 'default' | 'warning';
}) {
  return (
    <Card>
      <CardContent className="p-5">
        <p className="flex items-center gap-2 text-xs font-medium uppercase tracking-wide text-muted-foreground">
          <Icon className={cn('size-3.5', tone === 'warning' && 'text-warning')} aria-hidden />
          {label}
        </p>
        <p className="mt-2 text-2xl font-semibold tabular-nums">{value}</p>
        <p className="mt-1 text-xs text-muted-foreground">{hint}</p>
      </CardContent>
    </Card>
  );
}

export default function System({ loaderData }: Route.ComponentProps) {
  const { status, quarantine, deadLetters } = loaderData;
  const revalidator = useRevalidator();
  const navigation = useNavigation();
  const [params] = useSearchParams();
  // Kept fresh while looked at: read again every 30 s when the tab is visible.
  useEffect(() => {
    const timer = setInterval(() => {
      if (
        document.visibilityState === 'visible' &&
        revalidator.state === 'idle' &&
        navigation.state === 'idle'
      )
        revalidator.revalidate();
    }, REFRESH_MS);
    return () => clearInterval(timer);
  }, [revalidator, navigation.state]);

  const { ingest, lag, postbacks } = status;
  const events = ingest.clicks + ingest.conversions;
  const perMinute = events / status.windowMinutes;
  const issues = concerns(status);
  const windowLink = (w: number) => {
    const copy = new URLSearchParams(params);
    copy.set('window', String(w));
    return `?${copy.toString()}`;
  };
  const refreshing = revalidator.state !== 'idle';
  return (
    <>
      <PageHeader
        title="System"
        description="How the pipeline from the edge to the database and out to affiliates is doing."
        actions={
          <>
            <span className="text-xs text-muted-foreground" aria-live="polite">
              Updated {status.generatedAt.slice(11, 19)} UTC
            </span>
            <Button
              variant="outline"
              size="sm"
              onClick={() => revalidator.revalidate()}
              disabled={refreshing}
            >
              <RefreshCwIcon className={cn(refreshing && 'animate-spin')} aria-hidden /> Refresh
            </Button>
          </>
        }
      />
      <section
        aria-label="Health"
        className={cn(
          'mb-6 flex items-start gap-3 rounded-xl border px-4 py-3 text-sm',
          issues.length === 0 ? 'border-success/40 bg-success/8' : 'border-warning/40 bg-warning/8',
        )}
      >
        {issues.length === 0 ? (
          <>
            <CheckCircle2Icon className="mt-0.5 size-4 shrink-0 text-success" aria-hidden />
            <p>
              <span className="font-medium">All clear.</span> Events arrive on time, postbacks go out, nothing
              is held back.
            </p>
          </>
        ) : (
          <>
            <AlertTriangleIcon className="mt-0.5 size-4 shrink-0 text-warning" aria-hidden />
            <ul className="grid gap-1">
              {issues.map((issue) => (
                <li key={issue}>{issue}</li>
              ))}
            </ul>
          </>
        )}
      </section>
      <div className="mb-6 grid gap-4 sm:grid-cols-2 xl:grid-cols-4">
        <Figure
          icon={GaugeIcon}
          label="Ingest rate"
          value={
            <>
              {perMinute >= 10 ? formatCount(Math.round(perMinute)) : perMinute.toFixed(1)}
              <span className="ml-1 text-sm font-normal text-muted-foreground">/ min</span>
            </>
          }
          hint={
            <>
              {formatCount(ingest.clicks)} clicks · {formatCount(ingest.conversions)} conversions in{' '}
              {status.windowMinutes} min
              {ingest.lastReceivedAt ? ` · last ${formatAgo(ingest.lastReceivedAt, status.generatedAt)}` : ''}
            </>
          }
        />
        <Figure
          icon={ClockIcon}
          label="Queue lag (p50)"
          tone={lag.p95Seconds !== null && lag.p95Seconds > 120 ? 'warning' : 'default'}
          value={formatSeconds(lag.p50Seconds)}
          hint={
            lag.samples === 0
              ? 'No events in the window'
              : `p95 ${formatSeconds(lag.p95Seconds)} · max ${formatSeconds(lag.maxSeconds)} · received − occurred`
          }
        />
        <Figure
          icon={SendIcon}
          label="Postbacks due"
          tone={postbacks.dueNow > 0 ? 'warning' : 'default'}
          value={formatCount(postbacks.dueNow)}
          hint={
            <>
              {formatCount(postbacks.pending)} pending · {formatCount(postbacks.failed)} failed ·{' '}
              {formatCount(postbacks.disabled)} parked
              {postbacks.oldestDueAt
                ? ` · oldest ${formatAgo(postbacks.oldestDueAt, status.generatedAt)}`
                : ''}
            </>
          }
        />
        <Figure
          icon={ShieldAlertIcon}
          label="Quarantined"
          tone={status.quarantine.waiting > 0 ? 'warning' : 'default'}
          value={formatCount(status.quarantine.waiting)}
          hint={
            status.quarantine.oldestReceivedAt
              ? `oldest ${formatAgo(status.quarantine.oldestReceivedAt, status.generatedAt)}`
              : 'Every event was stored'
          }
        />
      </div>
      <div className="mb-6 grid grid-cols-1 items-start gap-6 lg:grid-cols-[minmax(0,2fr)_minmax(0,1fr)]">
        <Card>
          <CardHeader className="flex-col gap-3 sm:flex-row sm:items-start sm:justify-between">
            <div className="grid gap-1.5">
              <CardTitle>Events received</CardTitle>
              <CardDescription>
                Clicks <span className="inline-block size-2 rounded-sm bg-chart-1 align-middle" /> and
                conversions <span className="inline-block size-2 rounded-sm bg-chart-2 align-middle" /> stored
                a minute (UTC).
              </CardDescription>
            </div>
            <nav aria-label="Time window">
              <ul className="flex gap-1 rounded-lg bg-muted p-1">
                {WINDOWS.map((w) => (
                  <li key={w}>
                    <Link
                      to={windowLink(w)}
                      preventScrollReset
                      aria-current={w === status.windowMinutes ? 'page' : undefined}
                      className={cn(
                        'inline-flex h-7 items-center rounded-md px-2.5 text-xs font-medium text-muted-foreground hover:text-foreground',
                        w === status.windowMinutes && 'bg-card text-foreground shadow-sm',
                      )}
                    >
                      {w === 60 ? '1 h' : `${w} min`}
                    </Link>
                  </li>
                ))}
              </ul>
            </nav>
          </CardHeader>
          <CardContent>
            <IngestChart data={ingest.perMinute} />
          </CardContent>
        </Card>
        <div className="grid grid-cols-1 min-w-0 content-start gap-6">
          <DeadLetterPanel count={deadLetters} />
          <Card>
            <CardHeader>
              <CardTitle className="flex items-center gap-2">
                <SendIcon className="size-4 text-muted-foreground" aria-hidden /> Postback outbox
              </CardTitle>
              <CardDescription>
                Postbacks owed to affiliates, worked off with retries and backoff.
              </CardDescription>
            </CardHeader>
            <CardContent>
              <dl className="grid grid-cols-2 gap-x-4 gap-y-3 text-sm">
                {(
                  [
                    ['Due now', postbacks.dueNow],
                    ['Pending', postbacks.pending],
                    ['Failed (given up)', postbacks.failed],
                    ['Parked (config disabled)', postbacks.disabled],
                  ] as const
                ).map(([label, value]) => (
                  <div key={label}>
                    <dt className="text-xs text-muted-foreground">{label}</dt>
                    <dd className="font-semibold tabular-nums">{formatCount(value)}</dd>
                  </div>
                ))}
              </dl>
              <Button asChild variant="link" size="sm" className="mt-3 h-auto p-0">
                <Link to="/postbacks">
                  <InboxIcon /> See deliveries and replay them
                </Link>
              </Button>
            </CardContent>
          </Card>
        </div>
      </div>
      <QuarantinePanel
        events={quarantine.data}
        nextAfter={quarantine.nextAfter}
        waiting={status.quarantine.waiting}
        now={status.generatedAt}
      />
    </>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
