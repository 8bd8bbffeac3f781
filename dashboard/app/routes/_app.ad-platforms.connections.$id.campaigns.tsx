import { ArrowLeftIcon, ListTreeIcon, RefreshCwIcon } from 'lucide-react';
import { data, Link } from 'react-router';
import { PLATFORM_LABEL } from '~/components/ad-platforms/ad-platform-text';
import { offerNames, requireAdPlatforms, UUID } from '~/components/ad-platforms/ad-platforms.server';
import { CampaignMappingRow } from '~/components/ad-platforms/campaign-mapping';
import { FetcherButton } from '~/components/ad-platforms/fetcher-button';
import { outcome } from '~/components/admin/outcome.server';
import { GeneralErrorBoundary } from '~/components/error-boundary';
import { EmptyState, PageHeader } from '~/components/page';
import { Button } from '~/components/ui/button';
import { Table, TableBody, TableHead, TableHeader, TableRow } from '~/components/ui/table';
import { apiMessage } from '~/lib/api-errors';
import { authOf } from '~/lib/auth.server';
import { formatAgo } from '~/lib/format';
import type { Route } from './+types/_app.ad-platforms.connections.$id.campaigns';

export function meta({ data: loaderData }: Route.MetaArgs) {
  return [{ title: `Campaigns of ${loaderData?.connection.label ?? 'an ad account'} · TAS` }];
}

/** An ad account's campaigns as last synced, each mapped to an offer (ROI) and a TAS campaign (budget stop). */
export async function loader({ params, context }: Route.LoaderArgs) {
  const auth = requireAdPlatforms(authOf(context));
  if (!UUID.test(params.id)) throw data({ message: 'There is no such ad account.' }, { status: 404 });
  const path = { id: params.id };
  const [connection, campaigns, offers, tasCampaigns] = await Promise.all([
    auth.api.GET('/api/v1/ad-platforms/connections/{id}', { params: { path } }),
    auth.api.GET('/api/v1/ad-platforms/connections/{id}/campaigns', { params: { path } }),
    offerNames(auth),
    auth.api.GET('/api/v1/campaigns', { params: { query: { limit: 200 } } }),
  ]);
  if (!connection.data)
    throw data(
      {
        message:
          connection.response.status === 404
            ? 'There is no such ad account, or it is not visible to you.'
            : apiMessage(connection.error),
      },
      { status: connection.response.status },
    );
  if (!campaigns.data)
    throw data(
      { message: apiMessage(campaigns.error, 'The campaigns could not be loaded.') },
      { status: campaigns.response.status },
    );
  const owner = connection.data.advertiserId;
  return {
    connection: connection.data,
    campaigns: campaigns.data.data,
    // Only the account's advertiser's own: the API refuses another's.
    offers: offers.filter((o) => o.advertiserId === owner).map((o) => ({ id: o.id, name: o.name })),
    tasCampaigns: (tasCampaigns.data?.data ?? [])
      .filter((c) => c.advertiserId === owner)
      .map((c) => ({ id: c.id, name: c.name })),
    now: new Date().toISOString(),
  };
}

const positive = (value: FormDataEntryValue | null) => {
  const n = Number(value);
  return Number.isInteger(n) && n > 0 ? n : null;
};

export async function action({ request, params, context }: Route.ActionArgs) {
  const { api } = requireAdPlatforms(authOf(context));
  if (!UUID.test(params.id)) throw data({ message: 'There is no such ad account.' }, { status: 404 });
  const form = await request.formData();
  const intent = form.get('intent');
  const campaignId = String(form.get('platformCampaignId') ?? '');
  if (!campaignId || campaignId.length > 64)
    return outcome(request, false, 'There is no such campaign.', 404);
  const path = { id: params.id, campaignId };
  if (intent === 'map') {
    const {
      data: changed,
      error,
      response,
    } = await api.PATCH('/api/v1/ad-platforms/connections/{id}/campaigns/{campaignId}', {
      params: { path },
      body: {
        offerId: positive(form.get('offerId')),
        campaignId: positive(form.get('campaignId')),
        pauseOnBudgetStop: form.get('pauseOnBudgetStop') === 'true',
      },
    });
    // Saved quietly (the row says so); only a refusal is said aloud.
    return changed
      ? { ok: true, message: 'Saved.' }
      : data({ ok: false, message: apiMessage(error) }, { status: response.status });
  }
  if (intent === 'status') {
    const status = form.get('status') === 'paused' ? 'paused' : 'active';
    const {
      data: done,
      error,
      response,
    } = await api.POST('/api/v1/ad-platforms/connections/{id}/campaigns/{campaignId}/status', {
      params: { path },
      body: { status },
    });
    if (!done)
      return outcome(
        request,
        false,
        apiMessage(error, 'The platform could not be reached.'),
        response.status,
      );
    return outcome(
      request,
      true,
      status === 'paused' ? 'Paused on the platform.' : 'Resumed on the platform.',
    );
  }
  if (intent === 'sync') {
    const {
      data: synced,
      error,
      response,
    } = await api.POST('/api/v1/ad-platforms/connections/{id}/sync', {
      params: { path: { id: params.id } },
    });
    if (!synced)
      return outcome(
        request,
        false,
        apiMessage(error, 'The platform could not be reached.'),
        response.status,
      );
    return outcome(
      request,
      true,
      `Synced: ${synced.campaigns} campaigns, ${synced.spendDays} days of spend.`,
    );
  }
  throw data({ message: 'Unknown action.' }, { status: 400 });
}

export default function ConnectionCampaigns({ loaderData }: Route.ComponentProps) {
  const { connection, campaigns, offers, tasCampaigns, now } = loaderData;
  return (
    <>
      <Button asChild variant="ghost" size="sm" className="mb-2 -ml-2 text-muted-foreground">
        <Link to="/ad-platforms">
          <ArrowLeftIcon aria-hidden />
          Ad platforms
        </Link>
      </Button>
      <PageHeader
        title={`${connection.label}: campaigns`}
        description={`${PLATFORM_LABEL[connection.platform]}${connection.accountId ? ` account ${connection.accountId}` : ''} · spend synced ${connection.spendSyncedAt ? formatAgo(connection.spendSyncedAt, now) : 'never'}. Map a campaign to an offer to see its cost in the ROI report.`}
        actions={
          <>
            <Button asChild variant="outline">
              <Link to="/reports/roi">ROI report</Link>
            </Button>
            <FetcherButton fields={{ intent: 'sync' }} icon={<RefreshCwIcon aria-hidden />}>
              Sync now
            </FetcherButton>
          </>
        }
      />
      {campaigns.length === 0 ? (
        <EmptyState
          icon={ListTreeIcon}
          title="No campaign synced yet"
          description="Sync now to read this account’s campaigns and their last 7 days of spend."
        />
      ) : (
        <div className="min-w-0 rounded-xl border bg-card shadow-xs">
          <Table>
            <caption className="sr-only">Platform campaigns</caption>
            <TableHeader>
              <TableRow className="hover:bg-transparent">
                <TableHead>Campaign</TableHead>
                <TableHead>Status</TableHead>
                <TableHead className="text-right">Cost, 30 days</TableHead>
                <TableHead>Offer (ROI)</TableHead>
                <TableHead>TAS campaign</TableHead>
                <TableHead>Pause when the TAS budget stops</TableHead>
                <TableHead>
                  <span className="sr-only">Actions</span>
                </TableHead>
              </TableRow>
            </TableHeader>
            <TableBody>
              {campaigns.map((c) => (
                <CampaignMappingRow
                  key={c.platformCampaignId}
                  campaign={c}
                  offers={offers}
                  campaigns={tasCampaigns}
                />
              ))}
            </TableBody>
          </Table>
        </div>
      )}
    </>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
