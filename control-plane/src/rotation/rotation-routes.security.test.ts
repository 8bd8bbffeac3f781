import { describe, expect, it } from 'vitest';
import { call, errorCode } from '../../test/api-client.ts';
import { traffic, useRotationWorld } from '../../test/rotation-setup.ts';
import { testDatabases } from '../../test/test-databases.ts';

const READS = ['rotation', 'rotation/log', 'ab-report'];

describe.each(testDatabases)('rotation routes security on $name', ({ open }) => {
  const world = useRotationWorld(open);
  const refused = async (response: Response) => [response.status, await errorCode(response)];

  it('needs a session or an API key', async () => {
    const { app, offer } = world();
    for (const path of READS) {
      expect(await refused(await call(app, 'GET', `/api/v1/offers/${offer.id}/${path}`)), path).toEqual([
        401,
        'unauthorized',
      ]);
    }
    const put = await call(app, 'PUT', `/api/v1/offers/${offer.id}/rotation`, { body: { mode: 'bandit' } });
    expect(await refused(put)).toEqual([401, 'unauthorized']);
  });

  it('refuses affiliates, even on a public offer they run, and does not say whether an offer exists', async () => {
    const { app, offer, affiliate } = world();
    for (const id of [offer.id, 999_999]) {
      for (const path of READS) {
        const response = await call(app, 'GET', `/api/v1/offers/${id}/${path}`, {
          token: affiliate.accessToken,
        });
        expect(await refused(response), `${id} ${path}`).toEqual([403, 'forbidden']);
      }
      const put = await call(app, 'PUT', `/api/v1/offers/${id}/rotation`, {
        token: affiliate.accessToken,
        body: { mode: 'bandit' },
      });
      expect(await refused(put)).toEqual([403, 'forbidden']);
    }
  });

  it('hides an offer from another advertiser, who cannot change its rotation either', async () => {
    const { app, offer, otherAdvertiser, advertiser } = world();
    for (const path of READS) {
      const response = await call(app, 'GET', `/api/v1/offers/${offer.id}/${path}`, {
        token: otherAdvertiser.accessToken,
      });
      expect(await refused(response), path).toEqual([404, 'not_found']);
    }
    const put = await call(app, 'PUT', `/api/v1/offers/${offer.id}/rotation`, {
      token: otherAdvertiser.accessToken,
      body: { mode: 'bandit' },
    });
    expect(await refused(put)).toEqual([404, 'not_found']);
    const settings = await call(app, 'GET', `/api/v1/offers/${offer.id}/rotation`, {
      token: advertiser.accessToken,
    });
    expect(await settings.json()).toMatchObject({ mode: 'manual' });
  });

  it('holds API keys to their scopes: offers:read reads, only offers:write changes', async () => {
    const { app, offer, advertiser } = world();
    const key = (await (
      await call(app, 'POST', '/api/v1/api-keys', {
        token: advertiser.accessToken,
        body: { name: 'reader', scopes: ['offers:read'] },
      })
    ).json()) as { key: string };
    for (const path of READS) {
      expect((await call(app, 'GET', `/api/v1/offers/${offer.id}/${path}`, { token: key.key })).status).toBe(
        200,
      );
    }
    const put = await call(app, 'PUT', `/api/v1/offers/${offer.id}/rotation`, {
      token: key.key,
      body: { mode: 'bandit' },
    });
    expect(await refused(put)).toEqual([403, 'forbidden']);
    const reports = (await (
      await call(app, 'POST', '/api/v1/api-keys', {
        token: advertiser.accessToken,
        body: { name: 'reports', scopes: ['reports:read'] },
      })
    ).json()) as { key: string };
    const report = await call(app, 'GET', `/api/v1/offers/${offer.id}/ab-report`, { token: reports.key });
    expect(await refused(report)).toEqual([403, 'forbidden']);
  });

  it('never shows the advertiser what affiliates earn: the payout per click is for admins', async () => {
    const w = world();
    await traffic(w, { landingPageId: w.pageA }, { clicks: 20, conversions: 2 });
    const response = await call(w.app, 'GET', `/api/v1/offers/${w.offer.id}/ab-report`, {
      token: w.advertiser.accessToken,
    });
    const text = await response.text();
    expect(text).not.toContain('epcMinor');
    expect(text).not.toContain('payout');
    expect(JSON.parse(text).groups[0].arms[0]).toMatchObject({ clicks: 20, revenuePerClickMinor: 150 });
  });
});
