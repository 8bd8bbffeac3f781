import { LinkIcon } from 'lucide-react';
import { Link, useNavigate, useNavigation } from 'react-router';
import { BulkLinks } from '~/components/links/bulk-links';
import { LinkBuilder } from '~/components/links/link-builder';
import { formatPayout, payoutUnit } from '~/components/offers/offer-text';
import { isAffiliateOffer, listAllOffers } from '~/components/offers/offers.server';
import { EmptyState, PageHeader } from '~/components/page';
import { Button } from '~/components/ui/button';
import { Label } from '~/components/ui/label';
import { Alert } from '~/components/ui/misc';
import { NativeSelect } from '~/components/ui/native-select';
import { authOf, requireRole } from '~/lib/auth.server';
import type { Route } from './+types/_app.links';

export function meta() {
  return [{ title: 'Link builder · TAS' }];
}

/**
 * The offers this affiliate may run (those with a tracking link), the one picked by ?offerId=
 * (else the first), and that offer's creatives. Link parameters stay in the page: the link is
 * built in the browser as they are typed.
 */
export async function loader({ request, context }: Route.LoaderArgs) {
  const { api } = requireRole(authOf(context), 'affiliate');
  const wanted = new URL(request.url).searchParams.get('offerId');
  const { offers } = await listAllOffers(api);
  const runnable = offers
    .filter(isAffiliateOffer)
    .filter((offer) => offer.trackingLink !== null && offer.status !== 'archived' && offer.status !== 'draft')
    .map((offer) => ({
      id: offer.id,
      name: offer.name,
      status: offer.status,
      payout: `${formatPayout(offer)} ${payoutUnit(offer.payoutType)}`,
      trackingLink: offer.trackingLink ?? '',
      deepLinksAllowed: offer.deepLinksAllowed,
      deepLinkHosts: offer.deepLinkHosts,
    }))
    .sort((a, b) => Number(b.status === 'active') - Number(a.status === 'active') || a.id - b.id);
  const selected = runnable.find((offer) => String(offer.id) === wanted) ?? (wanted ? null : runnable[0]);
  // An offer in the URL that this affiliate may not run (not approved yet, or not visible).
  const refused = wanted !== null && selected === null ? wanted : null;
  const creatives = selected
    ? ((
        await api.GET('/api/v1/creatives', {
          params: { query: { offerId: String(selected.id), limit: 200 } },
        })
      ).data?.data ?? [])
    : [];
  return {
    offers: runnable,
    selected: selected ?? null,
    refused,
    creatives: creatives.map((c) => ({ id: c.id, name: c.name, type: c.type, size: c.size })),
  };
}

export default function Links({ loaderData }: Route.ComponentProps) {
  const { offers, selected, refused, creatives } = loaderData;
  const navigate = useNavigate();
  const navigation = useNavigation();
  const loading = navigation.state === 'loading' && navigation.location.pathname === '/links';

  if (offers.length === 0) {
    return (
      <>
        <PageHeader title="Link builder" />
        <EmptyState
          icon={LinkIcon}
          title="No offers to promote yet"
          description="Once you may run an offer (a public one, or one you were approved for), build its links here."
          action={
            <Button asChild>
              <Link to="/offers">Browse offers</Link>
            </Button>
          }
        />
      </>
    );
  }

  return (
    <>
      <PageHeader
        title="Link builder"
        description="Tracking links with sub ids, a creative and a deep link: copy one, scan it, or export many."
      />
      <div className="mb-5 grid gap-1.5 sm:max-w-xl">
        <Label htmlFor="offer">Offer</Label>
        <NativeSelect
          id="offer"
          value={selected ? String(selected.id) : ''}
          aria-busy={loading || undefined}
          onChange={(event) =>
            navigate(`?offerId=${event.currentTarget.value}`, { replace: true, preventScrollReset: true })
          }
        >
          {selected ? null : <option value="">Pick an offer</option>}
          {offers.map((offer) => (
            <option key={offer.id} value={offer.id}>
              #{offer.id} · {offer.name} · {offer.payout}
              {offer.status === 'paused' ? ' (paused)' : ''}
            </option>
          ))}
        </NativeSelect>
      </div>
      {refused ? (
        <Alert variant="warning" className="mb-5">
          You cannot run offer #{refused} yet.{' '}
          <Link to={`/offers/${refused}`} className="font-medium underline underline-offset-4">
            See the offer
          </Link>{' '}
          to apply, or pick one of yours above.
        </Alert>
      ) : null}
      {selected ? (
        <div className={loading ? 'opacity-60 transition-opacity' : undefined}>
          <LinkBuilder key={selected.id} offer={selected} creatives={creatives}>
            {(params) => <BulkLinks offer={selected} defaults={params} />}
          </LinkBuilder>
        </div>
      ) : null}
    </>
  );
}
