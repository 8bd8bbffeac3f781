import { ChevronRightIcon, RotateCwIcon } from 'lucide-react';
import { Link } from 'react-router';
import { StatusBadge } from '~/components/status-badge';
import { Badge } from '~/components/ui/badge';
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from '~/components/ui/table';
import { formatDateTime } from '~/lib/format';
import { type Delivery, STATE_TEXT, skipReasonText } from './ad-platform-text';
import { FetcherButton } from './fetcher-button';

const STATUS_OF: Record<Delivery['state'], string> = {
  pending: 'pending',
  sent: 'delivered',
  rejected: 'rejected',
  failed: 'failed',
  skipped: 'archived',
};

/** A destination's log: one row per conversion (or retraction) and what the platform answered. */
export function DeliveryLog({ deliveries, replayable }: { deliveries: Delivery[]; replayable: boolean }) {
  return (
    <div className="min-w-0 rounded-xl border bg-card shadow-xs">
      <Table>
        <caption className="sr-only">Deliveries</caption>
        <TableHeader>
          <TableRow className="hover:bg-transparent">
            <TableHead>Created (UTC)</TableHead>
            <TableHead>State</TableHead>
            <TableHead>Conversion</TableHead>
            <TableHead className="text-right">Attempts</TableHead>
            <TableHead className="text-right">HTTP</TableHead>
            <TableHead>Platform’s answer</TableHead>
            <TableHead>Sent (UTC)</TableHead>
            <TableHead>
              <span className="sr-only">Actions</span>
            </TableHead>
          </TableRow>
        </TableHeader>
        <TableBody>
          {deliveries.map((d) => {
            const reason = d.state === 'skipped' ? skipReasonText(d.skipReason) : null;
            return (
              <TableRow key={d.id}>
                <TableCell className="tabular-nums">{formatDateTime(d.createdAt)}</TableCell>
                <TableCell className="min-w-44 max-w-64 whitespace-normal">
                  <span className="flex flex-col items-start gap-0.5" title={STATE_TEXT[d.state]}>
                    <StatusBadge status={STATUS_OF[d.state]} label={d.state} />
                    {reason ? <span className="text-xs text-muted-foreground">{reason}</span> : null}
                    {d.state === 'pending' ? (
                      <span className="text-xs text-muted-foreground">
                        Next try {formatDateTime(d.nextAttemptAt)}
                      </span>
                    ) : null}
                  </span>
                </TableCell>
                <TableCell>
                  <Link to={`/conversions/${d.conversionId}`} className="font-mono text-xs hover:underline">
                    {d.conversionId.slice(0, 8)}…
                  </Link>
                  {d.kind === 'retraction' ? (
                    <Badge variant="secondary" className="ml-2">
                      retraction
                    </Badge>
                  ) : null}
                </TableCell>
                <TableCell className="text-right tabular-nums">{d.attempts}</TableCell>
                <TableCell className="text-right tabular-nums">{d.lastHttpStatus ?? '–'}</TableCell>
                <TableCell className="max-w-72 whitespace-normal">
                  {d.lastResponse ? (
                    <details className="group text-xs">
                      <summary className="flex cursor-pointer list-none items-center gap-1 text-muted-foreground hover:text-foreground">
                        <ChevronRightIcon
                          className="size-3.5 transition-transform group-open:rotate-90"
                          aria-hidden
                        />
                        <span className="min-w-0 truncate">{d.lastResponse.slice(0, 60)}</span>
                      </summary>
                      <pre className="mt-2 max-h-64 overflow-auto rounded-md bg-muted p-2 font-mono text-[11px] whitespace-pre-wrap break-all">
                        {pretty(d.lastResponse)}
                      </pre>
                    </details>
                  ) : (
                    <span className="text-xs text-muted-foreground">–</span>
                  )}
                </TableCell>
                <TableCell className="tabular-nums">{formatDateTime(d.sentAt)}</TableCell>
                <TableCell className="text-right">
                  {d.state === 'pending' || !replayable ? null : (
                    <FetcherButton
                      fields={{ intent: 'replay', id: d.id }}
                      variant="ghost"
                      size="sm"
                      icon={<RotateCwIcon aria-hidden />}
                      aria-label={`Replay delivery ${d.id.slice(0, 8)}`}
                    >
                      Replay
                    </FetcherButton>
                  )}
                </TableCell>
              </TableRow>
            );
          })}
        </TableBody>
      </Table>
    </div>
  );
}

/** JSON answers indented; anything else as it came. */
function pretty(text: string): string {
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return text;
  }
}
