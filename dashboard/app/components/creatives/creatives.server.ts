import { data } from 'react-router';
import type { ApiClient } from '~/lib/api.server';
import { apiMessage } from '~/lib/api-errors';
import type { Creative } from './creative-snippet';

export type CampaignRef = { id: number; name: string; offerId: number | null; advertiserId: number };

/** The viewer's campaigns (up to 200), for names, offers and the campaign choice. */
export async function campaignRefs(api: ApiClient): Promise<CampaignRef[]> {
  const { data: body } = await api.GET('/api/v1/campaigns', { params: { query: { limit: 200 } } });
  return (body?.data ?? []).map((c) => ({
    id: c.id,
    name: c.name,
    offerId: c.offerId,
    advertiserId: c.advertiserId,
  }));
}

/** One creative, or 404 through the error boundary. */
export async function getCreative(api: ApiClient, id: string): Promise<Creative> {
  if (!/^[1-9]\d{0,9}$/.test(id)) throw data({ message: 'There is no such creative.' }, { status: 404 });
  const {
    data: creative,
    error,
    response,
  } = await api.GET('/api/v1/creatives/{id}', {
    params: { path: { id } },
  });
  if (!creative) {
    const status = response.status === 400 ? 404 : response.status;
    throw data(
      {
        message:
          status === 404 ? 'There is no such creative, or it is not visible to you.' : apiMessage(error),
      },
      { status },
    );
  }
  return creative;
}
