import { CheckCircle2Icon, FileJsonIcon, Loader2Icon, RotateCcwIcon } from 'lucide-react';
import { useEffect, useMemo, useState } from 'react';
import { Link, useFetcher, useSearchParams } from 'react-router';
import { toast } from 'sonner';
import { Pager } from '~/components/data-table';
import { Badge } from '~/components/ui/badge';
import { Button } from '~/components/ui/button';
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '~/components/ui/card';
import { CopyButton } from '~/components/ui/copy-button';
import {
  Dialog,
  DialogContent,
  DialogDescription,
  DialogHeader,
  DialogTitle,
  DialogTrigger,
} from '~/components/ui/dialog';
import { Alert } from '~/components/ui/misc';
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from '~/components/ui/table';
import type { Schemas } from '~/lib/api.server';
import { formatAgo, formatCount, formatDateTime } from '~/lib/format';

type QuarantinedEvent = Schemas['QuarantinedEvent'];

export type QuarantineReplayAnswer =
  | {
      intent: 'replay-quarantine';
      ok: true;
      replayed: number;
      stillQuarantined: { id: number; reasonCode: string; reason: string }[];
    }
  | { intent: 'replay-quarantine'; ok: false; message: string };

/** The body as received, indented when it is JSON (it may not be: that can be why it is here). */
function pretty(body: string): string {
  try {
    return JSON.stringify(JSON.parse(body), null, 2);
  } catch {
    return body;
  }
}

function BodyViewer({ event }: { event: QuarantinedEvent }) {
  const text = pretty(event.body);
  return (
    <Dialog>
      <DialogTrigger asChild>
        <Button variant="ghost" size="sm" aria-label={`View the body of event ${event.id}`}>
          <FileJsonIcon /> Body
        </Button>
      </DialogTrigger>
      <DialogContent className="max-h-[calc(100dvh-2rem)] overflow-y-auto sm:max-w-3xl">
        <DialogHeader>
          <DialogTitle>Quarantined event #{event.id}</DialogTitle>
          <DialogDescription>
            {event.eventType ?? 'Unknown type'}
            {event.eventId ? ` ${event.eventId}` : ''} · received {formatDateTime(event.receivedAt)} UTC
          </DialogDescription>
        </DialogHeader>
        <Alert variant="destructive">
          <span className="font-mono text-xs">{event.reasonCode}</span>: {event.reason}
        </Alert>
        <div className="relative">
          <pre className="max-h-[55vh] overflow-auto rounded-lg border bg-muted/50 p-3 pr-12 font-mono text-xs leading-relaxed whitespace-pre-wrap break-all">
            {text}
          </pre>
          <CopyButton
            value={event.body}
            label="Copy the body"
            variant="ghost"
            className="absolute top-1.5 right-1.5"
          />
        </div>
      </DialogContent>
    </Dialog>
  );
}

/**
 * Events the ingest could not store, with their reasons: select some, or all waiting, and send
 * them through the ingest again after the fix; what was stored and what was not is shown.
 */
export function QuarantinePanel({
  events,
  nextAfter,
  waiting,
  now,
}: {
  events: QuarantinedEvent[];
  nextAfter: number | null;
  waiting: number;
  now: string;
}) {
  const [params] = useSearchParams();
  const showReplayed = params.get('replayed') === 'shown';
  const fetcher = useFetcher<QuarantineReplayAnswer>();
  const busy = fetcher.state !== 'idle';
  const [selected, setSelected] = useState<Set<number>>(new Set());
  const selectable = useMemo(() => events.filter((e) => !e.replayedAt).map((e) => e.id), [events]);
  const answer = fetcher.data;
  useEffect(() => {
    if (!answer) return;
    if (answer.ok) {
      setSelected(new Set());
      toast.success(
        `Replayed ${formatCount(answer.replayed)} ${answer.replayed === 1 ? 'event' : 'events'}.`,
      );
    } else toast.error(answer.message);
  }, [answer]);
  const allSelected = selectable.length > 0 && selectable.every((id) => selected.has(id));
  const toggle = (id: number) =>
    setSelected((current) => {
      const next = new Set(current);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });
  const replayedLink = (() => {
    const copy = new URLSearchParams(params);
    copy.delete('after');
    if (showReplayed) copy.delete('replayed');
    else copy.set('replayed', 'shown');
    const text = copy.toString();
    return text ? `?${text}` : '?';
  })();
  const limit = 1000;
  return (
    <Card>
      <CardHeader className="flex-col gap-3 sm:flex-row sm:items-start sm:justify-between">
        <div className="grid min-w-0 flex-1 gap-1.5">
          <CardTitle className="flex items-center gap-2">
            Ingest quarantine
            <Badge variant={waiting > 0 ? 'warning' : 'success'}>{formatCount(waiting)} waiting</Badge>
          </CardTitle>
          <CardDescription>
            Events the control plane could not store, each with its reason; the rest of their batch was
            stored. Fix the cause, then replay them: storing is idempotent, so nothing counts twice.
          </CardDescription>
        </div>
        <fetcher.Form method="post" className="flex shrink-0 flex-wrap gap-2">
          <input type="hidden" name="intent" value="replay-quarantine" />
          {[...selected].map((id) => (
            <input key={id} type="hidden" name="ids" value={id} />
          ))}
          <input type="hidden" name="limit" value={limit} />
          <Button
            type="submit"
            variant="outline"
            size="sm"
            name="scope"
            value="selected"
            disabled={busy || selected.size === 0}
          >
            {busy && fetcher.formData?.get('scope') === 'selected' ? (
              <Loader2Icon className="animate-spin" aria-hidden />
            ) : (
              <RotateCcwIcon />
            )}
            Replay {selected.size > 0 ? formatCount(selected.size) : ''} selected
          </Button>
          <Button type="submit" size="sm" name="scope" value="all" disabled={busy || waiting === 0}>
            {busy && fetcher.formData?.get('scope') === 'all' ? (
              <Loader2Icon className="animate-spin" aria-hidden />
            ) : (
              <RotateCcwIcon />
            )}
            {waiting > limit ? `Replay the oldest ${formatCount(limit)}` : 'Replay all waiting'}
          </Button>
        </fetcher.Form>
      </CardHeader>
      <CardContent className="grid grid-cols-1 gap-3">
        {answer?.ok ? (
          <Alert variant={answer.stillQuarantined.length > 0 ? 'warning' : 'success'} className="grid gap-1">
            <p className="font-medium">
              {formatCount(answer.replayed)} stored
              {answer.stillQuarantined.length > 0
                ? `; ${formatCount(answer.stillQuarantined.length)} still quarantined:`
                : '. Nothing is left over.'}
            </p>
            {answer.stillQuarantined.length > 0 ? (
              <ul className="grid gap-0.5 text-xs">
                {answer.stillQuarantined.slice(0, 8).map((item) => (
                  <li key={item.id}>
                    #{item.id} <span className="font-mono">{item.reasonCode}</span>: {item.reason}
                  </li>
                ))}
                {answer.stillQuarantined.length > 8 ? (
                  <li>…and {formatCount(answer.stillQuarantined.length - 8)} more.</li>
                ) : null}
              </ul>
            ) : null}
          </Alert>
        ) : null}
        {events.length === 0 ? (
          <div className="flex flex-col items-center gap-2 rounded-lg border border-dashed px-6 py-10 text-center">
            <CheckCircle2Icon className="size-6 text-success" aria-hidden />
            <p className="font-medium">Nothing in quarantine</p>
            <p className="max-w-sm text-sm text-muted-foreground">Every event the edge sent was stored.</p>
          </div>
        ) : (
          <div className="rounded-lg border">
            <Table>
              <caption className="sr-only">Quarantined events</caption>
              <TableHeader>
                <TableRow className="hover:bg-transparent">
                  <TableHead className="w-10">
                    <input
                      type="checkbox"
                      aria-label="Select every waiting event on this page"
                      className="size-4 accent-[var(--color-primary)]"
                      checked={allSelected}
                      disabled={selectable.length === 0}
                      onChange={() => setSelected(allSelected ? new Set() : new Set(selectable))}
                    />
                  </TableHead>
                  <TableHead>Event</TableHead>
                  <TableHead>Reason</TableHead>
                  <TableHead>Received</TableHead>
                  <TableHead>State</TableHead>
                  <TableHead>
                    <span className="sr-only">Body</span>
                  </TableHead>
                </TableRow>
              </TableHeader>
              <TableBody>
                {events.map((event) => (
                  <TableRow key={event.id} data-state={selected.has(event.id) ? 'selected' : undefined}>
                    <TableCell>
                      <input
                        type="checkbox"
                        aria-label={`Select event ${event.id}`}
                        className="size-4 accent-[var(--color-primary)]"
                        checked={selected.has(event.id)}
                        disabled={Boolean(event.replayedAt)}
                        onChange={() => toggle(event.id)}
                      />
                    </TableCell>
                    <TableCell>
                      <div className="grid gap-0.5">
                        <span className="font-medium">
                          #{event.id} {event.eventType ?? 'unreadable'}
                        </span>
                        {event.eventId ? (
                          <span
                            className="max-w-48 truncate font-mono text-xs text-muted-foreground"
                            title={event.eventId}
                          >
                            {event.eventId}
                          </span>
                        ) : null}
                      </div>
                    </TableCell>
                    <TableCell className="max-w-md whitespace-normal">
                      <Badge variant="outline" className="mb-1 font-mono text-[11px] font-normal">
                        {event.reasonCode}
                      </Badge>
                      <p className="line-clamp-2 text-xs text-muted-foreground" title={event.reason}>
                        {event.reason}
                      </p>
                    </TableCell>
                    <TableCell title={event.receivedAt}>{formatAgo(event.receivedAt, now)}</TableCell>
                    <TableCell>
                      {event.replayedAt ? (
                        <Badge variant="success">replayed</Badge>
                      ) : (
                        <Badge variant="warning">waiting</Badge>
                      )}
                    </TableCell>
                    <TableCell className="text-right">
                      <BodyViewer event={event} />
                    </TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          </div>
        )}
        <div className="flex flex-wrap items-center justify-between gap-2">
          <Button asChild variant="link" size="sm" className="h-auto p-0">
            <Link to={replayedLink} preventScrollReset>
              {showReplayed ? 'Hide replayed events' : 'Show replayed events too'}
            </Link>
          </Button>
          <Pager next={nextAfter} />
        </div>
      </CardContent>
    </Card>
  );
}
