import { ChevronDownIcon, ChevronRightIcon, Loader2Icon, RotateCwIcon } from 'lucide-react';
import { Fragment, useEffect, useRef, useState } from 'react';
import { Link, useFetcher } from 'react-router';
import { toast } from 'sonner';
import { StatusBadge } from '~/components/status-badge';
import { Button } from '~/components/ui/button';
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from '~/components/ui/table';
import { formatDateTime } from '~/lib/format';
import { AttemptList } from './attempt-view';
import type { DeliveryActionResult } from './deliveries.server';
import { CANCEL_REASON_TEXT, STATE_TEXT } from './postback-text';
import type { PostbackAttempt, PostbackDelivery } from './postbacks.server';

/**
 * The delivery log: one row a conversion sent (or due) to a postback, opening to its attempts;
 * those not pending can be sent again at once.
 */
export function DeliveryList({
  deliveries,
  configLabel,
  affiliateName,
}: {
  deliveries: PostbackDelivery[];
  configLabel: (id: number) => string;
  /** Admins see whose delivery it is. */
  affiliateName: ((id: number) => string) | null;
}) {
  const [open, setOpen] = useState<string | null>(null);
  const columns = affiliateName ? 8 : 7;
  return (
    <>
      <ul className="grid gap-2 md:hidden" aria-label="Postback deliveries">
        {deliveries.map((delivery) => {
          const expanded = open === delivery.id;
          return (
            <li key={delivery.id} className="grid gap-2 rounded-xl border bg-card p-3 shadow-xs">
              <div className="flex items-start justify-between gap-2">
                <DeliveryState delivery={delivery} />
                <span className="shrink-0 text-xs text-muted-foreground tabular-nums">
                  {formatDateTime(delivery.createdAt)}
                </span>
              </div>
              <p className="text-sm">
                <Link to={`/postbacks/${delivery.postbackConfigId}`} className="hover:underline">
                  {configLabel(delivery.postbackConfigId)}
                </Link>
                <span className="text-muted-foreground">
                  {' '}
                  · on {delivery.trigger}
                  {affiliateName ? ` · ${affiliateName(delivery.affiliateId)}` : ''}
                </span>
              </p>
              <div className="flex items-center justify-between gap-2">
                <Button
                  type="button"
                  variant="ghost"
                  size="sm"
                  className="-ml-2"
                  aria-expanded={expanded}
                  aria-controls={`attempts-card-${delivery.id}`}
                  onClick={() => setOpen(expanded ? null : delivery.id)}
                >
                  {expanded ? <ChevronDownIcon aria-hidden /> : <ChevronRightIcon aria-hidden />}
                  {delivery.attempts} {delivery.attempts === 1 ? 'attempt' : 'attempts'}
                </Button>
                <span className="flex items-center gap-1">
                  <Button asChild variant="ghost" size="sm">
                    <Link to={`/conversions/${delivery.conversionId}`}>Conversion</Link>
                  </Button>
                  {delivery.state === 'pending' ? null : <ReplayButton delivery={delivery} />}
                </span>
              </div>
              {expanded ? (
                <div id={`attempts-card-${delivery.id}`}>
                  <DeliveryAttempts id={delivery.id} />
                </div>
              ) : null}
            </li>
          );
        })}
      </ul>
      <div className="hidden rounded-xl border bg-card shadow-xs md:block">
        <Table>
          <caption className="sr-only">Postback deliveries</caption>
          <TableHeader>
            <TableRow className="hover:bg-transparent">
              <TableHead className="w-8">
                <span className="sr-only">Attempts</span>
              </TableHead>
              <TableHead>Created (UTC)</TableHead>
              <TableHead>State</TableHead>
              <TableHead>Postback</TableHead>
              {affiliateName ? <TableHead>Affiliate</TableHead> : null}
              <TableHead>Conversion</TableHead>
              <TableHead className="text-right">Attempts</TableHead>
              <TableHead>
                <span className="sr-only">Actions</span>
              </TableHead>
            </TableRow>
          </TableHeader>
          <TableBody>
            {deliveries.map((delivery) => {
              const expanded = open === delivery.id;
              return (
                <Fragment key={delivery.id}>
                  <TableRow data-state={expanded ? 'selected' : undefined}>
                    <TableCell className="pr-0">
                      <Button
                        type="button"
                        variant="ghost"
                        size="icon"
                        className="size-7"
                        aria-expanded={expanded}
                        aria-controls={`attempts-${delivery.id}`}
                        aria-label={`${expanded ? 'Hide' : 'Show'} the attempts of delivery ${delivery.id.slice(0, 8)}`}
                        onClick={() => setOpen(expanded ? null : delivery.id)}
                      >
                        {expanded ? <ChevronDownIcon aria-hidden /> : <ChevronRightIcon aria-hidden />}
                      </Button>
                    </TableCell>
                    <TableCell className="tabular-nums">{formatDateTime(delivery.createdAt)}</TableCell>
                    <TableCell>
                      <DeliveryState delivery={delivery} />
                    </TableCell>
                    <TableCell>
                      <Link to={`/postbacks/${delivery.postbackConfigId}`} className="hover:underline">
                        {configLabel(delivery.postbackConfigId)}
                      </Link>
                      <span className="block text-xs text-muted-foreground">on {delivery.trigger}</span>
                    </TableCell>
                    {affiliateName ? <TableCell>{affiliateName(delivery.affiliateId)}</TableCell> : null}
                    <TableCell>
                      <Link
                        to={`/conversions/${delivery.conversionId}`}
                        className="font-mono text-xs hover:underline"
                      >
                        {delivery.conversionId.slice(0, 8)}…
                      </Link>
                    </TableCell>
                    <TableCell className="text-right tabular-nums">{delivery.attempts}</TableCell>
                    <TableCell className="text-right">
                      {delivery.state === 'pending' ? null : <ReplayButton delivery={delivery} />}
                    </TableCell>
                  </TableRow>
                  {expanded ? (
                    <TableRow className="hover:bg-transparent">
                      <TableCell
                        colSpan={columns}
                        className="bg-muted/30 p-3 whitespace-normal"
                        id={`attempts-${delivery.id}`}
                      >
                        <DeliveryAttempts id={delivery.id} />
                      </TableCell>
                    </TableRow>
                  ) : null}
                </Fragment>
              );
            })}
          </TableBody>
        </Table>
      </div>
    </>
  );
}

function DeliveryState({ delivery }: { delivery: PostbackDelivery }) {
  const detail =
    delivery.state === 'cancelled' && delivery.cancelReason
      ? `Not sent: ${CANCEL_REASON_TEXT[delivery.cancelReason] ?? delivery.cancelReason}`
      : delivery.state === 'pending' && delivery.nextAttemptAt
        ? `Next try ${formatDateTime(delivery.nextAttemptAt)}`
        : delivery.state === 'delivered' && delivery.deliveredAt
          ? `At ${formatDateTime(delivery.deliveredAt)}`
          : delivery.lastError;
  return (
    <span className="flex max-w-52 flex-col items-start gap-0.5" title={STATE_TEXT[delivery.state]}>
      <StatusBadge status={delivery.state} />
      {detail ? (
        <span className="w-full truncate text-xs text-muted-foreground" title={detail}>
          {detail}
        </span>
      ) : null}
    </span>
  );
}

function DeliveryAttempts({ id }: { id: string }) {
  const fetcher = useFetcher<{ attempts: PostbackAttempt[] }>();
  const load = useRef(fetcher.load);
  load.current = fetcher.load;
  useEffect(() => {
    load.current(`/postbacks/deliveries/${id}`);
  }, [id]);
  if (!fetcher.data) {
    return (
      <p className="flex items-center gap-2 text-sm text-muted-foreground">
        <Loader2Icon className="size-4 animate-spin" aria-hidden /> Loading the attempts…
      </p>
    );
  }
  if (fetcher.data.attempts.length === 0) {
    return <p className="text-sm text-muted-foreground">Not sent yet.</p>;
  }
  return <AttemptList attempts={fetcher.data.attempts} />;
}

function ReplayButton({ delivery }: { delivery: PostbackDelivery }) {
  const fetcher = useFetcher<DeliveryActionResult>();
  const handled = useRef<DeliveryActionResult | undefined>(undefined);
  useEffect(() => {
    const result = fetcher.data;
    if (fetcher.state !== 'idle' || !result || handled.current === result || result.intent !== 'replay')
      return;
    handled.current = result;
    if (!result.ok) toast.error(result.message);
    else if (result.attempt.ok) {
      toast.success(
        `Delivered: your endpoint answered ${result.attempt.statusCode} in ${result.attempt.latencyMs} ms.`,
      );
    } else {
      toast.error(
        `Sent, but it failed: ${result.attempt.statusCode === null ? (result.attempt.error ?? 'no answer') : `HTTP ${result.attempt.statusCode}`}.`,
      );
    }
  }, [fetcher.state, fetcher.data]);
  const busy = fetcher.state !== 'idle';
  return (
    <fetcher.Form method="post" action="/postbacks/deliveries">
      <input type="hidden" name="id" value={delivery.id} />
      <Button
        type="submit"
        name="intent"
        value="replay"
        variant="ghost"
        size="sm"
        disabled={busy}
        aria-label={`Replay delivery ${delivery.id.slice(0, 8)} now`}
      >
        {busy ? <Loader2Icon className="animate-spin" aria-hidden /> : <RotateCwIcon aria-hidden />}
        Replay
      </Button>
    </fetcher.Form>
  );
}
