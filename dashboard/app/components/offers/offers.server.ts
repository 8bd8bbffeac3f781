import { data } from 'react-router';
import type { ApiClient, Schemas } from '~/lib/api.server';
import { apiMessage } from '~/lib/api-errors';
import type { Auth } from '~/lib/auth.server';

export type Offer = Schemas['Offer'];
export type AffiliateOffer = Schemas['AffiliateOffer'];
export type CapUsage = Schemas['OfferCapUsage'];
export type Application = Schemas['Application'];

// The API pages by id and filters only by status and advertiser; search, payout type and access
// are filtered here, over at most this many offers (a network's whole catalogue in practice).
const PAGE = 200;
const MAX_PAGES = 5;

type OfferQuery = { status?: Offer['status']; advertiserId?: string };

/** Every offer the viewer may see (up to 1,000), in the API's order. */
export async function listAllOffers(
  api: ApiClient,
  query: OfferQuery = {},
): Promise<{ offers: (Offer | AffiliateOffer)[]; truncated: boolean }> {
  const offers: (Offer | AffiliateOffer)[] = [];
  let after: string | undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    const {
      data: body,
      error,
      response,
    } = await api.GET('/api/v1/offers', {
      params: { query: { ...query, limit: PAGE, ...(after ? { after } : {}) } },
    });
    if (!body)
      throw data(
        { message: apiMessage(error, 'The offers could not be loaded.') },
        { status: response.status },
      );
    offers.push(...body.data);
    if (body.nextAfter === null) return { offers, truncated: false };
    after = String(body.nextAfter);
  }
  return { offers, truncated: true };
}

/** The API answers affiliates with AffiliateOffer (it has `access`), everyone else with Offer. */
export function isAffiliateOffer(offer: Offer | AffiliateOffer): offer is AffiliateOffer {
  return 'access' in offer;
}

export function isFullOffer(offer: Offer | AffiliateOffer): offer is Offer {
  return 'advertiserId' in offer;
}

/** One offer, or a 404/403 through the error boundary. */
export async function getOffer(api: ApiClient, id: string): Promise<Offer | AffiliateOffer> {
  if (!/^[1-9]\d{0,9}$/.test(id)) throw data({ message: 'There is no such offer.' }, { status: 404 });
  const {
    data: offer,
    error,
    response,
  } = await api.GET('/api/v1/offers/{id}', {
    params: { path: { id } },
  });
  if (!offer) {
    const status = response.status === 400 ? 404 : response.status;
    throw data(
      {
        message: status === 404 ? 'There is no such offer, or it is not visible to you.' : apiMessage(error),
      },
      { status },
    );
  }
  return offer;
}

/** Cap usage of one offer; null when the edge cannot say right now (the page still shows). */
export async function getCapUsage(api: ApiClient, id: number): Promise<CapUsage | null> {
  try {
    const { data: usage } = await api.GET('/api/v1/offers/{id}/caps', {
      params: { path: { id: String(id) } },
    });
    return usage ?? null;
  } catch {
    return null;
  }
}

/** Cap usage of several offers at once, by offer id. */
export async function capUsageByOffer(
  api: ApiClient,
  ids: number[],
): Promise<Record<number, CapUsage | null>> {
  const entries = await Promise.all(ids.map(async (id) => [id, await getCapUsage(api, id)] as const));
  return Object.fromEntries(entries);
}

/** Company names by id, for the lists an admin reads (other roles may not list them: empty). */
export async function companyNames(
  auth: Auth,
  kind: 'advertisers' | 'affiliates',
): Promise<Record<number, string>> {
  if (auth.viewer.role !== 'admin') return {};
  const path = kind === 'advertisers' ? '/api/v1/advertisers' : '/api/v1/affiliates';
  const { data: body } = await auth.api.GET(path, { params: { query: { limit: 200 } } });
  return Object.fromEntries((body?.data ?? []).map((company) => [company.id, company.companyName]));
}

/** What a small in-page action answers (shown as a toast by the form that sent it). */
export type ActionResult = { ok: boolean; message: string };

const ID = /^[1-9]\d{0,9}$/;

/** An affiliate applies to run an approval-required offer. */
export async function applyToOffer(api: ApiClient, offerId: string): Promise<ActionResult> {
  const { data: application, error } = await api.POST('/api/v1/offers/{id}/applications', {
    params: { path: { id: offerId } },
  });
  if (!application) return { ok: false, message: apiMessage(error, 'The application could not be sent.') };
  return {
    ok: true,
    message:
      application.status === 'approved'
        ? 'You are approved: your tracking link is ready.'
        : 'Application sent: the advertiser will review it.',
  };
}

/** The advertiser or an admin approves or rejects an affiliate on an offer (or grants it directly). */
export async function decideApplication(api: ApiClient, form: FormData): Promise<ActionResult> {
  const offerId = String(form.get('offerId') ?? '');
  const affiliateId = String(form.get('affiliateId') ?? '').trim();
  const status = form.get('status');
  if (!ID.test(offerId) || !ID.test(affiliateId))
    return { ok: false, message: 'Enter the affiliate’s id (a positive number).' };
  if (status !== 'approved' && status !== 'rejected')
    return { ok: false, message: 'Choose approve or reject.' };
  const { data: application, error } = await api.PUT('/api/v1/offers/{id}/applications/{affiliateId}', {
    params: { path: { id: offerId, affiliateId } },
    body: { status },
  });
  if (!application) return { ok: false, message: apiMessage(error, 'The decision could not be saved.') };
  return {
    ok: true,
    message: `Affiliate #${affiliateId} ${status === 'approved' ? 'approved' : 'rejected'} on offer #${offerId}.`,
  };
}
