import {
  CheckCircle2Icon,
  KeyRoundIcon,
  LogInIcon,
  PlugZapIcon,
  PlusIcon,
  SendIcon,
  XCircleIcon,
  XIcon,
} from 'lucide-react';
import { Link, useSearchParams, useSubmit } from 'react-router';
import { OAUTH_ERROR_TEXT, PLATFORM_LABEL } from '~/components/ad-platforms/ad-platform-text';
import {
  adPlatformsAction,
  advertiserFilter,
  loadOverview,
  requireAdPlatforms,
} from '~/components/ad-platforms/ad-platforms.server';
import { type AdvertiserOption, ConnectDialog } from '~/components/ad-platforms/connect-dialog';
import { ConnectionList } from '~/components/ad-platforms/connection-list';
import { DestinationDialog } from '~/components/ad-platforms/destination-dialog';
import { DestinationList } from '~/components/ad-platforms/destination-list';
import { GeneralErrorBoundary } from '~/components/error-boundary';
import { EmptyState, PageHeader } from '~/components/page';
import { Button } from '~/components/ui/button';
import { Label } from '~/components/ui/label';
import { Alert } from '~/components/ui/misc';
import { NativeSelect } from '~/components/ui/native-select';
import { authOf } from '~/lib/auth.server';
import type { Route } from './+types/_app.ad-platforms._index';

export function meta() {
  return [{ title: 'Ad platforms · TAS' }];
}

/**
 * Ad platforms (decision 030): the advertiser's ad accounts (connections) and where its
 * conversions are forwarded (destinations). Admins see every advertiser's, or one's by
 * `?advertiserId=`; affiliates are refused.
 */
export async function loader({ request, context }: Route.LoaderArgs) {
  const auth = requireAdPlatforms(authOf(context));
  const params = new URL(request.url).searchParams;
  const advertiserId = advertiserFilter(auth, params);
  const overview = await loadOverview(auth, advertiserId);
  const connected = params.get('connected');
  return {
    ...overview,
    advertiserId,
    now: new Date().toISOString(),
    oauth: {
      connected: connected ? (overview.connections.find((c) => c.id === connected) ?? null) : null,
      error: params.get('error'),
    },
  };
}

export async function action({ request, context }: Route.ActionArgs) {
  return adPlatformsAction(authOf(context), request);
}

export default function AdPlatforms({ loaderData }: Route.ComponentProps) {
  const { connections, destinations, offers, advertisers, advertiserId, now, oauth, oauthReady } = loaderData;
  const connectButtons = (
    <>
      <ConnectDialog
        mode="token"
        advertisers={advertisers}
        defaultAdvertiserId={advertiserId}
        trigger={
          <Button variant="outline">
            <KeyRoundIcon aria-hidden />
            Paste a token
          </Button>
        }
      />
      {oauthReady === null || oauthReady.length > 0 ? (
        <ConnectDialog
          mode="oauth"
          advertisers={advertisers}
          defaultAdvertiserId={advertiserId}
          oauthReady={oauthReady ?? undefined}
          trigger={
            <Button>
              <LogInIcon aria-hidden />
              Connect with OAuth
            </Button>
          }
        />
      ) : null}
    </>
  );
  return (
    <>
      <PageHeader
        title="Ad platforms"
        description="Send your conversions to Meta, Google Ads, TikTok and Microsoft Ads so their bidding learns from real sales, and read your ad spend back for ROI."
        actions={connectButtons}
      />
      <OAuthBanner oauth={oauth} />
      {advertisers ? <AdvertiserPicker advertisers={advertisers} /> : null}

      <section aria-labelledby="connections-heading" className="mb-10 grid gap-3">
        <div>
          <h2 id="connections-heading" className="text-lg font-semibold">
            Ad accounts
          </h2>
          <p className="text-sm text-muted-foreground">
            Accounts TAS may send conversions to and read campaigns and spend from. Spend is synced every
            hour.
          </p>
        </div>
        {connections.length === 0 ? (
          <EmptyState
            icon={PlugZapIcon}
            title="No ad account connected"
            description={
              oauthReady === null || oauthReady.length > 0
                ? 'Connect an account with OAuth, or paste a long-lived token, to start sending conversions to it.'
                : 'Paste a long-lived token to start sending conversions to it. OAuth appears here once the network registers its apps.'
            }
            action={<div className="flex flex-wrap justify-center gap-2">{connectButtons}</div>}
          />
        ) : (
          <ConnectionList connections={connections} advertisers={advertisers} now={now} />
        )}
      </section>

      <section aria-labelledby="destinations-heading" className="grid gap-3">
        <div className="flex flex-col gap-2 sm:flex-row sm:items-end sm:justify-between">
          <div>
            <h2 id="destinations-heading" className="text-lg font-semibold">
              Destinations
            </h2>
            <p className="text-sm text-muted-foreground">
              Which conversions go to which account, when, and with what consent.
            </p>
          </div>
          {connections.length > 0 ? (
            <DestinationDialog
              connections={connections}
              offers={offers}
              trigger={
                <Button variant="outline">
                  <PlusIcon aria-hidden />
                  New destination
                </Button>
              }
            />
          ) : null}
        </div>
        {destinations.length === 0 ? (
          <EmptyState
            icon={SendIcon}
            title="No destination yet"
            description={
              connections.length === 0
                ? 'Connect an ad account first; then choose which offers’ conversions it receives.'
                : 'Create a destination to forward your offers’ conversions to one of your ad accounts.'
            }
          />
        ) : (
          <DestinationList destinations={destinations} connections={connections} offers={offers} />
        )}
      </section>
    </>
  );
}

function OAuthBanner({
  oauth,
}: {
  oauth: { connected: { label: string; platform: keyof typeof PLATFORM_LABEL } | null; error: string | null };
}) {
  const [params] = useSearchParams();
  if (!params.has('connected') && !oauth.error) return null;
  const rest = new URLSearchParams(params);
  rest.delete('connected');
  rest.delete('error');
  const dismiss = (
    <Button asChild variant="ghost" size="icon" className="absolute top-1.5 right-1.5 size-7">
      <Link to={`?${rest}`} replace preventScrollReset aria-label="Dismiss">
        <XIcon aria-hidden />
      </Link>
    </Button>
  );
  if (oauth.error)
    return (
      <Alert variant="destructive" className="mb-6 pr-10">
        <XCircleIcon aria-hidden />
        <p className="font-medium">The account was not connected</p>
        <p className="mt-0.5">{OAUTH_ERROR_TEXT[oauth.error] ?? `The platform answered “${oauth.error}”.`}</p>
        {dismiss}
      </Alert>
    );
  return (
    <Alert variant="success" className="mb-6 pr-10">
      <CheckCircle2Icon className="text-success" aria-hidden />
      <p className="font-medium">
        {oauth.connected
          ? `${PLATFORM_LABEL[oauth.connected.platform]} account “${oauth.connected.label}” connected`
          : 'Account connected'}
      </p>
      <p className="mt-0.5 text-muted-foreground">
        Sync it now to read its campaigns, then create a destination for its conversions.
      </p>
      {dismiss}
    </Alert>
  );
}

function AdvertiserPicker({ advertisers }: { advertisers: AdvertiserOption[] }) {
  const [params] = useSearchParams();
  const submit = useSubmit();
  return (
    <form
      aria-label="Filter by advertiser"
      className="mb-6 grid w-full gap-1 sm:w-72"
      onSubmit={(e) => e.preventDefault()}
    >
      <Label htmlFor="advertiser-filter" className="text-xs text-muted-foreground">
        Advertiser
      </Label>
      <NativeSelect
        id="advertiser-filter"
        value={params.get('advertiserId') ?? ''}
        onChange={(e) => {
          const value = e.currentTarget.value;
          submit(value ? { advertiserId: value } : {}, { method: 'get', replace: true });
        }}
      >
        <option value="">Every advertiser</option>
        {advertisers.map((a) => (
          <option key={a.id} value={a.id}>
            {a.name}
          </option>
        ))}
      </NativeSelect>
    </form>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
