import { ArchiveIcon, FlaskConicalIcon, PauseIcon, PencilIcon, PlayIcon, ScrollTextIcon } from 'lucide-react';
import { Link } from 'react-router';
import { StatusBadge } from '~/components/status-badge';
import { Badge } from '~/components/ui/badge';
import { Button } from '~/components/ui/button';
import { ConfirmAction } from '~/components/ui/confirm-action';
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from '~/components/ui/table';
import { formatCount } from '~/lib/format';
import {
  CONSENT_TEXT,
  type Connection,
  type Destination,
  PLATFORM_LABEL,
  SEND_ON_TEXT,
  settingsSummary,
} from './ad-platform-text';
import type { OfferName } from './ad-platforms.server';
import { DestinationDialog } from './destination-dialog';
import { FetcherButton } from './fetcher-button';

const COUNT_STYLE: Record<keyof Destination['counts'], string> = {
  pending: 'text-amber-700 dark:text-amber-300',
  sent: 'text-emerald-700 dark:text-emerald-300',
  rejected: 'text-destructive',
  failed: 'text-destructive',
  skipped: 'text-muted-foreground',
};

/** Where the conversions go, with what each destination did with them so far. */
export function DestinationList({
  destinations,
  connections,
  offers,
}: {
  destinations: Destination[];
  connections: Connection[];
  offers: OfferName[];
}) {
  const offerName = (id: number | null) =>
    id === null ? 'All offers' : (offers.find((o) => o.id === id)?.name ?? `Offer #${id}`);
  const connectionLabel = (id: string) => connections.find((c) => c.id === id)?.label ?? 'Unknown account';
  return (
    <div className="min-w-0 rounded-xl border bg-card shadow-xs">
      <Table>
        <caption className="sr-only">Destinations</caption>
        <TableHeader>
          <TableRow className="hover:bg-transparent">
            <TableHead>Destination</TableHead>
            <TableHead>Offer</TableHead>
            <TableHead>Sends</TableHead>
            <TableHead>Status</TableHead>
            <TableHead>Deliveries</TableHead>
            <TableHead>
              <span className="sr-only">Actions</span>
            </TableHead>
          </TableRow>
        </TableHeader>
        <TableBody>
          {destinations.map((d) => (
            <TableRow key={d.id} aria-label={d.name}>
              <TableCell className="whitespace-normal">
                <div className="flex flex-wrap items-center gap-2">
                  <Link to={`/ad-platforms/destinations/${d.id}`} className="font-medium hover:underline">
                    {d.name}
                  </Link>
                  {d.testEventCode ? (
                    <Badge variant="warning" title={`Test event code ${d.testEventCode}`}>
                      <FlaskConicalIcon className="size-3" aria-hidden />
                      Test mode
                    </Badge>
                  ) : null}
                </div>
                <span className="mt-0.5 block text-xs text-muted-foreground">
                  {PLATFORM_LABEL[d.platform]} · {connectionLabel(d.connectionId)} ·{' '}
                  {settingsSummary(d.platform, d.settings)}
                </span>
              </TableCell>
              <TableCell>{offerName(d.offerId)}</TableCell>
              <TableCell className="text-sm">
                {SEND_ON_TEXT[d.sendOn]}
                <span className="block text-xs text-muted-foreground">{CONSENT_TEXT[d.consentPolicy]}</span>
              </TableCell>
              <TableCell className="max-w-64 whitespace-normal">
                <StatusBadge status={d.status} />
                {d.status === 'paused' && d.pausedReason ? (
                  <span className="mt-1 block text-xs text-muted-foreground">{d.pausedReason}</span>
                ) : null}
              </TableCell>
              <TableCell>
                <ul
                  className="flex flex-wrap gap-x-3 gap-y-0.5 text-xs tabular-nums"
                  aria-label="Deliveries by state"
                >
                  {(Object.keys(COUNT_STYLE) as (keyof Destination['counts'])[]).map((state) =>
                    d.counts[state] > 0 || state === 'sent' ? (
                      <li key={state}>
                        <Link
                          to={`/ad-platforms/destinations/${d.id}?state=${state}`}
                          className={`hover:underline ${COUNT_STYLE[state]}`}
                        >
                          {formatCount(d.counts[state])} {state}
                        </Link>
                      </li>
                    ) : null,
                  )}
                </ul>
              </TableCell>
              <TableCell>
                <div className="flex justify-end gap-1">
                  <Button asChild variant="ghost" size="sm">
                    <Link to={`/ad-platforms/destinations/${d.id}`}>
                      <ScrollTextIcon aria-hidden />
                      Log
                    </Link>
                  </Button>
                  {d.status === 'archived' ? null : (
                    <>
                      <DestinationDialog
                        connections={connections}
                        offers={offers}
                        destination={d}
                        trigger={
                          <Button variant="ghost" size="sm" aria-label={`Edit ${d.name}`}>
                            <PencilIcon aria-hidden />
                            Edit
                          </Button>
                        }
                      />
                      {d.status === 'active' ? (
                        <FetcherButton
                          fields={{ intent: 'destination-status', id: d.id, status: 'paused' }}
                          action="/ad-platforms"
                          variant="ghost"
                          size="sm"
                          icon={<PauseIcon aria-hidden />}
                          aria-label={`Pause ${d.name}`}
                        >
                          Pause
                        </FetcherButton>
                      ) : (
                        <FetcherButton
                          fields={{ intent: 'destination-status', id: d.id, status: 'active' }}
                          action="/ad-platforms"
                          variant="ghost"
                          size="sm"
                          icon={<PlayIcon aria-hidden />}
                          aria-label={`Resume ${d.name}`}
                        >
                          Resume
                        </FetcherButton>
                      )}
                      <ConfirmAction
                        trigger={
                          <Button variant="ghost" size="sm" aria-label={`Archive ${d.name}`}>
                            <ArchiveIcon aria-hidden />
                            Archive
                          </Button>
                        }
                        title={`Archive “${d.name}”?`}
                        description="No new conversion is sent to it, and those still queued are dropped. Its log stays. An archived destination cannot be resumed."
                        confirmLabel="Archive"
                        destructive
                        action="/ad-platforms"
                        fields={{ intent: 'destination-status', id: d.id, status: 'archived' }}
                      />
                    </>
                  )}
                </div>
              </TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </div>
  );
}
