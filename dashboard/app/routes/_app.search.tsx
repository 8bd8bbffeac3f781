import type { SearchResult } from '~/components/command-palette';
import { authOf } from '~/lib/auth.server';
import type { Route } from './+types/_app.search';

const CLICK_ID = /^[A-Za-z0-9_-]{44}$/;

/**
 * What the command palette finds for a query, with the viewer's own rights (each list is the
 * API's, scoped to the caller): offers and, for admins, affiliates and advertisers by name or id;
 * a click id or txid leads to its conversions.
 */
export async function loader({ request, context }: Route.LoaderArgs) {
  const { api, viewer } = authOf(context);
  const q = (new URL(request.url).searchParams.get('q') ?? '').trim().slice(0, 100);
  if (q.length < 2) return { results: [] };
  const needle = q.toLowerCase();
  const matches = (name: string, id: number) => name.toLowerCase().includes(needle) || String(id) === q;
  const results: SearchResult[] = [];
  if (CLICK_ID.test(q)) {
    results.push({
      kind: 'click',
      label: `Click ${q.slice(0, 12)}…`,
      detail: 'Conversions of this click',
      to: `/conversions?clickId=${encodeURIComponent(q)}`,
    });
  }
  const [offers, affiliates, advertisers] = await Promise.all([
    api.GET('/api/v1/offers', { params: { query: { limit: 200 } } }),
    viewer.role === 'admin' ? api.GET('/api/v1/affiliates', { params: { query: { limit: 200 } } }) : null,
    viewer.role === 'admin' ? api.GET('/api/v1/advertisers', { params: { query: { limit: 200 } } }) : null,
  ]);
  for (const offer of offers.data?.data ?? []) {
    if (matches(offer.name, offer.id)) {
      results.push({
        kind: 'offer',
        label: offer.name,
        detail: `Offer #${offer.id}`,
        to: `/offers/${offer.id}`,
      });
    }
  }
  for (const affiliate of affiliates?.data?.data ?? []) {
    if (matches(affiliate.companyName, affiliate.id)) {
      results.push({
        kind: 'affiliate',
        label: affiliate.companyName,
        detail: `Affiliate #${affiliate.id}`,
        to: `/affiliates/${affiliate.id}`,
      });
    }
  }
  for (const advertiser of advertisers?.data?.data ?? []) {
    if (matches(advertiser.companyName, advertiser.id)) {
      results.push({
        kind: 'advertiser',
        label: advertiser.companyName,
        detail: `Advertiser #${advertiser.id}`,
        to: `/advertisers/${advertiser.id}`,
      });
    }
  }
  if (!CLICK_ID.test(q)) {
    results.push({
      kind: 'txid',
      label: `Order ${q}`,
      detail: 'Conversions with this txid',
      to: `/conversions?txid=${encodeURIComponent(q)}`,
    });
  }
  return { results: results.slice(0, 20) };
}
