import { AlertTriangleIcon, ListTreeIcon, RefreshCwIcon, RotateCcwIcon, UnplugIcon } from 'lucide-react';
import { Link } from 'react-router';
import { StatusBadge } from '~/components/status-badge';
import { Badge } from '~/components/ui/badge';
import { Button } from '~/components/ui/button';
import { ConfirmAction } from '~/components/ui/confirm-action';
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from '~/components/ui/table';
import { formatAgo, formatDate } from '~/lib/format';
import { type Connection, PLATFORM_LABEL } from './ad-platform-text';
import { type AdvertiserOption, ConnectDialog } from './connect-dialog';
import { FetcherButton } from './fetcher-button';

/** The ad accounts TAS may act on: their state, their token's life, their last spend sync. */
export function ConnectionList({
  connections,
  advertisers,
  now,
}: {
  connections: Connection[];
  /** Admins see whose account it is. */
  advertisers: AdvertiserOption[] | null;
  now: string;
}) {
  const advertiserName = (id: number) => advertisers?.find((a) => a.id === id)?.name ?? `Advertiser #${id}`;
  return (
    <div className="min-w-0 rounded-xl border bg-card shadow-xs">
      <Table>
        <caption className="sr-only">Ad accounts</caption>
        <TableHeader>
          <TableRow className="hover:bg-transparent">
            <TableHead>Account</TableHead>
            {advertisers ? <TableHead>Advertiser</TableHead> : null}
            <TableHead>Status</TableHead>
            <TableHead>Token expires</TableHead>
            <TableHead>Spend synced</TableHead>
            <TableHead>
              <span className="sr-only">Actions</span>
            </TableHead>
          </TableRow>
        </TableHeader>
        <TableBody>
          {connections.map((c) => {
            const reauth = c.status === 'needs_reauth';
            const disconnected = c.status === 'disconnected';
            const expired = c.accessTokenExpiresAt !== null && c.accessTokenExpiresAt < now;
            return (
              <TableRow key={c.id} aria-label={c.label}>
                <TableCell className="whitespace-normal">
                  <div className="flex items-center gap-2">
                    <Badge variant="outline">{PLATFORM_LABEL[c.platform]}</Badge>
                    <span className="font-medium">{c.label}</span>
                  </div>
                  <span className="mt-0.5 block text-xs text-muted-foreground">
                    {c.accountId ? `Account ${c.accountId}` : 'No account id'}
                    {c.loginAccountId ? ` · via ${c.loginAccountId}` : ''} ·{' '}
                    {c.source === 'oauth' ? 'OAuth' : 'pasted token'}
                  </span>
                </TableCell>
                {advertisers ? <TableCell>{advertiserName(c.advertiserId)}</TableCell> : null}
                <TableCell className="max-w-72 whitespace-normal">
                  {disconnected ? (
                    <Badge variant="secondary">disconnected</Badge>
                  ) : reauth ? (
                    <div className="grid gap-1">
                      <Badge variant="destructive">
                        <AlertTriangleIcon className="size-3" aria-hidden />
                        Connect again
                      </Badge>
                      {c.lastError ? (
                        <span className="text-xs text-destructive">
                          {c.lastError}
                          {c.lastErrorAt ? ` (${formatAgo(c.lastErrorAt, now)})` : ''}
                        </span>
                      ) : null}
                    </div>
                  ) : (
                    <StatusBadge status="active" label="connected" />
                  )}
                </TableCell>
                <TableCell className={expired ? 'text-destructive' : undefined}>
                  {disconnected
                    ? 'Erased'
                    : c.accessTokenExpiresAt
                      ? `${expired ? 'Expired ' : ''}${formatDate(c.accessTokenExpiresAt)}`
                      : 'Does not expire'}
                </TableCell>
                <TableCell className="text-muted-foreground">
                  {c.spendSyncedAt ? formatAgo(c.spendSyncedAt, now) : 'Never'}
                </TableCell>
                <TableCell>
                  <div className="flex justify-end gap-1">
                    {reauth || disconnected ? (
                      <ConnectDialog
                        mode={c.source === 'token' ? 'token' : 'oauth'}
                        advertisers={advertisers}
                        defaultAdvertiserId={c.advertiserId}
                        reconnect={c}
                        trigger={
                          <Button size="sm" variant="destructive">
                            <RotateCcwIcon aria-hidden />
                            Connect again
                          </Button>
                        }
                      />
                    ) : null}
                    {disconnected ? null : (
                      <FetcherButton
                        fields={{ intent: 'sync', id: c.id }}
                        action="/ad-platforms"
                        variant="ghost"
                        size="sm"
                        icon={<RefreshCwIcon aria-hidden />}
                        aria-label={`Sync ${c.label} now`}
                      >
                        Sync now
                      </FetcherButton>
                    )}
                    <Button asChild variant="ghost" size="sm">
                      <Link to={`/ad-platforms/connections/${c.id}/campaigns`}>
                        <ListTreeIcon aria-hidden />
                        Campaigns
                      </Link>
                    </Button>
                    {disconnected ? null : (
                      <ConfirmAction
                        trigger={
                          <Button variant="ghost" size="sm" aria-label={`Disconnect ${c.label}`}>
                            <UnplugIcon aria-hidden />
                            Disconnect
                          </Button>
                        }
                        title={`Disconnect ${c.label}?`}
                        description="TAS erases the tokens it holds for this account and archives its destinations: conversions not yet sent are not sent. Spend already read stays in the ROI report."
                        confirmLabel="Disconnect"
                        destructive
                        fields={{ intent: 'disconnect', id: c.id }}
                        action="/ad-platforms"
                      >
                        <p className="text-sm text-muted-foreground">
                          Revoke TAS's access on the platform too, in its business settings.
                        </p>
                      </ConfirmAction>
                    )}
                  </div>
                </TableCell>
              </TableRow>
            );
          })}
        </TableBody>
      </Table>
    </div>
  );
}
