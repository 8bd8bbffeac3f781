import { ArrowLeftIcon, SendIcon } from 'lucide-react';
import { type ReactNode, useCallback, useState } from 'react';
import { data, Link } from 'react-router';
import { ChangeDialog, type ChangeRequest } from '~/components/conversions/change-dialog';
import { FraudFlags, SaleAmount, SUB_KEYS } from '~/components/conversions/conversion-cells';
import {
  CHANGE_ACTIONS,
  type ChangeAction,
  flagText,
  reasonText,
  STATUS_VARIANT,
} from '~/components/conversions/conversion-text';
import { companyNames } from '~/components/offers/offers.server';
import { PageHeader } from '~/components/page';
import { StatusBadge } from '~/components/status-badge';
import { Badge } from '~/components/ui/badge';
import { Button } from '~/components/ui/button';
import { Card, CardContent, CardHeader, CardTitle } from '~/components/ui/card';
import { CopyButton } from '~/components/ui/copy-button';
import { Alert } from '~/components/ui/misc';
import { apiMessage } from '~/lib/api-errors';
import { authOf } from '~/lib/auth.server';
import { formatDateTime, formatMoney } from '~/lib/format';
import type { Route } from './+types/_app.conversions.$id';

export function meta({ loaderData }: Route.MetaArgs) {
  const txid = loaderData?.conversion.txid;
  return [{ title: `${txid ? `Conversion ${txid}` : 'Conversion'} · TAS` }];
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** One conversion as the viewer may see it, with its offer's name and its affiliate postbacks. */
export async function loader({ params, context }: Route.LoaderArgs) {
  const auth = authOf(context);
  if (!UUID.test(params.id)) throw data({ message: 'There is no such conversion.' }, { status: 404 });
  const {
    data: conversion,
    error,
    response,
  } = await auth.api.GET('/api/v1/conversions/{id}', {
    params: { path: { id: params.id } },
  });
  if (!conversion) {
    const status = response.status === 400 ? 404 : response.status;
    throw data(
      {
        message:
          status === 404 ? 'There is no such conversion, or it is not yours to see.' : apiMessage(error),
      },
      { status },
    );
  }
  const postbacksVisible = auth.viewer.role !== 'advertiser';
  const [offer, affiliates, deliveries] = await Promise.all([
    auth.api.GET('/api/v1/offers/{id}', { params: { path: { id: String(conversion.offerId) } } }),
    companyNames(auth, 'affiliates'),
    postbacksVisible
      ? auth.api.GET('/api/v1/postback-deliveries', {
          params: { query: { conversionId: conversion.id, limit: 20 } },
        })
      : null,
  ]);
  return {
    role: auth.viewer.role,
    conversion,
    offer: offer.data ? { id: offer.data.id, name: offer.data.name, currency: offer.data.currency } : null,
    affiliateName: affiliates[conversion.affiliateId] ?? null,
    deliveries: deliveries?.data?.data ?? null,
  };
}

export default function ConversionDetail({ loaderData }: Route.ComponentProps) {
  const { role, conversion: c, offer, affiliateName, deliveries } = loaderData;
  const [request, setRequest] = useState<ChangeRequest | null>(null);
  const close = useCallback(() => setRequest(null), []);
  const reviewer = role === 'admin' || role === 'advertiser';
  const held = c.status === 'pending' && c.fraudFlags.some((flag) => flagText(flag).held);
  const reason = reasonText(c.reason);
  const actions: ChangeAction[] =
    c.status === 'approved'
      ? ['reverse', 'pend', 'adjust']
      : c.status === 'pending'
        ? ['approve', 'reject', 'adjust']
        : ['approve', 'pend', 'adjust'];
  const secondsToConvert = Math.round((Date.parse(c.occurredAt) - Date.parse(c.clickedAt)) / 1000);

  return (
    <>
      <Link
        to="/conversions"
        className="mb-3 inline-flex items-center gap-1 text-sm text-muted-foreground hover:text-foreground"
      >
        <ArrowLeftIcon className="size-4" aria-hidden /> Conversions
      </Link>
      <PageHeader
        title={
          <span className="flex flex-wrap items-center gap-2">
            {c.txid ? <span className="font-mono">{c.txid}</span> : 'Conversion'}
            <Badge variant={STATUS_VARIANT[c.status]} className="text-sm">
              {c.status}
            </Badge>
          </span>
        }
        description={`${c.event} on ${offer?.name ?? `offer #${c.offerId}`}, ${formatDateTime(c.occurredAt)} UTC`}
        actions={
          reviewer
            ? actions.map((action, index) => (
                <Button
                  key={action}
                  variant={index === 0 ? (action === 'reverse' ? 'destructive' : 'default') : 'outline'}
                  onClick={() => setRequest({ action, mode: 'ids' })}
                >
                  {CHANGE_ACTIONS[action].label}
                </Button>
              ))
            : null
        }
      />

      {held || reason ? (
        <Alert variant={held ? 'warning' : 'default'} className="mb-5">
          {held ? (
            <p>
              <span className="font-medium">Held for review.</span>{' '}
              {c.fraudFlags
                .map(flagText)
                .filter((f) => f.held)
                .map((f) => f.detail)
                .join(' ')}{' '}
              {reviewer
                ? 'Approve it if it is genuine, or reject it.'
                : 'The advertiser or the network decides.'}
            </p>
          ) : (
            <p>
              <span className="font-medium">Recorded rejected: {reason}.</span>{' '}
              {REASON_DETAIL[c.reason ?? ''] ?? ''}
            </p>
          )}
        </Alert>
      ) : null}

      <div className="grid gap-5 lg:grid-cols-2">
        <Card>
          <CardHeader>
            <CardTitle>Amounts</CardTitle>
          </CardHeader>
          <CardContent>
            <Facts>
              <Fact label="Sale amount">
                <SaleAmount conversion={c} align="start" />
              </Fact>
              {c.exchangeRate ? <Fact label="Exchange rate">{c.exchangeRate}</Fact> : null}
              {c.payoutMinor !== undefined ? (
                <Fact label={role === 'affiliate' ? 'Your payout' : 'Affiliate payout'}>
                  {formatMoney(c.payoutMinor, c.payoutCurrency)}
                </Fact>
              ) : null}
              {c.revenueMinor !== undefined ? (
                <Fact label={role === 'advertiser' ? 'Your cost (revenue)' : 'Revenue'}>
                  {formatMoney(c.revenueMinor, c.payoutCurrency)}
                </Fact>
              ) : null}
              <Fact label="Event">{c.event}</Fact>
              <Fact label="Reported by">{c.source}</Fact>
              <Fact label="Fraud flags">
                {c.fraudFlags.length > 0 ? <FraudFlags flags={c.fraudFlags} /> : 'None'}
              </Fact>
            </Facts>
          </CardContent>
        </Card>

        <Card>
          <CardHeader>
            <CardTitle>Attribution</CardTitle>
          </CardHeader>
          <CardContent>
            <Facts>
              <Fact label="Offer">
                {offer ? (
                  <Link to={`/offers/${offer.id}`} className="hover:underline">
                    #{offer.id} · {offer.name}
                  </Link>
                ) : (
                  `#${c.offerId}`
                )}
              </Fact>
              {role === 'affiliate' ? null : (
                <Fact label="Affiliate">
                  {role === 'admin' ? (
                    <Link to={`/affiliates/${c.affiliateId}`} className="hover:underline">
                      #{c.affiliateId}
                      {affiliateName ? ` · ${affiliateName}` : ''}
                    </Link>
                  ) : (
                    `#${c.affiliateId}`
                  )}
                </Fact>
              )}
              {c.campaignId !== null ? <Fact label="Campaign">#{c.campaignId}</Fact> : null}
              <Fact label="Click id">
                <span className="flex min-w-0 items-center gap-1">
                  <span className="truncate font-mono text-xs" title={c.clickId}>
                    {c.clickId}
                  </span>
                  <CopyButton value={c.clickId} label="Copy click id" variant="ghost" className="size-7" />
                </span>
              </Fact>
              <Fact label="Clicked">{formatDateTime(c.clickedAt)} UTC</Fact>
              <Fact label="Converted">
                {formatDateTime(c.occurredAt)} UTC
                {secondsToConvert >= 0 ? (
                  <span className="text-muted-foreground">
                    {' '}
                    · {durationText(secondsToConvert)} after the click
                  </span>
                ) : null}
              </Fact>
              <Fact label="Received">{formatDateTime(c.receivedAt)} UTC</Fact>
              <Fact label="Country · device">
                {c.country ?? '–'} · {c.device ?? '–'}
              </Fact>
            </Facts>
          </CardContent>
        </Card>

        <Card>
          <CardHeader>
            <CardTitle>Sub ids</CardTitle>
          </CardHeader>
          <CardContent>
            <Facts>
              {SUB_KEYS.map((key) => (
                <Fact key={key} label={key}>
                  {c[key] ? <span className="font-mono text-xs break-all">{c[key]}</span> : '–'}
                </Fact>
              ))}
            </Facts>
          </CardContent>
        </Card>

        {deliveries ? (
          <Card>
            <CardHeader className="flex-row items-center justify-between space-y-0">
              <CardTitle>Postbacks to the affiliate</CardTitle>
              <Button asChild variant="ghost" size="sm">
                <Link to={`/postbacks/deliveries?conversionId=${c.id}`}>
                  <SendIcon aria-hidden /> Delivery log
                </Link>
              </Button>
            </CardHeader>
            <CardContent>
              {deliveries.length === 0 ? (
                <p className="text-sm text-muted-foreground">No postback was due for this conversion.</p>
              ) : (
                <ul className="grid gap-2 text-sm">
                  {deliveries.map((delivery) => (
                    <li key={delivery.id} className="flex flex-wrap items-center justify-between gap-2">
                      <span>
                        On {delivery.trigger} · config #{delivery.postbackConfigId} · {delivery.attempts}{' '}
                        {delivery.attempts === 1 ? 'attempt' : 'attempts'}
                      </span>
                      <StatusBadge status={delivery.state} />
                    </li>
                  ))}
                </ul>
              )}
            </CardContent>
          </Card>
        ) : null}
      </div>

      {reviewer ? (
        <ChangeDialog
          role={role}
          request={request}
          onClose={close}
          conversionIds={[c.id]}
          currency={c.payoutCurrency}
          offers={offer ? [offer] : []}
          current={{ payoutMinor: c.payoutMinor, revenueMinor: c.revenueMinor }}
        />
      ) : null}
    </>
  );
}

const REASON_DETAIL: Record<string, string> = {
  cap_reached: "The offer's conversion cap was already reached.",
  click_not_payable: 'Its click was not payable (e.g. sent to the fallback page).',
  affiliate_inactive: 'The affiliate was not active at the time.',
  affiliate_not_approved: 'The affiliate was not approved for this offer.',
};

function durationText(seconds: number): string {
  if (seconds < 60) return `${seconds} s`;
  if (seconds < 3600) return `${Math.round(seconds / 60)} min`;
  if (seconds < 86_400) return `${(seconds / 3600).toFixed(1).replace(/\.0$/, '')} h`;
  return `${(seconds / 86_400).toFixed(1).replace(/\.0$/, '')} days`;
}

function Facts({ children }: { children: ReactNode }) {
  return <dl className="grid gap-x-4 gap-y-2.5 text-sm sm:grid-cols-[10rem_minmax(0,1fr)]">{children}</dl>;
}

function Fact({ label, children }: { label: string; children: ReactNode }) {
  return (
    <>
      <dt className="text-muted-foreground">{label}</dt>
      <dd className="min-w-0">{children}</dd>
    </>
  );
}
