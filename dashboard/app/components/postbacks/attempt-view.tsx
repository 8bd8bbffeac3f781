import { CheckCircle2Icon, XCircleIcon } from 'lucide-react';
import { Badge } from '~/components/ui/badge';
import { CopyButton } from '~/components/ui/copy-button';
import { formatDateTime } from '~/lib/format';
import { cn } from '~/lib/utils';
import { ATTEMPT_KIND_TEXT } from './postback-text';
import type { PostbackAttempt } from './postbacks.server';

/** An HTTP status as a badge: green 2xx, red otherwise, "no answer" when the request never got one. */
export function HttpStatus({ attempt }: { attempt: Pick<PostbackAttempt, 'statusCode' | 'ok'> }) {
  if (attempt.statusCode === null) return <Badge variant="destructive">no answer</Badge>;
  return (
    <Badge variant={attempt.ok ? 'success' : 'destructive'} className="font-mono">
      {attempt.statusCode}
    </Badge>
  );
}

/** One request as it went out, and what came back: what a test shows and each log line expands to. */
export function AttemptDetail({ attempt }: { attempt: PostbackAttempt }) {
  return (
    <div className="grid gap-3 text-sm">
      <div className="grid gap-1">
        <p className="text-xs font-medium text-muted-foreground">Request sent</p>
        <div className="flex items-start gap-2 rounded-lg border bg-muted/50 px-3 py-2">
          <Badge variant="outline" className="mt-0.5 font-mono">
            {attempt.method}
          </Badge>
          <code className="min-w-0 flex-1 font-mono text-[12.5px] break-all">{attempt.url}</code>
          <CopyButton
            value={attempt.url}
            label="Copy the URL sent"
            variant="ghost"
            className="-my-1 size-7"
          />
        </div>
      </div>
      <dl className="grid grid-cols-3 gap-2">
        <div className="grid gap-1">
          <dt className="text-xs text-muted-foreground">Answer</dt>
          <dd>
            <HttpStatus attempt={attempt} />
          </dd>
        </div>
        <div className="grid gap-1">
          <dt className="text-xs text-muted-foreground">Latency</dt>
          <dd className="tabular-nums">{attempt.latencyMs} ms</dd>
        </div>
        <div className="grid gap-1">
          <dt className="text-xs text-muted-foreground">At (UTC)</dt>
          <dd className="tabular-nums">{formatDateTime(attempt.attemptedAt)}</dd>
        </div>
      </dl>
      {attempt.error ? (
        <div className="grid gap-1">
          <p className="text-xs font-medium text-muted-foreground">Error</p>
          <p className="rounded-lg border border-destructive/30 bg-destructive/5 px-3 py-2 font-mono text-xs text-destructive break-all">
            {attempt.error}
          </p>
        </div>
      ) : null}
      <div className="grid gap-1">
        <p className="text-xs font-medium text-muted-foreground">Response body</p>
        {attempt.bodyExcerpt ? (
          <pre className="max-h-48 overflow-auto rounded-lg border bg-muted/50 px-3 py-2 font-mono text-xs whitespace-pre-wrap break-all">
            {attempt.bodyExcerpt}
          </pre>
        ) : (
          <p className="text-muted-foreground">Empty</p>
        )}
      </div>
    </div>
  );
}

/** The attempt log: newest first, each line opening to the request and the answer. */
export function AttemptList({ attempts }: { attempts: PostbackAttempt[] }) {
  return (
    <ul className="divide-y rounded-xl border bg-card">
      {attempts.map((attempt) => (
        <li key={attempt.id}>
          <details className="group">
            <summary className="flex cursor-pointer list-none items-center gap-3 px-4 py-2.5 text-sm hover:bg-muted/40 [&::-webkit-details-marker]:hidden">
              {attempt.ok ? (
                <CheckCircle2Icon className="size-4 shrink-0 text-success" aria-label="Succeeded" />
              ) : (
                <XCircleIcon className="size-4 shrink-0 text-destructive" aria-label="Failed" />
              )}
              <span className="shrink-0 whitespace-nowrap tabular-nums text-muted-foreground">
                {formatDateTime(attempt.attemptedAt)}
              </span>
              <span className="w-16 shrink-0">{ATTEMPT_KIND_TEXT[attempt.kind] ?? attempt.kind}</span>
              <HttpStatus attempt={attempt} />
              <span className="hidden w-16 shrink-0 text-right tabular-nums text-muted-foreground sm:inline">
                {attempt.latencyMs} ms
              </span>
              <code
                className={cn(
                  'hidden min-w-0 flex-1 truncate font-mono text-xs text-muted-foreground md:block',
                )}
              >
                {attempt.url}
              </code>
            </summary>
            <div className="border-t bg-muted/20 px-4 py-3">
              <AttemptDetail attempt={attempt} />
            </div>
          </details>
        </li>
      ))}
    </ul>
  );
}
