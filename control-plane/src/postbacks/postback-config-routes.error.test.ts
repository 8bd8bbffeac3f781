import { count } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, errorCode, signUp } from '../../test/api-client.ts';
import { apiOffer } from '../../test/offer-setup.ts';
import { testApp } from '../../test/test-app.ts';
import { testDatabases } from '../../test/test-databases.ts';
import type { DatabaseHandle } from '../db/database.ts';
import { postbackConfigs } from '../db/schema/postback-configs.ts';

describe.each(testDatabases)('/api/v1/postback-configs bad input on $name', ({ open }) => {
  let handle: DatabaseHandle;
  let app: ReturnType<typeof testApp>;
  beforeAll(async () => {
    handle = await open();
    app = testApp(handle.db);
  });
  afterAll(() => handle.close());

  it('refuses invalid configurations, storing nothing', async () => {
    const affiliate = await signUp(app, 'affiliate');
    const privateOffer = await apiOffer(app, await signUp(app, 'advertiser'), { visibility: 'private' });
    const url = 'https://aff.example/pb?c={click_id}';
    const cases: [Record<string, unknown>, number, string][] = [
      [{}, 400, 'invalid_request'],
      [{ url: 'ftp://aff.example/' }, 400, 'invalid_request'],
      [{ url: 'not a url' }, 400, 'invalid_request'],
      [{ url, method: 'PUT' }, 400, 'invalid_request'],
      [{ url, headers: { Host: 'internal' } }, 400, 'invalid_request'],
      [{ url, headers: { 'X-TAS-Delivery-Id': 'forged' } }, 400, 'invalid_request'],
      [{ url, headers: { 'Bad Header': 'x' } }, 400, 'invalid_request'],
      [{ url, headers: { 'X-A': 'a\r\nX-Injected: 1' } }, 400, 'invalid_request'],
      [{ url, fireOn: 'rejected' }, 400, 'invalid_request'],
      [{ url, offerId: privateOffer.id }, 404, 'not_found'],
      [{ url, offerId: 999_999 }, 404, 'not_found'],
    ];
    for (const [body, status, code] of cases) {
      const response = await call(app, 'POST', '/api/v1/postback-configs', {
        token: affiliate.accessToken,
        body,
      });
      expect([response.status, await errorCode(response)], JSON.stringify(body)).toEqual([status, code]);
    }
    expect((await handle.db.select({ n: count() }).from(postbackConfigs))[0]?.n).toBe(0);
  });

  it('records an unreachable endpoint as a failed attempt instead of failing the request', async () => {
    const affiliate = await signUp(app, 'affiliate');
    const config = (await (
      await call(app, 'POST', '/api/v1/postback-configs', {
        token: affiliate.accessToken,
        body: { url: 'http://127.0.0.1:1/closed' },
      })
    ).json()) as { id: number };
    const fired = await call(app, 'POST', `/api/v1/postback-configs/${config.id}/test`, {
      token: affiliate.accessToken,
    });
    expect(fired.status).toBe(200);
    expect(await fired.json()).toMatchObject({ ok: false, statusCode: null, error: expect.any(String) });
    const missing = await call(app, 'POST', '/api/v1/postback-configs/424242/test', {
      token: affiliate.accessToken,
    });
    expect([missing.status, await errorCode(missing)]).toEqual([404, 'not_found']);
  });
});
