import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAffiliateEndpoint } from '../../test/affiliate-endpoint.ts';
import { call, errorCode, signUp } from '../../test/api-client.ts';
import { PUBLIC_ADDRESS, scriptedResolver } from '../../test/postback-resolver.ts';
import { testApp } from '../../test/test-app.ts';
import { testDatabases } from '../../test/test-databases.ts';
import type { DatabaseHandle } from '../db/database.ts';

describe.each(testDatabases)('/api/v1/postback-configs access on $name', ({ open }) => {
  let handle: DatabaseHandle;
  let app: ReturnType<typeof testApp>;
  let endpoint: Awaited<ReturnType<typeof startAffiliateEndpoint>>;
  beforeAll(async () => {
    handle = await open();
    app = testApp(handle.db);
    endpoint = await startAffiliateEndpoint();
  });
  afterAll(async () => {
    await endpoint.close();
    await handle.close();
  });

  it('keeps configurations and their attempt logs to their affiliate', async () => {
    const owner = await signUp(app, 'affiliate');
    const other = await signUp(app, 'affiliate');
    const advertiser = await signUp(app, 'advertiser');
    const config = (await (
      await call(app, 'POST', '/api/v1/postback-configs', {
        token: owner.accessToken,
        body: { url: `${endpoint.url}/x` },
      })
    ).json()) as { id: number };
    const routes = [
      ['GET', '/api/v1/postback-configs'],
      ['POST', '/api/v1/postback-configs'],
      ['GET', `/api/v1/postback-configs/${config.id}`],
      ['PATCH', `/api/v1/postback-configs/${config.id}`],
      ['POST', `/api/v1/postback-configs/${config.id}/test`],
      ['GET', `/api/v1/postback-configs/${config.id}/attempts`],
    ] as const;
    endpoint.received.length = 0;
    for (const [method, path] of routes) {
      const body = { url: 'https://evil.example/' };
      expect((await call(app, method, path, { body })).status, `${method} ${path}`).toBe(401);
      const byAdvertiser = await call(app, method, path, { token: advertiser.accessToken, body });
      expect([byAdvertiser.status, await errorCode(byAdvertiser)], `${method} ${path}`).toEqual([
        403,
        'forbidden',
      ]);
      if (path.includes(`/${config.id}`)) {
        const byOther = await call(app, method, path, { token: other.accessToken, body });
        expect([byOther.status, await errorCode(byOther)], `${method} ${path}`).toEqual([404, 'not_found']);
      }
    }
    expect(endpoint.received).toEqual([]);
    const list = await call(app, 'GET', '/api/v1/postback-configs', { token: other.accessToken });
    expect(((await list.json()) as { data: unknown[] }).data).toEqual([]);
    const foreign = await call(app, 'POST', '/api/v1/postback-configs', {
      token: other.accessToken,
      body: { affiliateId: owner.affiliateId, url: 'https://x.example/' },
    });
    expect([foreign.status, await errorCode(foreign)]).toEqual([403, 'forbidden']);
  });

  it('does not call private or loopback addresses unless allowed (SSRF), however the name resolves', async () => {
    // A zero-TTL name: public to the first query, loopback (the local endpoint) to the next.
    const dns = scriptedResolver({ 'rebind.test': [[PUBLIC_ADDRESS], ['127.0.0.1']] });
    const guarded = testApp(handle.db, {
      outboundPolicy: { allowPrivateNetworks: false, resolve: dns.resolve },
    });
    const affiliate = await signUp(guarded, 'affiliate');
    expect((await dns.resolve('rebind.test'))[0]?.address).toBe(PUBLIC_ADDRESS);
    endpoint.received.length = 0;
    for (const url of [
      `${endpoint.url}/internal`,
      `http://rebind.test:${endpoint.port}/rebound`,
      'http://[::1]:9/x',
      'http://[::ffff:127.0.0.1]:9/x',
      'http://10.0.0.1/x',
      'http://169.254.169.254/latest/meta-data',
    ]) {
      const config = (await (
        await call(guarded, 'POST', '/api/v1/postback-configs', {
          token: affiliate.accessToken,
          body: { url },
        })
      ).json()) as { id: number };
      const fired = await call(guarded, 'POST', `/api/v1/postback-configs/${config.id}/test`, {
        token: affiliate.accessToken,
      });
      expect(await fired.json(), url).toMatchObject({
        ok: false,
        statusCode: null,
        error: expect.stringMatching(/not a public address/),
      });
    }
    expect(endpoint.received).toEqual([]);
  });
});
