import { parseWithZod } from '@conform-to/zod/v4';
import { formatDecimalAmount } from '@tas/shared/minor-units';
import { AlertTriangleIcon, ArrowLeftIcon, ImageIcon, PauseIcon, PlayIcon, PlusIcon } from 'lucide-react';
import { data, Form, Link, redirect, useSearchParams } from 'react-router';
import { CampaignForm } from '~/components/campaigns/campaign-form';
import {
  CAMPAIGN_STATUS_LABEL,
  type Campaign,
  type CampaignSpend,
  SERVING_HINT,
} from '~/components/campaigns/campaign-labels';
import { campaignBody, campaignFormSchema, changedFields } from '~/components/campaigns/campaign-schema';
import {
  advertiserChoices,
  campaignRefusal,
  getCampaign,
  getSpend,
  offerChoices,
} from '~/components/campaigns/campaigns.server';
import { FilterLinks } from '~/components/campaigns/filter-links';
import { budgetStop, formatSchedule, scheduleState, utcToday } from '~/components/campaigns/schedule';
import { BudgetMeter, ServingBadge } from '~/components/campaigns/spend';
import { CreativePreview } from '~/components/creatives/creative-preview';
import { CREATIVE_TYPE_LABEL, creativeTrackingLink } from '~/components/creatives/creative-snippet';
import { SubmitButton } from '~/components/form';
import { EmptyState, PageHeader } from '~/components/page';
import { StatusBadge } from '~/components/status-badge';
import { Button } from '~/components/ui/button';
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '~/components/ui/card';
import { CopyButton } from '~/components/ui/copy-button';
import { Alert } from '~/components/ui/misc';
import { apiMessage } from '~/lib/api-errors';
import { authOf, requireRole } from '~/lib/auth.server';
import { dashboardEnv } from '~/lib/env.server';
import { formatCount, formatDateTime, formatMoney } from '~/lib/format';
import { flashToast } from '~/lib/session.server';
import type { Route } from './+types/_app.campaigns.$id';

export function meta({ data: loaderData }: Route.MetaArgs) {
  return [{ title: `${loaderData?.campaign.name ?? 'Campaign'} · Campaigns · TAS` }];
}

export async function loader({ context, params }: Route.LoaderArgs) {
  const { api, viewer } = requireRole(authOf(context), 'admin', 'advertiser');
  const campaign = await getCampaign(api, params.id);
  const [spend, offers, advertisers, creatives] = await Promise.all([
    getSpend(api, campaign.id),
    offerChoices(api),
    viewer.role === 'admin' ? advertiserChoices(api) : Promise.resolve(null),
    api.GET('/api/v1/creatives', { params: { query: { campaignId: String(campaign.id), limit: 200 } } }),
  ]);
  return {
    campaign,
    spend,
    offers,
    advertiser: advertisers?.find((a) => a.id === campaign.advertiserId)?.name ?? null,
    creatives: creatives.data?.data ?? [],
    edgeUrl: dashboardEnv().edgeUrl,
    today: utcToday(),
  };
}

export async function action({ context, request, params }: Route.ActionArgs) {
  const { api } = requireRole(authOf(context), 'admin', 'advertiser');
  const campaign = await getCampaign(api, params.id);
  const formData = await request.formData();
  const path = { params: { path: { id: String(campaign.id) } } };

  // One click from the header: pause or activate, nothing else changed.
  const quick = formData.get('intent');
  if (quick === 'pause' || quick === 'activate') {
    const status = quick === 'pause' ? 'paused' : 'active';
    const { data: changed, error } = await api.PATCH('/api/v1/campaigns/{id}', { ...path, body: { status } });
    const message = changed
      ? `“${changed.name}” is ${CAMPAIGN_STATUS_LABEL[changed.status].toLowerCase()}.`
      : apiMessage(error);
    return redirect(`/campaigns/${campaign.id}`, {
      headers: { 'set-cookie': await flashToast(request, { kind: changed ? 'success' : 'error', message }) },
    });
  }

  const submission = parseWithZod(formData, { schema: campaignFormSchema });
  if (submission.status !== 'success') return data(submission.reply(), { status: 400 });
  const body = campaignBody(submission.value);
  const changes = changedFields(campaign, body);
  const offer = (await offerChoices(api)).find((o) => o.id === body.offerId);
  if (Object.keys(changes).length > 0) {
    const {
      data: changed,
      error,
      response,
    } = await api.PATCH('/api/v1/campaigns/{id}', {
      ...path,
      body: changes,
    });
    if (!changed) return data(submission.reply(campaignRefusal(error, offer)), { status: response.status });
  }
  return redirect(`/campaigns/${campaign.id}`, {
    headers: {
      'set-cookie': await flashToast(request, {
        kind: 'success',
        message: Object.keys(changes).length > 0 ? 'Campaign saved.' : 'Nothing to save: no field changed.',
      }),
    },
  });
}

function decimal(minor: number | null, currency: string): string {
  return minor === null ? '' : formatDecimalAmount(minor, currency);
}

export default function CampaignPage({ loaderData, actionData }: Route.ComponentProps) {
  const { campaign, spend, offers, advertiser, creatives, edgeUrl, today } = loaderData;
  const [params] = useSearchParams();
  // A refused save stays on the settings, where its errors are.
  const tab = actionData ? 'settings' : params.get('tab') === 'settings' ? 'settings' : 'overview';
  const offer = offers.find((o) => o.id === campaign.offerId);

  return (
    <>
      <Button asChild variant="ghost" size="sm" className="mb-2 -ml-2 text-muted-foreground">
        <Link to="/campaigns">
          <ArrowLeftIcon aria-hidden />
          Campaigns
        </Link>
      </Button>
      <PageHeader
        title={campaign.name}
        description={
          <span className="flex flex-wrap items-center gap-x-2 gap-y-1">
            {offer ? (
              <Link to={`/offers/${offer.id}`} className="hover:text-foreground hover:underline">
                {offer.name}
              </Link>
            ) : campaign.offerId !== null ? (
              <span>Offer {campaign.offerId}</span>
            ) : (
              <span>No offer: budgets are reported, not enforced</span>
            )}
            {advertiser ? <span aria-hidden>·</span> : null}
            {advertiser ? <span>{advertiser}</span> : null}
            <span aria-hidden>·</span>
            <span>{formatSchedule(campaign)}</span>
          </span>
        }
        actions={
          <>
            <StatusBadge status={campaign.status} />
            <ServingBadge serving={campaign.serving} />
            <Form method="post">
              {campaign.status === 'active' ? (
                <SubmitButton intent="pause" variant="outline" size="sm">
                  <PauseIcon aria-hidden />
                  Pause
                </SubmitButton>
              ) : campaign.status !== 'completed' ? (
                <SubmitButton intent="activate" variant="outline" size="sm">
                  <PlayIcon aria-hidden />
                  Activate
                </SubmitButton>
              ) : null}
            </Form>
          </>
        }
      />

      <StopNotice campaign={campaign} today={today} />

      <div className="mb-4">
        <FilterLinks
          param="tab"
          label="Campaign sections"
          options={[
            { value: null, label: 'Overview' },
            { value: 'settings', label: 'Settings' },
          ]}
        />
      </div>

      {tab === 'overview' ? (
        <div className="grid gap-6">
          <SpendCards campaign={campaign} spend={spend} today={today} />
          <Card>
            <CardHeader className="flex-row items-start justify-between gap-3">
              <div className="grid gap-1.5">
                <CardTitle>Creatives</CardTitle>
                <CardDescription>
                  Clicks on these creatives count against this campaign’s budget. Affiliates get their links
                  in the link builder.
                </CardDescription>
              </div>
              <Button asChild size="sm" variant="outline">
                <Link to={`/creatives/new?campaign=${campaign.id}`}>
                  <PlusIcon aria-hidden />
                  Add creative
                </Link>
              </Button>
            </CardHeader>
            <CardContent>
              {creatives.length === 0 ? (
                <EmptyState
                  icon={ImageIcon}
                  title="No creatives yet"
                  description="Without creatives, no click is known to belong to this campaign, so its budget and dates hold nothing back."
                />
              ) : (
                <ul className="divide-y rounded-lg border">
                  {creatives.map((creative) => (
                    <li key={creative.id} className="flex items-center gap-3 p-3">
                      <CreativePreview creative={creative} />
                      <div className="grid min-w-0 flex-1 gap-0.5">
                        <Link
                          to={`/creatives/${creative.id}`}
                          className="truncate text-sm font-medium hover:underline"
                        >
                          {creative.name}
                        </Link>
                        <span className="text-xs text-muted-foreground">
                          {CREATIVE_TYPE_LABEL[creative.type]}
                          {creative.size ? ` · ${creative.size}` : ''} · creative_id{' '}
                          <span className="font-mono">{creative.id}</span>
                        </span>
                      </div>
                      {campaign.offerId !== null ? (
                        <CopyButton
                          value={creativeTrackingLink(edgeUrl, campaign.offerId, creative.id)}
                          label={`Copy the tracking link of ${creative.name}`}
                        />
                      ) : null}
                    </li>
                  ))}
                </ul>
              )}
            </CardContent>
          </Card>
        </div>
      ) : (
        <Card className="max-w-3xl">
          <CardContent className="pt-5">
            <CampaignForm
              mode="edit"
              lastResult={actionData}
              offers={offers}
              advertisers={null}
              submitLabel="Save changes"
              defaultValue={{
                name: campaign.name,
                description: campaign.description ?? '',
                offerId: campaign.offerId === null ? '' : String(campaign.offerId),
                status: campaign.status,
                startDate: campaign.startDate ?? '',
                endDate: campaign.endDate ?? '',
                budget: decimal(campaign.budgetMinor, campaign.currency),
                dailyBudget: decimal(campaign.dailyBudgetMinor, campaign.currency),
                currency: campaign.currency,
              }}
            />
          </CardContent>
        </Card>
      )}
    </>
  );
}

/** Why the campaign's clicks go to the fallback now, and since when, above everything else. */
function StopNotice({ campaign, today }: { campaign: Campaign; today: string }) {
  if (campaign.serving === 'serving') return null;
  const stop = budgetStop(campaign, today);
  const schedule = scheduleState(campaign, today);
  const detail =
    campaign.serving === 'budget_reached' && stop
      ? stop
      : campaign.serving === 'campaign_inactive'
        ? campaign.status !== 'active'
          ? `The campaign is ${CAMPAIGN_STATUS_LABEL[campaign.status].toLowerCase()}: clicks on its creatives go to the offer’s fallback. Activate it to serve.`
          : schedule === 'not_started'
            ? `It starts on ${campaign.startDate} (UTC); until then clicks on its creatives go to the offer’s fallback.`
            : schedule === 'ended'
              ? `It ended on ${campaign.endDate} (UTC): clicks on its creatives go to the offer’s fallback.`
              : SERVING_HINT.campaign_inactive
        : SERVING_HINT[campaign.serving];
  const tone = campaign.serving === 'campaign_inactive' ? 'default' : 'warning';
  return (
    <Alert variant={campaign.serving === 'currency_mismatch' ? 'destructive' : tone} className="mb-4">
      <AlertTriangleIcon
        aria-hidden
        className={campaign.serving === 'currency_mismatch' ? '' : 'text-warning'}
      />
      <p className="font-medium">
        {campaign.serving === 'budget_reached'
          ? 'Not serving: budget spent'
          : campaign.serving === 'currency_mismatch'
            ? 'Held: the budget is in another currency than the offer’s'
            : 'Not serving'}
      </p>
      <p className="text-muted-foreground">{detail}</p>
    </Alert>
  );
}

function SpendCards({
  campaign,
  spend,
  today,
}: {
  campaign: Campaign;
  spend: CampaignSpend | null;
  today: string;
}) {
  if (!spend) {
    return (
      <Alert variant="warning">
        <AlertTriangleIcon aria-hidden className="text-warning" />
        <p>The campaign’s spend could not be read right now. Reload the page in a moment.</p>
      </Alert>
    );
  }
  const dailySpentToday = campaign.dailyBudgetSpentOn === today;
  return (
    <div className="grid gap-4 md:grid-cols-2 xl:grid-cols-4">
      <Card>
        <CardContent className="grid gap-3 p-5">
          <p className="text-xs font-medium uppercase tracking-wide text-muted-foreground">Total budget</p>
          <BudgetMeter
            label="Total budget"
            spentMinor={spend.spentMinor}
            budgetMinor={spend.budgetMinor}
            currency={spend.currency}
          />
          {campaign.budgetSpentAt ? (
            <p className="text-xs font-medium text-destructive dark:text-[color-mix(in_oklch,var(--destructive),white_25%)]">
              Spent on {formatDateTime(campaign.budgetSpentAt)} UTC
            </p>
          ) : null}
        </CardContent>
      </Card>
      <Card>
        <CardContent className="grid gap-3 p-5">
          <p className="text-xs font-medium uppercase tracking-wide text-muted-foreground">Today (UTC)</p>
          <BudgetMeter
            label="Daily budget"
            spentMinor={spend.spentTodayMinor}
            budgetMinor={spend.dailyBudgetMinor}
            currency={spend.currency}
          />
          {dailySpentToday ? (
            <p className="text-xs font-medium text-destructive dark:text-[color-mix(in_oklch,var(--destructive),white_25%)]">
              Reached today · starts again at 00:00 UTC
            </p>
          ) : null}
        </CardContent>
      </Card>
      <Card>
        <CardContent className="grid gap-1 p-5">
          <p className="text-xs font-medium uppercase tracking-wide text-muted-foreground">
            Approved conversions
          </p>
          <p className="mt-2 text-2xl font-semibold tabular-nums">{formatCount(spend.approvedConversions)}</p>
          <p className="text-xs text-muted-foreground">Their revenue is the spend, in {spend.currency}</p>
        </CardContent>
      </Card>
      <Card>
        <CardContent className="grid gap-1 p-5">
          <p className="text-xs font-medium uppercase tracking-wide text-muted-foreground">Schedule (UTC)</p>
          <p className="mt-2 text-base font-medium">{formatSchedule(campaign)}</p>
          <p className="text-xs text-muted-foreground">
            {scheduleState(campaign, today) === 'not_started'
              ? 'Not started yet'
              : scheduleState(campaign, today) === 'ended'
                ? 'Ended'
                : campaign.endDate
                  ? 'Running'
                  : 'Runs until stopped'}
          </p>
        </CardContent>
      </Card>
      {spend.otherCurrencies.length > 0 ? (
        <Alert className="md:col-span-2 xl:col-span-4">
          <p className="font-medium">Spend in other currencies, not counted against the budget</p>
          <p className="text-muted-foreground">
            {spend.otherCurrencies
              .map(
                (o) =>
                  `${formatMoney(o.spentMinor, o.currency)} (${formatCount(o.approvedConversions)} conversions)`,
              )
              .join(' · ')}
          </p>
        </Alert>
      ) : null}
    </div>
  );
}
