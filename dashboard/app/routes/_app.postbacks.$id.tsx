import { ArrowLeftIcon, HistoryIcon, ListIcon } from 'lucide-react';
import { Link } from 'react-router';
import { EmptyState, PageHeader } from '~/components/page';
import { AttemptList } from '~/components/postbacks/attempt-view';
import { ConfigActions } from '~/components/postbacks/config-actions';
import { PostbackForm } from '~/components/postbacks/postback-form';
import { formatHeaders, formatParameters } from '~/components/postbacks/postback-form-schema';
import { getConfig, names, requirePostbacks, saveConfig } from '~/components/postbacks/postbacks.server';
import { Badge } from '~/components/ui/badge';
import { Button } from '~/components/ui/button';
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '~/components/ui/card';
import { Alert } from '~/components/ui/misc';
import { authOf } from '~/lib/auth.server';
import { formatDateTime } from '~/lib/format';
import type { Route } from './+types/_app.postbacks.$id';

export function meta({ params }: Route.MetaArgs) {
  return [{ title: `Postback #${params.id} · TAS` }];
}

/** One configuration, its latest attempts (deliveries, tests, replays) and the names to show. */
export async function loader({ params, context }: Route.LoaderArgs) {
  const auth = requirePostbacks(authOf(context));
  const config = await getConfig(auth, params.id);
  const [{ offers, affiliates }, attempts] = await Promise.all([
    names(auth),
    auth.api.GET('/api/v1/postback-configs/{id}/attempts', {
      params: { path: { id: params.id }, query: { limit: 50 } },
    }),
  ]);
  return {
    role: auth.viewer.role,
    config,
    offers,
    affiliateName: affiliates.find((a) => a.id === config.affiliateId)?.name ?? null,
    attempts: attempts.data?.data ?? [],
  };
}

export async function action({ request, params, context }: Route.ActionArgs) {
  return saveConfig(authOf(context), request, params.id);
}

export default function PostbackDetail({ loaderData, actionData }: Route.ComponentProps) {
  const { role, config, offers, affiliateName, attempts } = loaderData;
  const scope =
    config.offerId === null
      ? 'All offers'
      : (offers.find((o) => o.id === config.offerId)?.name ?? `Offer #${config.offerId}`);
  return (
    <>
      <Link
        to="/postbacks"
        className="mb-3 inline-flex items-center gap-1 text-sm text-muted-foreground hover:text-foreground"
      >
        <ArrowLeftIcon className="size-4" aria-hidden /> Postbacks
      </Link>
      <PageHeader
        title={
          <span className="flex flex-wrap items-center gap-2">
            Postback #{config.id}
            {config.disabledAt ? (
              <Badge variant="destructive">disabled after failures</Badge>
            ) : config.isActive ? (
              <Badge variant="success">active</Badge>
            ) : (
              <Badge variant="secondary">off</Badge>
            )}
          </span>
        }
        description={`${scope}${role === 'admin' ? ` · affiliate #${config.affiliateId}${affiliateName ? ` ${affiliateName}` : ''}` : ''} · created ${formatDateTime(config.createdAt)} UTC`}
        actions={<ConfigActions config={config} size="default" />}
      />
      {config.disabledAt ? (
        <Alert variant="destructive" className="mb-5">
          Disabled {formatDateTime(config.disabledAt)} UTC
          {config.disabledReason
            ? `: ${config.disabledReason}`
            : ` after ${config.consecutiveFailures} failures in a row`}
          . Deliveries due meanwhile are parked: fix the endpoint, send a test, turn it on, then replay them
          from the failures.
        </Alert>
      ) : null}
      <div className="grid gap-5">
        <Card className="max-w-3xl">
          <CardHeader>
            <CardTitle>Settings</CardTitle>
          </CardHeader>
          <CardContent>
            <PostbackForm
              key={config.updatedAt}
              defaults={{
                offerId: config.offerId === null ? '' : String(config.offerId),
                url: config.url,
                method: config.method,
                fireOn: config.fireOn,
                isActive: config.isActive,
                parameters: formatParameters(config.parameters),
                headers: formatHeaders(config.headers),
              }}
              lastResult={actionData}
              offers={offers}
              affiliates={null}
              affiliateId={config.affiliateId}
              submitLabel="Save changes"
            />
          </CardContent>
        </Card>
        <Card>
          <CardHeader className="flex-row items-start justify-between gap-3 space-y-0">
            <div className="grid gap-1.5">
              <CardTitle>Attempt log</CardTitle>
              <CardDescription>
                Every request we sent to this endpoint, newest first. Open one for its answer.
              </CardDescription>
            </div>
            <Button asChild variant="outline" size="sm">
              <Link to={`/postbacks/deliveries?postbackConfigId=${config.id}`}>
                <ListIcon aria-hidden /> Deliveries
              </Link>
            </Button>
          </CardHeader>
          <CardContent>
            {attempts.length === 0 ? (
              <EmptyState
                icon={HistoryIcon}
                title="Nothing sent yet"
                description="Send a test: the request and your endpoint's answer show here."
              />
            ) : (
              <AttemptList attempts={attempts} />
            )}
          </CardContent>
        </Card>
      </div>
    </>
  );
}
