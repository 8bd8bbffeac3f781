import { CheckCircle2Icon, InboxIcon, Loader2Icon, RotateCcwIcon, ServerCrashIcon } from 'lucide-react';
import { Suspense, useEffect } from 'react';
import { Await, useFetcher } from 'react-router';
import { toast } from 'sonner';
import { Button } from '~/components/ui/button';
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '~/components/ui/card';
import { Alert, Skeleton } from '~/components/ui/misc';
import { formatCount } from '~/lib/format';

export type DeadLetterCount = { ok: true; stored: number } | { ok: false; message: string };

export type DeadLetterReplayAnswer =
  | {
      intent: 'replay-dead-letters';
      ok: true;
      replayed: number;
      failed: { messageId: string; failure: string }[];
      remaining: number;
    }
  | { intent: 'replay-dead-letters'; ok: false; message: string };

function ReplayButton({ stored }: { stored: number }) {
  const fetcher = useFetcher<DeadLetterReplayAnswer>();
  const busy = fetcher.state !== 'idle';
  const answer = fetcher.data;
  useEffect(() => {
    if (!answer) return;
    if (!answer.ok) toast.error(answer.message);
    else if (answer.replayed > 0) toast.success(`Replayed ${formatCount(answer.replayed)} dead letters.`);
  }, [answer]);
  return (
    <div className="grid grid-cols-1 gap-3">
      <fetcher.Form method="post">
        <input type="hidden" name="intent" value="replay-dead-letters" />
        <Button
          type="submit"
          size="sm"
          variant={stored > 0 ? 'default' : 'outline'}
          disabled={busy || stored === 0}
        >
          {busy ? <Loader2Icon className="animate-spin" aria-hidden /> : <RotateCcwIcon />}
          Replay {stored > 200 ? 'the oldest 200' : stored > 0 ? 'them' : ''}
        </Button>
      </fetcher.Form>
      {answer?.ok ? (
        <Alert variant={answer.failed.length > 0 ? 'warning' : 'success'} className="grid gap-1">
          <p className="font-medium">
            {formatCount(answer.replayed)} stored, {formatCount(answer.failed.length)} failed again,{' '}
            {formatCount(answer.remaining)} left.
          </p>
          {answer.failed.length > 0 ? (
            <ul className="grid gap-0.5 text-xs">
              {answer.failed.slice(0, 6).map((letter) => (
                <li key={letter.messageId} className="break-all">
                  <span className="font-mono">{letter.messageId}</span>: {letter.failure}
                </li>
              ))}
              {answer.failed.length > 6 ? <li>…and {formatCount(answer.failed.length - 6)} more.</li> : null}
            </ul>
          ) : null}
        </Alert>
      ) : answer && !answer.ok ? (
        <Alert variant="destructive">{answer.message}</Alert>
      ) : null}
    </div>
  );
}

/**
 * The edge's dead-letter store: events whose batches failed through every queue retry. The count
 * is read from the edge while the page shows (it may be slow or down); replaying sends up to 200
 * letters a call through the ingest, which is idempotent.
 */
export function DeadLetterPanel({ count }: { count: Promise<DeadLetterCount> }) {
  return (
    <Card>
      <CardHeader>
        <CardTitle className="flex items-center gap-2">
          <InboxIcon className="size-4 text-muted-foreground" aria-hidden /> Dead letters at the edge
        </CardTitle>
        <CardDescription>
          Event batches that failed through all of their retries wait here; nothing is dropped. Replay them
          once the control plane takes events again.
        </CardDescription>
      </CardHeader>
      <CardContent>
        <Suspense fallback={<Skeleton className="h-16 w-full" />}>
          <Await resolve={count}>
            {(answer) =>
              answer.ok ? (
                <div className="grid grid-cols-1 gap-3">
                  <p className="flex items-center gap-2 text-sm">
                    {answer.stored === 0 ? (
                      <CheckCircle2Icon className="size-4 text-success" aria-hidden />
                    ) : null}
                    <span className="text-2xl font-semibold tabular-nums">{formatCount(answer.stored)}</span>
                    <span className="text-muted-foreground">
                      {answer.stored === 1 ? 'letter' : 'letters'} stored
                    </span>
                  </p>
                  <ReplayButton stored={answer.stored} />
                </div>
              ) : (
                <Alert variant="destructive" className="flex items-start gap-3">
                  <ServerCrashIcon className="mt-0.5 size-4 shrink-0" aria-hidden />
                  <span>
                    <span className="font-medium">The edge did not answer.</span> {answer.message}
                  </span>
                </Alert>
              )
            }
          </Await>
        </Suspense>
      </CardContent>
    </Card>
  );
}
