import type { Auth } from '~/lib/auth.server';

/** Names of the ids a report shows, as far as the viewer may read them (the API scopes each list). */
export type Names = {
  offers: Record<number, string>;
  affiliates: Record<number, string>;
  advertisers: Record<number, string>;
  creatives: Record<number, string>;
};

const PAGE = 200;
const MAX_PAGES = 5;

async function pages<T extends { id: number }>(
  read: (
    after: string | undefined,
  ) => Promise<{ data?: { data: T[]; nextAfter: number | null } | undefined }>,
): Promise<T[]> {
  const all: T[] = [];
  let after: string | undefined;
  for (let i = 0; i < MAX_PAGES; i++) {
    const { data } = await read(after);
    if (!data) break;
    all.push(...data.data);
    if (data.nextAfter === null) break;
    after = String(data.nextAfter);
  }
  return all;
}

/**
 * The offers, affiliates, advertisers (and creatives when asked) the viewer may list, by id.
 * Advertisers cannot list affiliates: their rows show affiliate ids.
 */
export async function loadNames(
  { api, viewer }: Auth,
  options: { creatives?: boolean } = {},
): Promise<Names> {
  const [offers, affiliates, advertisers, creatives] = await Promise.all([
    pages((after) =>
      api.GET('/api/v1/offers', { params: { query: { limit: PAGE, ...(after ? { after } : {}) } } }),
    ),
    viewer.role === 'advertiser'
      ? []
      : pages((after) =>
          api.GET('/api/v1/affiliates', { params: { query: { limit: PAGE, ...(after ? { after } : {}) } } }),
        ),
    viewer.role === 'affiliate'
      ? []
      : pages((after) =>
          api.GET('/api/v1/advertisers', { params: { query: { limit: PAGE, ...(after ? { after } : {}) } } }),
        ),
    options.creatives
      ? pages((after) =>
          api.GET('/api/v1/creatives', { params: { query: { limit: PAGE, ...(after ? { after } : {}) } } }),
        )
      : [],
  ]);
  return {
    offers: Object.fromEntries(offers.map((o) => [o.id, o.name])),
    affiliates: Object.fromEntries(affiliates.map((a) => [a.id, a.companyName])),
    advertisers: Object.fromEntries(advertisers.map((a) => [a.id, a.companyName])),
    creatives: Object.fromEntries(creatives.map((c) => [c.id, c.name])),
  };
}
