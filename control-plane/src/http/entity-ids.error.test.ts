import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminSession, call, type Session, signUp } from '../../test/api-client.ts';
import { apiCampaign, apiOffer } from '../../test/offer-setup.ts';
import { testApp } from '../../test/test-app.ts';
import { testDatabases } from '../../test/test-databases.ts';
import type { DatabaseHandle } from '../db/database.ts';

/*
 * Ids live in Postgres integer columns (at most 2^31-1). An id past that in a path, a query or a
 * body is no id: the API answers 400 or 404 with an error code, never a 500 from the database
 * refusing the number. Ids up to 2^32-1 passed validation once and reached the database.
 */
const PAST_INTEGER = 2 ** 31; // 2147483648
const PAST_U32 = 2 ** 32 - 1; // 4294967295
const BODY_ID = 3_000_000_000;

type OpenApi = { paths: Record<string, Record<string, { parameters?: { name: string; in: string }[] }>> };

describe.each(testDatabases)('ids past the integer columns on $name', ({ open }) => {
  let handle: DatabaseHandle;
  let app: ReturnType<typeof testApp>;
  let admin: Session;
  let advertiser: Session;
  let affiliate: Session;
  beforeAll(async () => {
    handle = await open();
    app = testApp(handle.db);
    admin = await adminSession(app, handle.db);
    advertiser = await signUp(app, 'advertiser');
    affiliate = await signUp(app, 'affiliate');
  });
  afterAll(() => handle.close());

  const expectClearRefusal = async (response: Response, what: string) => {
    const body = (await response.json()) as { error?: { code?: string; requestId?: string } };
    expect([400, 404], `${what}: ${response.status} ${JSON.stringify(body)}`).toContain(response.status);
    expect(body.error?.code, what).toMatch(/^(invalid_request|not_found)$/);
    expect(body.error?.requestId, what).toEqual(expect.any(String));
  };

  it('answers GET /api/v1/offers/2147483648 and ?after=4294967295 with a code', async () => {
    await apiOffer(app, advertiser);
    for (const token of [admin.accessToken, advertiser.accessToken]) {
      await expectClearRefusal(
        await call(app, 'GET', `/api/v1/offers/${PAST_INTEGER}`, { token }),
        'GET /offers/2147483648',
      );
      await expectClearRefusal(
        await call(app, 'GET', `/api/v1/offers?after=${PAST_U32}`, { token }),
        'GET /offers?after=4294967295',
      );
    }
  });

  it('answers a body id of 3000000000 with a code', async () => {
    const campaign = await apiCampaign(app, advertiser);
    const offer = await apiOffer(app, advertiser);
    const cases: [string, string, Record<string, unknown>, Session][] = [
      ['POST', '/api/v1/campaigns', { name: 'C', offerId: BODY_ID }, advertiser],
      ['PATCH', `/api/v1/campaigns/${campaign.id}`, { offerId: BODY_ID }, advertiser],
      ['POST', '/api/v1/campaigns', { name: 'C', advertiserId: BODY_ID }, admin],
      [
        'POST',
        '/api/v1/offers',
        { name: 'O', advertiserId: BODY_ID, payoutType: 'cpa', destinationUrl: 'https://a.test/' },
        admin,
      ],
      [
        'POST',
        '/api/v1/creatives',
        { campaignId: BODY_ID, name: 'B', type: 'image', url: 'https://cdn.test/b.png' },
        advertiser,
      ],
      [
        'PATCH',
        `/api/v1/offers/${offer.id}`,
        { landingPages: [{ id: BODY_ID, name: 'L', url: 'https://a.test/l' }] },
        advertiser,
      ],
    ];
    for (const [method, path, body, session] of cases) {
      await expectClearRefusal(
        await call(app, method, path, { token: session.accessToken, body }),
        `${method} ${path} ${JSON.stringify(body)}`,
      );
    }
  });

  it('answers every route that takes an id in its path or an id-like query with a code', async () => {
    const doc = (await (await app.request('/api/openapi.json')).json()) as OpenApi;
    let checked = 0;
    for (const [template, operations] of Object.entries(doc.paths)) {
      for (const [method, operation] of Object.entries(operations)) {
        const params = operation.parameters ?? [];
        const inPath = params.filter((p) => p.in === 'path').map((p) => p.name);
        const idQueries = params
          .filter((p) => p.in === 'query' && (p.name === 'after' || /Id$/.test(p.name)))
          .map((p) => p.name);
        if (inPath.length === 0 && idQueries.length === 0) continue;
        const path = template.replace(/\{(\w+)\}/g, (_, name: string) =>
          /id$/i.test(name) ? String(PAST_INTEGER) : 'x',
        );
        const tries = [
          ...(inPath.some((n) => /id$/i.test(n)) ? [path] : []),
          ...idQueries.map((q) => `${template.replace(/\{(\w+)\}/g, '1')}?${q}=${PAST_U32}`),
        ];
        for (const url of tries) {
          // As each role: some routes refuse admins before they read the id (403), which is fine.
          for (const session of [admin, advertiser, affiliate]) {
            const what = `${method.toUpperCase()} ${url} as ${session.userId}`;
            const response = await call(app, method.toUpperCase(), url, {
              token: session.accessToken,
              body: {},
            });
            expect(response.status, what).toBeLessThan(500);
            if (response.status >= 400) {
              const body = (await response.json()) as { error?: { code?: string } };
              expect(body.error?.code, what).toEqual(expect.any(String));
            } else await response.body?.cancel();
            checked++;
          }
        }
      }
    }
    expect(checked).toBeGreaterThan(20);
  });
});
