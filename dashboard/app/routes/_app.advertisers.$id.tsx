import {
  BarChart3Icon,
  BriefcaseIcon,
  MegaphoneIcon,
  PauseCircleIcon,
  PlayCircleIcon,
  ReceiptIcon,
  ShieldOffIcon,
} from 'lucide-react';
import { useEffect } from 'react';
import { data, Link, redirect } from 'react-router';
import { toast } from 'sonner';
import {
  changeCompanyStatus,
  type FormActionData,
  saveCompanyProfile,
} from '~/components/admin/company.server';
import { CompanyProfileCard } from '~/components/admin/company-forms';
import { hostOf } from '~/components/admin/company-list';
import { BackLink, JumpTile, LoginsCard } from '~/components/admin/company-page';
import { outcome } from '~/components/admin/outcome.server';
import { BillingTermsForm } from '~/components/billing/billing-terms';
import { type BillingTermsAnswer, saveBillingTerms } from '~/components/billing/billing-terms.server';
import { GeneralErrorBoundary } from '~/components/error-boundary';
import { PageHeader } from '~/components/page';
import { StatusBadge } from '~/components/status-badge';
import { Button } from '~/components/ui/button';
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '~/components/ui/card';
import { ConfirmAction } from '~/components/ui/confirm-action';
import { Alert } from '~/components/ui/misc';
import { apiMessage } from '~/lib/api-errors';
import { authOf, requireRole } from '~/lib/auth.server';
import { formatCount, formatDate } from '~/lib/format';
import type { Route } from './+types/_app.advertisers.$id';

export function meta({ loaderData }: Route.MetaArgs) {
  return [{ title: `${loaderData?.advertiser.companyName ?? 'Advertiser'} · Advertisers · TAS` }];
}

const ID = /^[1-9]\d{0,9}$/;

export async function loader({ params, context }: Route.LoaderArgs) {
  const auth = authOf(context);
  if (auth.viewer.role === 'advertiser') throw redirect('/settings/company');
  const { api } = requireRole(auth, 'admin');
  if (!ID.test(params.id)) throw data({ message: 'No such advertiser.' }, { status: 404 });
  const id = params.id;
  const [advertiser, offers, campaigns, users, billing] = await Promise.all([
    api.GET('/api/v1/advertisers/{id}', { params: { path: { id } } }),
    api.GET('/api/v1/offers', { params: { query: { advertiserId: id, limit: 200 } } }),
    api.GET('/api/v1/campaigns', { params: { query: { limit: 200 } } }),
    api.GET('/api/v1/users'),
    api.GET('/api/v1/advertisers/{advertiserId}/billing', { params: { path: { advertiserId: id } } }),
  ]);
  if (!advertiser.data)
    throw data(
      { message: apiMessage(advertiser.error, 'No such advertiser.') },
      { status: advertiser.response.status },
    );
  const offerRows = (offers.data?.data ?? []).filter((o) => 'advertiserId' in o);
  const ownCampaigns = (campaigns.data?.data ?? []).filter((c) => c.advertiserId === advertiser.data.id);
  return {
    advertiser: advertiser.data,
    offers: {
      total: offerRows.length,
      active: offerRows.filter((o) => o.status === 'active').length,
      more: offers.data?.nextAfter !== null,
      latest: offerRows.slice(0, 6),
    },
    campaigns: { total: ownCampaigns.length, serving: ownCampaigns.filter((c) => c.serving).length },
    users: (users.data?.data ?? []).filter((u) => u.advertiserId === advertiser.data.id),
    billing: billing.data ?? null,
  };
}

export async function action({ request, params, context }: Route.ActionArgs) {
  const { api } = requireRole(authOf(context), 'admin');
  if (!ID.test(params.id)) throw data({ message: 'No such advertiser.' }, { status: 404 });
  const formData = await request.formData();
  if (formData.get('intent') === 'billing') return saveBillingTerms(api, params.id, formData, request);
  if (formData.get('intent') === 'status') {
    const changed = await changeCompanyStatus(api, 'advertiser', params.id, String(formData.get('status')));
    return outcome(request, changed.ok, changed.message);
  }
  return saveCompanyProfile(api, 'advertiser', params.id, formData);
}

export default function AdvertiserPage({ loaderData, actionData }: Route.ComponentProps) {
  const { advertiser, offers, campaigns, users, billing } = loaderData;
  const billingAnswer =
    actionData && 'intent' in actionData && actionData.intent === 'billing'
      ? (actionData as BillingTermsAnswer)
      : null;
  const form =
    actionData && 'intent' in actionData && !billingAnswer ? (actionData as FormActionData) : undefined;
  useEffect(() => {
    if (form?.message) toast.success(form.message);
  }, [form]);
  const suspended = advertiser.status === 'suspended';
  const id = advertiser.id;
  return (
    <>
      <BackLink to="/advertisers">Advertisers</BackLink>
      <PageHeader
        title={
          <span className="flex items-center gap-3">
            {advertiser.companyName} <StatusBadge status={advertiser.status} />
          </span>
        }
        description={
          <>
            Advertiser #{id} · joined {formatDate(advertiser.createdAt)}
            {advertiser.websiteUrl ? (
              <>
                {' · '}
                <a
                  href={advertiser.websiteUrl}
                  target="_blank"
                  rel="noreferrer noopener"
                  className="text-primary underline underline-offset-2 hover:decoration-2"
                >
                  {hostOf(advertiser.websiteUrl)}
                </a>
              </>
            ) : null}
          </>
        }
        actions={
          suspended ? (
            <ConfirmAction
              trigger={
                <Button>
                  <PlayCircleIcon /> Reactivate
                </Button>
              }
              title={`Reactivate ${advertiser.companyName}?`}
              description="Its users can sign in and use their API keys again, and its offers run at the edge as they were before the suspension."
              confirmLabel="Reactivate"
              fields={{ intent: 'status', status: 'active' }}
            />
          ) : (
            <ConfirmAction
              trigger={
                <Button variant="outline" className="text-destructive hover:text-destructive">
                  <PauseCircleIcon /> Suspend
                </Button>
              }
              title={`Suspend ${advertiser.companyName}?`}
              description="Use this when an advertiser stops paying or breaks the network's terms."
              confirmLabel="Suspend advertiser"
              destructive
              fields={{ intent: 'status', status: 'suspended' }}
            >
              <ul className="grid gap-2 rounded-lg border bg-muted/40 p-3 text-sm">
                <li>
                  <span className="font-medium">API access ends at once:</span> its {users.length}{' '}
                  {users.length === 1 ? 'login is' : 'logins are'} signed out and its API keys refused.
                </li>
                <li>
                  <span className="font-medium">
                    Its {formatCount(offers.active)} active {offers.active === 1 ? 'offer is' : 'offers are'}{' '}
                    paused at the edge:
                  </span>{' '}
                  new clicks go to the fallback; conversions of earlier clicks are still recorded.
                </li>
                <li>Reactivating restores both as they were. Nothing is deleted.</li>
              </ul>
            </ConfirmAction>
          )
        }
      />
      {suspended ? (
        <Alert variant="warning" className="mb-6 flex items-start gap-3">
          <ShieldOffIcon className="mt-0.5 size-4 shrink-0 text-warning" aria-hidden />
          <span>
            <span className="font-medium">Suspended.</span> Its users cannot sign in or use the API, and its
            offers are paused at the edge until you reactivate it.
          </span>
        </Alert>
      ) : null}
      <div className="mb-6 grid gap-3 sm:grid-cols-2 xl:grid-cols-4">
        <JumpTile
          to={`/offers?advertiserId=${id}`}
          icon={BriefcaseIcon}
          label="Offers"
          value={`${formatCount(offers.total)}${offers.more ? '+' : ''}`}
          hint={`· ${formatCount(offers.active)} active`}
        />
        <JumpTile
          to="/campaigns"
          icon={MegaphoneIcon}
          label="Campaigns"
          value={formatCount(campaigns.total)}
          hint={`· ${formatCount(campaigns.serving)} serving`}
        />
        <JumpTile to="/conversions" icon={ReceiptIcon} label="Conversions" hint="Offer by offer" />
        <JumpTile
          to={`/reports?groupBy=offer&advertiserId=${id}`}
          icon={BarChart3Icon}
          label="Reports"
          hint="Clicks to revenue"
        />
      </div>
      <div className="grid grid-cols-1 gap-6 lg:grid-cols-[minmax(0,3fr)_minmax(0,2fr)]">
        <div className="grid grid-cols-1 min-w-0 content-start gap-6">
          <CompanyProfileCard
            kind="advertiser"
            company={advertiser}
            lastResult={form?.intent === 'profile' ? form.result : undefined}
          />
          {billing ? (
            <BillingTermsForm billing={billing} answer={billingAnswer} />
          ) : (
            <Alert variant="warning">
              The billing terms could not be loaded. Reload the page to try again.
            </Alert>
          )}
        </div>
        <div className="grid grid-cols-1 min-w-0 content-start gap-6">
          <LoginsCard users={users} addTo={`/users?new=advertiser&advertiserId=${id}`} />
          <Card>
            <CardHeader>
              <CardTitle>Latest offers</CardTitle>
              <CardDescription>Each with its own conversions.</CardDescription>
            </CardHeader>
            <CardContent>
              {offers.latest.length === 0 ? (
                <p className="rounded-lg border border-dashed px-4 py-5 text-center text-sm text-muted-foreground">
                  No offers yet.
                </p>
              ) : (
                <ul className="divide-y rounded-lg border">
                  {offers.latest.map((offer) => (
                    <li key={offer.id} className="flex items-center justify-between gap-3 px-3 py-2.5">
                      <Link
                        to={`/offers/${offer.id}`}
                        className="block min-w-0 truncate text-sm font-medium hover:underline"
                      >
                        {offer.name}
                      </Link>
                      <div className="flex shrink-0 items-center gap-2">
                        <Link
                          to={`/conversions?offerId=${offer.id}`}
                          className="text-xs text-muted-foreground hover:text-foreground hover:underline"
                        >
                          Conversions
                        </Link>
                        <StatusBadge status={offer.status} />
                      </div>
                    </li>
                  ))}
                </ul>
              )}
            </CardContent>
          </Card>
        </div>
      </div>
    </>
  );
}

// Inside the signed-in shell: a refused or missing page keeps the sidebar.
export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
