import { BadgeDollarSignIcon, MousePointerClickIcon } from 'lucide-react';
import { useEffect, useState } from 'react';
import type { NameMaps } from '~/components/reports/labels';
import { countryName } from '~/components/reports/labels';
import type { Role } from '~/components/reports/report-view';
import { StatusBadge } from '~/components/status-badge';
import { Badge } from '~/components/ui/badge';
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from '~/components/ui/table';
import { formatMoney } from '~/lib/format';
import { cn } from '~/lib/utils';
import type { LiveEvent } from './use-live-feed';

const time = new Intl.DateTimeFormat('en-GB', {
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hour12: false,
});
const day = new Intl.DateTimeFormat('en-US', { month: 'short', day: 'numeric' });

/** The moment an event happened, in the browser's zone (the day too when it is not today). */
function when(iso: string): { text: string; title: string } {
  const date = new Date(iso);
  const today = new Date().toDateString() === date.toDateString();
  return {
    text: today ? time.format(date) : `${day.format(date)} ${time.format(date)}`,
    title: date.toString(),
  };
}

const FRESH_MS = 2_500;

const DEVICE: Record<string, string> = {
  desktop: 'Desktop',
  mobile: 'Mobile',
  tablet: 'Tablet',
  other: 'Other',
};

/**
 * Rows received in the last moments stand out, then settle: the table renders again once when
 * the newest row stops being new, not on a clock (an idle feed stays idle).
 */
function useNow(newest: number | null, freshMs: number) {
  const [, settle] = useState(0);
  useEffect(() => {
    if (newest === null) return;
    const left = newest + freshMs - Date.now();
    if (left <= 0) return;
    const timer = setTimeout(() => settle((n) => n + 1), left + 50);
    return () => clearTimeout(timer);
  }, [newest, freshMs]);
  return Date.now();
}

/** The live events, newest first: what, when, where from, and for conversions their money. */
export function LiveTable({ events, role, names }: { events: LiveEvent[]; role: Role; names: NameMaps }) {
  const now = useNow(
    events.reduce<number | null>((a, e) => (a === null || e.receivedAt > a ? e.receivedAt : a), null),
    FRESH_MS,
  );
  const moneyLabel = role === 'affiliate' ? 'Earnings' : role === 'advertiser' ? 'Cost' : 'Revenue / payout';
  return (
    <div className="overflow-hidden rounded-xl border bg-card shadow-xs">
      <Table className="text-[13px]">
        <caption className="sr-only">Live clicks and conversions, newest first</caption>
        <TableHeader className="bg-muted">
          <TableRow className="hover:bg-transparent">
            <TableHead className="h-9 w-20 px-3 text-[11px]">Time</TableHead>
            <TableHead className="h-9 px-1 text-[11px] sm:px-3">
              <span className="sr-only sm:not-sr-only">Event</span>
            </TableHead>
            <TableHead className="h-9 px-3 text-[11px]">Offer</TableHead>
            {role === 'affiliate' ? null : (
              <TableHead className="hidden h-9 px-3 text-[11px] md:table-cell">Affiliate</TableHead>
            )}
            <TableHead className="hidden h-9 px-3 text-[11px] lg:table-cell">Sub 1</TableHead>
            <TableHead className="hidden h-9 px-3 text-[11px] sm:table-cell">Country</TableHead>
            <TableHead className="hidden h-9 px-3 text-[11px] lg:table-cell">Device</TableHead>
            <TableHead className="hidden h-9 px-3 text-[11px] sm:table-cell">Flags</TableHead>
            <TableHead className="h-9 px-3 text-right text-[11px]">{moneyLabel}</TableHead>
          </TableRow>
        </TableHeader>
        <TableBody>
          {events.map((event) => {
            const at = when(event.data.occurredAt);
            const fresh = now - event.receivedAt < FRESH_MS;
            const offer = names.offers[event.data.offerId] ?? `Offer #${event.data.offerId}`;
            const affiliate =
              names.affiliates[event.data.affiliateId] ?? `Affiliate #${event.data.affiliateId}`;
            return (
              <TableRow
                key={event.id}
                className={cn(
                  'transition-colors duration-1000',
                  fresh && 'bg-primary/5',
                  event.type === 'conversion' && !fresh && 'bg-success/[0.03]',
                )}
              >
                <TableCell
                  className="px-3 py-1.5 font-mono text-xs text-muted-foreground tabular-nums"
                  title={at.title}
                >
                  <time dateTime={event.data.occurredAt}>{at.text}</time>
                </TableCell>
                <TableCell className="px-1 py-1.5 sm:px-3">
                  {event.type === 'click' ? (
                    <span className="inline-flex items-center gap-1.5 text-muted-foreground">
                      <MousePointerClickIcon className="size-3.5" aria-hidden />
                      <span className="sr-only sm:not-sr-only">Click</span>
                    </span>
                  ) : (
                    <span className="inline-flex items-center gap-1.5 font-medium text-success">
                      <BadgeDollarSignIcon className="size-3.5" aria-hidden />
                      <span className="sr-only text-foreground sm:not-sr-only">
                        {event.data.event === 'conversion' ? 'Conversion' : event.data.event}
                      </span>
                    </span>
                  )}
                </TableCell>
                <TableCell className="max-w-32 truncate px-2 py-1.5 sm:max-w-56 sm:px-3" title={offer}>
                  {offer}
                </TableCell>
                {role === 'affiliate' ? null : (
                  <TableCell className="hidden max-w-44 truncate px-3 py-1.5 md:table-cell" title={affiliate}>
                    {affiliate}
                  </TableCell>
                )}
                <TableCell className="hidden max-w-36 truncate px-3 py-1.5 font-mono text-xs lg:table-cell">
                  {event.type === 'click' ? (
                    event.data.sub1 || <span className="text-muted-foreground">–</span>
                  ) : (
                    <span className="text-muted-foreground">–</span>
                  )}
                </TableCell>
                <TableCell className="hidden px-3 py-1.5 sm:table-cell">
                  {event.type === 'click' && event.data.country ? (
                    <span title={countryName(event.data.country)}>{event.data.country}</span>
                  ) : (
                    <span className="text-muted-foreground">–</span>
                  )}
                </TableCell>
                <TableCell className="hidden px-3 py-1.5 lg:table-cell">
                  {event.type === 'click' && event.data.device ? (
                    (DEVICE[event.data.device] ?? event.data.device)
                  ) : (
                    <span className="text-muted-foreground">–</span>
                  )}
                </TableCell>
                <TableCell className="hidden px-3 py-1.5 sm:table-cell">
                  <Flags event={event} />
                </TableCell>
                <TableCell className="px-3 py-1.5 text-right tabular-nums">
                  {event.type === 'conversion' ? (
                    <Amounts event={event} role={role} />
                  ) : (
                    <span className="text-muted-foreground">–</span>
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

function Flags({ event }: { event: LiveEvent }) {
  if (event.type === 'conversion') return <StatusBadge status={event.data.status} />;
  const flags: { label: string; variant: 'warning' | 'secondary' | 'destructive' }[] = [];
  if (!event.data.unique) flags.push({ label: 'duplicate', variant: 'warning' });
  if (event.data.outcome === 'fallback') flags.push({ label: 'fallback', variant: 'secondary' });
  // The feed does not carry the click's fraud flags (bot, blocked, velocity): only what it says.
  if (flags.length === 0) return <span className="text-muted-foreground">–</span>;
  return (
    <span className="inline-flex flex-wrap gap-1">
      {flags.map((f) => (
        <Badge key={f.label} variant={f.variant}>
          {f.label}
        </Badge>
      ))}
    </span>
  );
}

function Amounts({ event, role }: { event: Extract<LiveEvent, { type: 'conversion' }>; role: Role }) {
  const { currency, payoutMinor, revenueMinor } = event.data;
  if (role === 'affiliate') return <span className="font-medium">{formatMoney(payoutMinor, currency)}</span>;
  if (role === 'advertiser')
    return <span className="font-medium">{formatMoney(revenueMinor, currency)}</span>;
  return (
    <span>
      <span className="font-medium">{formatMoney(revenueMinor, currency)}</span>
      <span className="text-muted-foreground"> / {formatMoney(payoutMinor, currency)}</span>
    </span>
  );
}
