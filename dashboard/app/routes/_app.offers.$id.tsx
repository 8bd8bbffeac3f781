import { parseWithZod } from '@conform-to/zod/v4';
import {
  BarChart3Icon,
  ClipboardCheckIcon,
  ExternalLinkIcon,
  FlaskConicalIcon,
  LinkIcon,
  Loader2Icon,
  PauseIcon,
  PencilIcon,
  PlayIcon,
  ReceiptIcon,
} from 'lucide-react';
import { type ReactNode, Suspense } from 'react';
import { Await, data, Link, useFetcher } from 'react-router';
import { AccessAction } from '~/components/offers/access';
import { ApplicationsTable, useResultToast } from '~/components/offers/applications-table';
import { CapMeters, usedFor } from '~/components/offers/cap-usage';
import { CopyButton } from '~/components/offers/copy-button';
import {
  ConversionCard,
  Fact,
  Facts,
  FraudCard,
  PrivacyCard,
  TargetingFacts,
  TrackingCard,
} from '~/components/offers/offer-facts';
import {
  CAP_KEYS,
  formatHours,
  formatPayout,
  formatRevenue,
  hasAnyCap,
  PAYOUT_TYPE_LABEL,
  payoutUnit,
  STATUS_LABEL,
  VISIBILITY_HINT,
  VISIBILITY_LABEL,
} from '~/components/offers/offer-text';
import {
  type ActionResult,
  type AffiliateOffer,
  type Application,
  applyToOffer,
  type CapUsage,
  companyNames,
  decideApplication,
  getCapUsage,
  getOffer,
  isAffiliateOffer,
  type Offer,
} from '~/components/offers/offers.server';
import { payoutOverrideSchema } from '~/components/offers/payout-override-schema';
import { type PayoutActionData, PayoutOverrides } from '~/components/offers/payout-overrides';
import { EmptyState, PageHeader, StatCard } from '~/components/page';
import { StatusBadge } from '~/components/status-badge';
import { Badge } from '~/components/ui/badge';
import { Button } from '~/components/ui/button';
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '~/components/ui/card';
import { Input } from '~/components/ui/input';
import { Label } from '~/components/ui/label';
import { Skeleton } from '~/components/ui/misc';
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from '~/components/ui/table';
import { apiMessage } from '~/lib/api-errors';
import { authOf, requireRole } from '~/lib/auth.server';
import { formatBps, formatCount, formatMoney } from '~/lib/format';
import type { Route } from './+types/_app.offers.$id';

export function meta({ loaderData }: Route.MetaArgs) {
  return [{ title: `${loaderData?.offer.name ?? 'Offer'} · TAS` }];
}

export async function loader({ params, context }: Route.LoaderArgs) {
  const auth = authOf(context);
  const offer = await getOffer(auth.api, params.id);
  // Streamed: cap usage is read live from the edge's counters.
  const caps = getCapUsage(auth.api, offer.id);
  if (isAffiliateOffer(offer)) return { kind: 'affiliate' as const, offer, caps };

  const id = String(offer.id);
  const [payouts, applications, affiliates, advertisers] = await Promise.all([
    auth.api.GET('/api/v1/offers/{id}/payouts', { params: { path: { id }, query: { history: 'true' } } }),
    auth.api.GET('/api/v1/applications', { params: { query: { offerId: id } } }),
    companyNames(auth, 'affiliates'),
    companyNames(auth, 'advertisers'),
  ]);
  return {
    kind: 'manage' as const,
    role: auth.viewer.role,
    offer,
    caps,
    payoutHistory: payouts.data?.data ?? [],
    applications: applications.data?.data ?? [],
    affiliates,
    advertiserName: advertisers[offer.advertiserId] ?? null,
  };
}

export async function action({ request, params, context }: Route.ActionArgs) {
  const auth = authOf(context);
  const form = await request.formData();
  const intent = form.get('intent');
  if (intent === 'apply') {
    requireRole(auth, 'affiliate');
    const result = await applyToOffer(auth.api, params.id);
    return data(result, { status: result.ok ? 200 : 400 });
  }
  requireRole(auth, 'advertiser', 'admin');
  if (intent === 'decide') {
    form.set('offerId', params.id);
    const result = await decideApplication(auth.api, form);
    return data(result, { status: result.ok ? 200 : 400 });
  }
  if (intent === 'status') {
    const status = form.get('status');
    if (status !== 'active' && status !== 'paused')
      return data({ ok: false, message: 'Unknown status.' }, { status: 400 });
    const { data: offer, error } = await auth.api.PATCH('/api/v1/offers/{id}', {
      params: { path: { id: params.id } },
      body: { status },
    });
    return offer
      ? {
          ok: true,
          message:
            status === 'active'
              ? 'The offer is live.'
              : 'The offer is paused: new clicks go to the fallback.',
        }
      : data({ ok: false, message: apiMessage(error, 'The status could not be changed.') }, { status: 400 });
  }
  if (intent === 'setPayout' || intent === 'endPayout') {
    const offer = await getOffer(auth.api, params.id);
    if (isAffiliateOffer(offer)) throw data({ message: 'Not allowed.' }, { status: 403 });
    if (intent === 'endPayout') {
      const affiliateId = String(form.get('affiliateId') ?? '');
      if (!/^[1-9]\d{0,9}$/.test(affiliateId))
        return data<PayoutActionData>({ ok: false, message: 'Unknown affiliate.' }, { status: 400 });
      const { error, response } = await auth.api.DELETE('/api/v1/offers/{id}/payouts/{affiliateId}', {
        params: { path: { id: params.id, affiliateId } },
      });
      return response.ok
        ? data<PayoutActionData>({ ok: true, message: 'Override ended: new clicks earn the default payout.' })
        : data<PayoutActionData>({ ok: false, message: apiMessage(error) }, { status: response.status });
    }
    const submission = parseWithZod(form, { schema: payoutOverrideSchema(offer) });
    if (submission.status !== 'success')
      return data<PayoutActionData>(
        { ok: false, message: 'Check the payout.', result: submission.reply() },
        { status: 400 },
      );
    const { affiliateId, body } = submission.value;
    const { error, response } = await auth.api.PUT('/api/v1/offers/{id}/payouts/{affiliateId}', {
      params: { path: { id: params.id, affiliateId: String(affiliateId) } },
      body,
    });
    if (!response.ok) {
      const message = apiMessage(error, 'The payout could not be saved.');
      return data<PayoutActionData>(
        { ok: false, message, result: submission.reply({ formErrors: [message] }) },
        { status: response.status },
      );
    }
    return data<PayoutActionData>({
      ok: true,
      message: `Payout of affiliate #${affiliateId} set.`,
      result: submission.reply({ resetForm: true }),
    });
  }
  return data({ ok: false, message: 'Unknown action.' }, { status: 400 });
}

export default function OfferPage({ loaderData }: Route.ComponentProps) {
  if (loaderData.kind === 'affiliate')
    return <AffiliateView offer={loaderData.offer} caps={loaderData.caps} />;
  return (
    <ManageView
      offer={loaderData.offer}
      caps={loaderData.caps}
      isAdmin={loaderData.role === 'admin'}
      payoutHistory={loaderData.payoutHistory}
      applications={loaderData.applications}
      affiliates={loaderData.affiliates}
      advertiserName={loaderData.advertiserName}
    />
  );
}

function CapsLoading() {
  return (
    <div className="grid gap-3 sm:grid-cols-2" aria-busy="true">
      <span className="sr-only">Loading cap usage…</span>
      {CAP_KEYS.map((key) => (
        <Skeleton key={key} className="h-8" />
      ))}
    </div>
  );
}

function CapsUnavailable() {
  return (
    <p className="text-sm text-muted-foreground">
      Cap usage is unavailable right now: the edge did not answer.
    </p>
  );
}

/* ------------------------------------------------------------------ affiliate ---- */

function AffiliateView({ offer, caps }: { offer: AffiliateOffer; caps: Promise<CapUsage | null> }) {
  const canRun = offer.trackingLink !== null;
  return (
    <>
      <PageHeader
        title={<span className="block whitespace-normal">{offer.name}</span>}
        description={
          <span className="flex flex-wrap items-center gap-2">
            <span>#{offer.id}</span>
            <span aria-hidden>·</span>
            <span>{PAYOUT_TYPE_LABEL[offer.payoutType]}</span>
            <span aria-hidden>·</span>
            <span>{offer.currency}</span>
            {offer.status !== 'active' ? (
              <StatusBadge status={offer.status} label={STATUS_LABEL[offer.status]} />
            ) : null}
          </span>
        }
        actions={
          <>
            {offer.previewUrl ? (
              <Button asChild variant="outline">
                <a href={offer.previewUrl} target="_blank" rel="noreferrer noopener">
                  <ExternalLinkIcon aria-hidden />
                  Preview
                </a>
              </Button>
            ) : null}
            <AccessAction offerId={offer.id} offerName={offer.name} access={offer.access} size="default" />
          </>
        }
      />
      {offer.description ? (
        <p className="-mt-3 mb-6 max-w-3xl text-sm text-muted-foreground">{offer.description}</p>
      ) : null}

      <Card className="mb-6">
        <CardHeader>
          <CardTitle>Your tracking link</CardTitle>
          <CardDescription>
            {canRun
              ? 'Send visitors here. Add sub1–sub5 to tell your traffic apart, or build a link with them.'
              : offer.access === 'pending'
                ? 'Your application is being reviewed: the link appears here once you are approved.'
                : offer.access === 'rejected'
                  ? 'The advertiser declined your application for this offer.'
                  : 'This offer needs the advertiser’s approval: apply to get your link.'}
          </CardDescription>
        </CardHeader>
        {offer.trackingLink ? (
          <CardContent className="flex flex-col gap-2 sm:flex-row sm:items-center">
            <code className="min-w-0 flex-1 truncate rounded-md border bg-muted/50 px-3 py-2 font-mono text-sm">
              {offer.trackingLink}
            </code>
            <div className="flex gap-2">
              <CopyButton
                text={offer.trackingLink}
                label="Copy link"
                what="Tracking link copied"
                variant="default"
              />
              <Button asChild variant="outline" size="sm">
                <Link to={`/links?offerId=${offer.id}`}>
                  <LinkIcon aria-hidden />
                  Link builder
                </Link>
              </Button>
            </div>
          </CardContent>
        ) : null}
      </Card>

      <div className="mb-6 grid grid-cols-2 gap-3 sm:gap-4 lg:grid-cols-4">
        <StatCard label="Your payout" value={formatPayout(offer)} hint={payoutUnit(offer.payoutType)} />
        <StatCard
          label="Attribution window"
          value={formatHours(offer.attributionWindowHours)}
          hint="after the click"
        />
        <StatCard label="Events" value={formatCount(offer.events.length)} hint={offer.events.join(', ')} />
        <StatCard
          label="Deep links"
          value={offer.deepLinksAllowed ? 'Allowed' : 'No'}
          hint={offer.deepLinksAllowed ? 'url= on your link' : 'destination fixed'}
        />
      </div>

      <div className="grid gap-6 lg:grid-cols-2">
        <Card>
          <CardHeader>
            <CardTitle>Caps</CardTitle>
            <CardDescription>
              Used today and this month (UTC). Clicks over a cap go to the fallback.
            </CardDescription>
          </CardHeader>
          <CardContent>
            <Suspense fallback={<CapsLoading />}>
              <Await resolve={caps} errorElement={<CapsUnavailable />}>
                {(usage) => (usage ? <AffiliateCaps usage={usage} /> : <CapsUnavailable />)}
              </Await>
            </Suspense>
          </CardContent>
        </Card>
        <Card>
          <CardHeader>
            <CardTitle>Allowed traffic</CardTitle>
            <CardDescription>
              Visitors outside these go to the fallback page and earn nothing.
            </CardDescription>
          </CardHeader>
          <CardContent>
            <Facts>
              <TargetingFacts targeting={offer.targeting} />
              <Fact label="Events">
                <span className="flex flex-wrap gap-1">
                  {offer.events.map((event) => (
                    <Badge key={event} variant="secondary">
                      {event}
                    </Badge>
                  ))}
                </span>
              </Fact>
              <Fact label="Deep links">
                {offer.deepLinksAllowed ? (
                  offer.deepLinkHosts.length > 0 ? (
                    <span className="flex flex-wrap gap-1">
                      {offer.deepLinkHosts.map((host) => (
                        <Badge key={host} variant="secondary" className="font-mono font-normal">
                          {host}
                        </Badge>
                      ))}
                    </span>
                  ) : (
                    'Allowed to the destination’s host'
                  )
                ) : (
                  <span className="text-muted-foreground">Not allowed</span>
                )}
              </Fact>
              <Fact label="Visibility">{VISIBILITY_LABEL[offer.visibility]}</Fact>
            </Facts>
          </CardContent>
        </Card>
      </div>
    </>
  );
}

function AffiliateCaps({ usage }: { usage: CapUsage }) {
  const own = usage.affiliates[0];
  const offerCapped = hasAnyCap(usage.offer.limits);
  const ownCapped = own ? hasAnyCap(own.limits) : false;
  if (!offerCapped && !ownCapped)
    return <p className="text-sm text-muted-foreground">This offer has no caps.</p>;
  return (
    <div className="grid gap-5">
      {ownCapped && own ? (
        <section className="grid gap-2" aria-label="Your caps">
          <h4 className="text-xs font-medium uppercase tracking-wide text-muted-foreground">Yours</h4>
          <CapMeters limits={own.limits} used={own.used} />
        </section>
      ) : null}
      {offerCapped ? (
        <section className="grid gap-2" aria-label="Offer-wide caps">
          <h4 className="text-xs font-medium uppercase tracking-wide text-muted-foreground">Whole offer</h4>
          <CapMeters limits={usage.offer.limits} used={usage.offer.used} />
        </section>
      ) : null}
    </div>
  );
}

/* ------------------------------------------------------------------ advertiser & admin ---- */

function margin(offer: Offer): string {
  return offer.payoutType === 'revshare'
    ? formatBps(offer.revenueBps - offer.payoutBps)
    : formatMoney(offer.revenueMinor - offer.payoutMinor, offer.currency);
}

function StatusToggle({ offer }: { offer: Offer }) {
  const fetcher = useFetcher<ActionResult>();
  useResultToast(fetcher.data);
  if (offer.status !== 'active' && offer.status !== 'paused') return null;
  const next = offer.status === 'active' ? 'paused' : 'active';
  const busy = fetcher.state !== 'idle';
  return (
    <fetcher.Form method="post">
      <input type="hidden" name="intent" value="status" />
      <input type="hidden" name="status" value={next} />
      <Button type="submit" variant="outline" disabled={busy}>
        {busy ? (
          <Loader2Icon className="animate-spin" aria-hidden />
        ) : next === 'paused' ? (
          <PauseIcon aria-hidden />
        ) : (
          <PlayIcon aria-hidden />
        )}
        {next === 'paused' ? 'Pause' : 'Activate'}
      </Button>
    </fetcher.Form>
  );
}

function ManageView({
  offer,
  caps,
  isAdmin,
  payoutHistory,
  applications,
  affiliates,
  advertiserName,
}: {
  offer: Offer;
  caps: Promise<CapUsage | null>;
  isAdmin: boolean;
  payoutHistory: Parameters<typeof PayoutOverrides>[0]['history'];
  applications: Application[];
  affiliates: Record<number, string>;
  advertiserName: string | null;
}) {
  const affiliateName = (id: number) => affiliates[id] ?? `Affiliate #${id}`;
  const pending = applications.filter((application) => application.status === 'pending').length;
  return (
    <>
      <PageHeader
        title={<span className="block whitespace-normal">{offer.name}</span>}
        description={
          <span className="flex flex-wrap items-center gap-2">
            <StatusBadge status={offer.status} label={STATUS_LABEL[offer.status]} />
            <span>#{offer.id}</span>
            {isAdmin ? (
              <>
                <span aria-hidden>·</span>
                <span>{advertiserName ?? `Advertiser #${offer.advertiserId}`}</span>
              </>
            ) : null}
            <span aria-hidden>·</span>
            <span>{VISIBILITY_LABEL[offer.visibility]}</span>
            <span aria-hidden>·</span>
            <span>{offer.currency}</span>
          </span>
        }
        actions={
          <>
            <Button asChild variant="ghost">
              <Link to={`/reports?offerId=${offer.id}`}>
                <BarChart3Icon aria-hidden />
                Reports
              </Link>
            </Button>
            <Button asChild variant="ghost">
              <Link to={`/conversions?offerId=${offer.id}`}>
                <ReceiptIcon aria-hidden />
                Conversions
              </Link>
            </Button>
            <Button asChild variant="ghost">
              <Link to={`/offers/${offer.id}/ab-report`}>
                <FlaskConicalIcon aria-hidden />
                A/B report
              </Link>
            </Button>
            <StatusToggle offer={offer} />
            <Button asChild>
              <Link to={`/offers/${offer.id}/edit`}>
                <PencilIcon aria-hidden />
                Edit
              </Link>
            </Button>
          </>
        }
      />
      {offer.description ? (
        <p className="-mt-3 mb-6 max-w-3xl text-sm text-muted-foreground">{offer.description}</p>
      ) : null}

      <div className="mb-6 grid grid-cols-2 gap-3 sm:gap-4 lg:grid-cols-4">
        <StatCard
          label="Payout"
          value={formatPayout(offer)}
          hint={`${PAYOUT_TYPE_LABEL[offer.payoutType]} · ${payoutUnit(offer.payoutType)}`}
        />
        <StatCard label="Revenue" value={formatRevenue(offer)} hint="what the advertiser pays" />
        <StatCard label="Margin" value={margin(offer)} hint={payoutUnit(offer.payoutType)} />
        {offer.visibility === 'public' ? (
          <StatCard
            label="Attribution window"
            value={formatHours(offer.attributionWindowHours)}
            hint="conversions credited after a click"
          />
        ) : (
          <StatCard
            label="Applications"
            value={formatCount(pending)}
            hint={`pending review, of ${formatCount(applications.length)}`}
          />
        )}
      </div>

      <div className="grid gap-6 xl:grid-cols-5">
        <div className="grid min-w-0 content-start gap-6 xl:col-span-3 [&>*]:min-w-0">
          <Card>
            <CardHeader className="flex-row items-start justify-between gap-3">
              <div className="grid gap-1.5">
                <CardTitle>Caps</CardTitle>
                <CardDescription>Used today and this month (UTC), live from the edge.</CardDescription>
              </div>
              <Button asChild variant="outline" size="sm">
                <Link to={`/offers/${offer.id}/edit#caps`}>Edit caps</Link>
              </Button>
            </CardHeader>
            <CardContent>
              <Suspense fallback={<CapsLoading />}>
                <Await resolve={caps} errorElement={<CapsUnavailable />}>
                  {(usage) =>
                    usage ? <ManageCaps usage={usage} affiliateName={affiliateName} /> : <CapsUnavailable />
                  }
                </Await>
              </Suspense>
            </CardContent>
          </Card>

          <PayoutOverrides
            offer={offer}
            history={payoutHistory}
            affiliateName={affiliateName}
            affiliates={Object.entries(affiliates).map(([id, name]) => ({ id: Number(id), name }))}
          />

          <Card>
            <CardHeader>
              <CardTitle>Affiliates on this offer</CardTitle>
              <CardDescription>{VISIBILITY_HINT[offer.visibility]}.</CardDescription>
            </CardHeader>
            <CardContent className="grid gap-4">
              {offer.visibility === 'public' && applications.length === 0 ? (
                <p className="text-sm text-muted-foreground">
                  Public offers need no applications: every active affiliate already has a link.
                </p>
              ) : applications.length === 0 ? (
                <EmptyState
                  icon={ClipboardCheckIcon}
                  title="No applications yet"
                  description={
                    offer.visibility === 'private'
                      ? 'Private offers are hidden from the marketplace: grant affiliates access below.'
                      : 'Affiliates who apply from the marketplace show up here for review.'
                  }
                />
              ) : (
                <ApplicationsTable
                  applications={applications}
                  affiliateName={affiliateName}
                  caption="Applications to this offer"
                  compact
                />
              )}
              {offer.visibility !== 'public' ? <GrantAccess affiliates={affiliates} /> : null}
            </CardContent>
          </Card>
        </div>

        <div className="grid min-w-0 content-start gap-6 xl:col-span-2 [&>*]:min-w-0">
          <TrackingCard offer={offer} />
          <ConversionCard offer={offer} />
          <Card>
            <CardHeader>
              <CardTitle>Targeting</CardTitle>
            </CardHeader>
            <CardContent>
              <Facts>
                <TargetingFacts targeting={offer.targeting} />
              </Facts>
            </CardContent>
          </Card>
          <FraudCard offer={offer} />
          <PrivacyCard offer={offer} />
        </div>
      </div>
    </>
  );
}

function ManageCaps({ usage, affiliateName }: { usage: CapUsage; affiliateName: (id: number) => string }) {
  const capped = usage.affiliates.filter((row) => hasAnyCap(row.limits));
  return (
    <div className="grid gap-5">
      <section className="grid gap-2" aria-label="Offer-wide caps">
        <h4 className="text-xs font-medium uppercase tracking-wide text-muted-foreground">
          Whole offer{hasAnyCap(usage.offer.limits) ? '' : ' · no caps set'}
        </h4>
        <CapMeters limits={usage.offer.limits} used={usage.offer.used} />
      </section>
      {capped.length > 0 ? (
        <section className="grid gap-2" aria-label="Per-affiliate caps">
          <h4 className="text-xs font-medium uppercase tracking-wide text-muted-foreground">Per affiliate</h4>
          <div className="rounded-lg border">
            <Table>
              <caption className="sr-only">Cap usage per affiliate</caption>
              <TableHeader>
                <TableRow className="hover:bg-transparent">
                  <TableHead>Affiliate</TableHead>
                  {CAP_KEYS.map((key) => (
                    <TableHead key={key} className="text-right">
                      {key.startsWith('daily') ? 'Today' : 'Month'}{' '}
                      {key.endsWith('Clicks') ? 'clicks' : 'conv.'}
                    </TableHead>
                  ))}
                </TableRow>
              </TableHeader>
              <TableBody>
                {capped.map((row) => (
                  <TableRow key={row.affiliateId}>
                    <TableCell className="font-medium">{affiliateName(row.affiliateId)}</TableCell>
                    {CAP_KEYS.map((key) => (
                      <TableCell key={key} className="text-right tabular-nums">
                        <CapCell used={usedFor(row.used, key)} limit={row.limits[key]} />
                      </TableCell>
                    ))}
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          </div>
        </section>
      ) : null}
    </div>
  );
}

function CapCell({ used, limit }: { used: number; limit: number | null }): ReactNode {
  if (limit === null) return <span className="text-muted-foreground">{formatCount(used)}</span>;
  const reached = used >= limit;
  return (
    <span className={reached ? 'font-medium text-destructive' : undefined}>
      {formatCount(used)}
      <span className="text-muted-foreground"> / {formatCount(limit)}</span>
    </span>
  );
}

/** Lets the advertiser or an admin approve an affiliate directly (private offers take no applications). */
function GrantAccess({ affiliates }: { affiliates: Record<number, string> }) {
  const fetcher = useFetcher<ActionResult>();
  useResultToast(fetcher.data);
  const busy = fetcher.state !== 'idle';
  const options = Object.entries(affiliates);
  return (
    <fetcher.Form
      method="post"
      className="flex flex-col gap-2 rounded-lg border border-dashed p-3 sm:flex-row sm:items-end"
    >
      <input type="hidden" name="intent" value="decide" />
      <input type="hidden" name="status" value="approved" />
      <div className="grid flex-1 gap-1.5">
        <Label htmlFor="grant-affiliate">Grant access to an affiliate</Label>
        {options.length > 0 ? (
          <select
            id="grant-affiliate"
            name="affiliateId"
            required
            className="h-9 rounded-md border border-input bg-card px-3 text-sm shadow-xs focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-ring"
          >
            <option value="">Choose an affiliate</option>
            {options.map(([id, name]) => (
              <option key={id} value={id}>
                {name} (#{id})
              </option>
            ))}
          </select>
        ) : (
          <Input
            id="grant-affiliate"
            name="affiliateId"
            inputMode="numeric"
            placeholder="Affiliate id, e.g. 42"
            required
          />
        )}
      </div>
      <Button type="submit" variant="secondary" disabled={busy}>
        {busy ? <Loader2Icon className="animate-spin" aria-hidden /> : null}
        Approve
      </Button>
    </fetcher.Form>
  );
}
