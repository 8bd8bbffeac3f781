import { data } from 'react-router';
import type { ApiClient, Schemas } from '~/lib/api.server';
import { apiMessage, isApiError } from '~/lib/api-errors';
import type { AdvertiserChoice, OfferChoice } from './campaign-form';
import type { Campaign, CampaignSpend } from './campaign-labels';

const ID = /^[1-9]\d{0,9}$/;

/** The offers a campaign may promote: the viewer's (an advertiser's own, every one for admins). */
export async function offerChoices(api: ApiClient): Promise<OfferChoice[]> {
  const { data: body } = await api.GET('/api/v1/offers', { params: { query: { limit: 200 } } });
  return (body?.data ?? []).flatMap((o) =>
    'advertiserId' in o
      ? [{ id: o.id, name: o.name, currency: o.currency, advertiserId: o.advertiserId }]
      : [],
  );
}

/** Advertisers by name, for admins (the API refuses other roles the list). */
export async function advertiserChoices(api: ApiClient): Promise<AdvertiserChoice[]> {
  const { data: body } = await api.GET('/api/v1/advertisers', { params: { query: { limit: 200 } } });
  return (body?.data ?? []).map((a: Schemas['Advertiser']) => ({ id: a.id, name: a.companyName }));
}

/** One campaign, or 404 through the error boundary. */
export async function getCampaign(api: ApiClient, id: string): Promise<Campaign> {
  if (!ID.test(id)) throw data({ message: 'There is no such campaign.' }, { status: 404 });
  const {
    data: campaign,
    error,
    response,
  } = await api.GET('/api/v1/campaigns/{id}', {
    params: { path: { id } },
  });
  if (!campaign) {
    const status = response.status === 400 ? 404 : response.status;
    throw data(
      {
        message:
          status === 404 ? 'There is no such campaign, or it is not visible to you.' : apiMessage(error),
      },
      { status },
    );
  }
  return campaign;
}

/** What a campaign has spent; null when the API cannot say (the page still shows). */
export async function getSpend(api: ApiClient, id: number): Promise<CampaignSpend | null> {
  const { data: spend } = await api.GET('/api/v1/campaigns/{id}/spend', {
    params: { path: { id: String(id) } },
  });
  return spend ?? null;
}

/** The API's refusal of a campaign change as form errors: a currency mismatch beside the currency. */
export function campaignRefusal(
  error: unknown,
  offer: OfferChoice | undefined,
): { formErrors?: string[]; fieldErrors?: Record<string, string[]> } {
  if (isApiError(error) && error.error.code === 'currency_mismatch') {
    const message = offer
      ? `This campaign’s budgets must be in ${offer.currency}, the currency of “${offer.name}”: its revenue, which budgets are counted against, is in ${offer.currency}.`
      : 'The budgets must be in the offer’s currency.';
    return {
      formErrors: [`Currency mismatch: ${message}`],
      fieldErrors: {
        currency: [offer ? `Use ${offer.currency}, the offer’s currency.` : 'Use the offer’s currency.'],
      },
    };
  }
  if (isApiError(error) && error.error.code === 'edge_unavailable') {
    return {
      formErrors: ['The edge could not be reached, so nothing was changed. Try again in a moment.'],
    };
  }
  return { formErrors: [apiMessage(error)] };
}
