import { PlusIcon, SendIcon } from 'lucide-react';
import { Link } from 'react-router';
import { EmptyState, PageHeader } from '~/components/page';
import { ConfigActions } from '~/components/postbacks/config-actions';
import {
  configAction,
  listConfigs,
  names,
  type PostbackConfig,
  requirePostbacks,
} from '~/components/postbacks/postbacks.server';
import { PostbacksNav } from '~/components/postbacks/postbacks-nav';
import { Badge } from '~/components/ui/badge';
import { Button } from '~/components/ui/button';
import { authOf } from '~/lib/auth.server';
import { formatDateTime } from '~/lib/format';
import type { Route } from './+types/_app.postbacks._index';

export function meta() {
  return [{ title: 'Postbacks · TAS' }];
}

/** The viewer's postback configurations (an admin's: every affiliate's), with the names to show. */
export async function loader({ context }: Route.LoaderArgs) {
  const auth = requirePostbacks(authOf(context));
  const [configs, { offers, affiliates }] = await Promise.all([listConfigs(auth), names(auth)]);
  return { role: auth.viewer.role, configs, offers, affiliates };
}

/** Test and on/off, sent in place from a row (or from a postback's own page). */
export async function action({ request, context }: Route.ActionArgs) {
  return configAction(authOf(context), await request.formData());
}

export default function Postbacks({ loaderData }: Route.ComponentProps) {
  const { role, configs, offers, affiliates } = loaderData;
  const offerName = (id: number | null) =>
    id === null ? 'All offers' : (offers.find((o) => o.id === id)?.name ?? `Offer #${id}`);
  const affiliateName = (id: number) => affiliates.find((a) => a.id === id)?.name ?? `Affiliate #${id}`;
  // Global ones first, then by affiliate and offer: the order in which they apply.
  const sorted = [...configs].sort(
    (a, b) => a.affiliateId - b.affiliateId || (a.offerId ?? 0) - (b.offerId ?? 0) || a.id - b.id,
  );

  return (
    <>
      <PageHeader
        title="Postbacks"
        description={
          role === 'affiliate'
            ? 'We call your tracker when a conversion comes in, retrying on failure. A postback for one offer replaces the global one for that offer.'
            : "Every affiliate's outgoing postbacks, their deliveries and failures."
        }
        actions={
          <Button asChild>
            <Link to="/postbacks/new">
              <PlusIcon aria-hidden /> New postback
            </Link>
          </Button>
        }
      />
      <PostbacksNav />
      {sorted.length === 0 ? (
        <EmptyState
          icon={SendIcon}
          title="No postback yet"
          description={
            role === 'affiliate'
              ? 'Add your tracker’s URL with macros such as {click_id} and {payout}: every conversion is then sent to it.'
              : 'No affiliate has a postback yet. You can add one for an affiliate.'
          }
          action={
            <Button asChild>
              <Link to="/postbacks/new">Create a postback</Link>
            </Button>
          }
        />
      ) : (
        <ul className="grid gap-3" aria-label="Postback configurations">
          {sorted.map((config) => (
            <ConfigRow
              key={config.id}
              config={config}
              scope={offerName(config.offerId)}
              affiliate={role === 'admin' ? affiliateName(config.affiliateId) : null}
            />
          ))}
        </ul>
      )}
    </>
  );
}

function ConfigState({ config }: { config: PostbackConfig }) {
  if (config.disabledAt) return <Badge variant="destructive">disabled after failures</Badge>;
  if (!config.isActive) return <Badge variant="secondary">off</Badge>;
  if (config.consecutiveFailures > 0) {
    return <Badge variant="warning">failing ({config.consecutiveFailures} in a row)</Badge>;
  }
  return <Badge variant="success">active</Badge>;
}

function ConfigRow({
  config,
  scope,
  affiliate,
}: {
  config: PostbackConfig;
  scope: string;
  affiliate: string | null;
}) {
  return (
    <li className="grid gap-3 rounded-xl border bg-card p-4 shadow-xs md:grid-cols-[minmax(0,1fr)_auto] md:items-center">
      <div className="grid min-w-0 gap-1.5">
        <div className="flex flex-wrap items-center gap-2 text-sm">
          <Link to={`/postbacks/${config.id}`} className="font-medium hover:underline">
            #{config.id} · {scope}
          </Link>
          {affiliate ? <span className="text-muted-foreground">for {affiliate}</span> : null}
          <ConfigState config={config} />
          <Badge variant="outline" className="font-mono">
            {config.method}
          </Badge>
          <span className="text-xs text-muted-foreground">
            on {config.fireOn === 'approved' ? 'approval' : 'pending and approval'}
          </span>
        </div>
        <code className="truncate font-mono text-xs text-muted-foreground" title={config.url}>
          {config.url}
        </code>
        {config.disabledAt ? (
          <p className="text-xs text-destructive">
            Disabled {formatDateTime(config.disabledAt)} UTC
            {config.disabledReason ? `: ${config.disabledReason}` : ''}. Fix the endpoint, send a test, then
            turn it on again.
          </p>
        ) : null}
      </div>
      <div className="flex flex-wrap items-center gap-2">
        <ConfigActions config={config} />
        <Button asChild variant="ghost" size="sm">
          <Link to={`/postbacks/${config.id}`} aria-label={`Edit postback #${config.id}`}>
            Edit
          </Link>
        </Button>
      </div>
    </li>
  );
}
