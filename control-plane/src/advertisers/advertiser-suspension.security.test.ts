import type { ConfigPublishRequest } from '@tas/shared/config-publish';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  adminSession,
  call,
  errorCode,
  logIn,
  PASSWORD,
  type Session,
  signUp,
  uniqueEmail,
} from '../../test/api-client.ts';
import { acceptingEdge } from '../../test/fixtures.ts';
import { apiOffer } from '../../test/offer-setup.ts';
import { testApp } from '../../test/test-app.ts';
import { testDatabases } from '../../test/test-databases.ts';
import type { DatabaseHandle } from '../db/database.ts';
import { advertisers } from '../db/schema/advertisers.ts';
import { ApiError } from '../http/api-error.ts';

describe.each(testDatabases)('a suspended advertiser on $name', ({ open }) => {
  let handle: DatabaseHandle;
  let app: ReturnType<typeof testApp>;
  let admin: Session;
  const published: ConfigPublishRequest[] = [];
  let edgeDown = false;
  beforeAll(async () => {
    handle = await open();
    app = testApp(handle.db, {
      edge: {
        ...acceptingEdge,
        publish: async (request) => {
          if (edgeDown) throw new ApiError('edge_unavailable', 'The edge could not be reached.');
          published.push(request);
        },
      },
    });
    admin = await adminSession(app, handle.db);
  });
  afterAll(() => handle.close());

  const setStatus = (advertiserId: number, status: string) =>
    call(app, 'PATCH', `/api/v1/advertisers/${advertiserId}`, { token: admin.accessToken, body: { status } });
  /** The offer as the newest publication put it at the edge: its status, or 'removed'. */
  const atEdge = (offerId: number) => {
    for (const p of [...published].reverse()) {
      const upserted = p.upsert?.offers?.find((o) => o.id === offerId);
      if (upserted) return upserted.status;
      if (p.remove?.offers?.includes(offerId)) return 'removed';
    }
    return undefined;
  };
  const apiKey = async (session: Session) =>
    (
      (await (
        await call(app, 'POST', '/api/v1/api-keys', {
          token: session.accessToken,
          body: { name: 'server', scopes: ['offers:read'] },
        })
      ).json()) as { key: string }
    ).key;

  it('ends its users’ API access while suspended, and gives it back on reactivation', async () => {
    const email = uniqueEmail('suspended-adv');
    const advertiser = await signUp(app, 'advertiser', email);
    const key = await apiKey(advertiser);
    expect((await setStatus(advertiser.advertiserId!, 'suspended')).status).toBe(200);

    for (const token of [advertiser.accessToken, key]) {
      for (const [method, path] of [
        ['GET', '/api/v1/auth/me'],
        ['GET', '/api/v1/offers'],
        ['POST', '/api/v1/offers'],
      ] as const) {
        const r = await call(app, method, path, {
          token,
          body: { name: 'O', payoutType: 'cpa', destinationUrl: 'https://a.test/' },
        });
        expect([r.status, await errorCode(r)], `${method} ${path}`).toEqual([403, 'account_suspended']);
      }
    }
    const refreshed = await call(app, 'POST', '/api/v1/auth/refresh', {
      body: { refreshToken: advertiser.refreshToken },
    });
    expect([refreshed.status, await errorCode(refreshed)]).toEqual([403, 'account_suspended']);
    const login = await call(app, 'POST', '/api/v1/auth/login', { body: { email, password: PASSWORD } });
    expect([login.status, await errorCode(login)]).toEqual([403, 'account_suspended']);
    // A wrong password is still just wrong: the answer does not tell the account is suspended.
    const wrong = await call(app, 'POST', '/api/v1/auth/login', {
      body: { email, password: 'not the password' },
    });
    expect([wrong.status, await errorCode(wrong)]).toEqual([401, 'invalid_credentials']);

    expect((await setStatus(advertiser.advertiserId!, 'active')).status).toBe(200);
    // Nothing was revoked: the same session, key and refresh token work again.
    expect((await call(app, 'GET', '/api/v1/auth/me', { token: advertiser.accessToken })).status).toBe(200);
    expect((await call(app, 'GET', '/api/v1/auth/me', { token: key })).status).toBe(200);
    expect(
      (await call(app, 'POST', '/api/v1/auth/refresh', { body: { refreshToken: advertiser.refreshToken } }))
        .status,
    ).toBe(200);
    expect((await logIn(app, email)).userId).toBe(advertiser.userId);
  });

  it('pauses its offers at the edge in the same change, and puts them back as they were', async () => {
    const advertiser = await signUp(app, 'advertiser');
    const live = await apiOffer(app, advertiser, { status: 'active' });
    const paused = await apiOffer(app, advertiser, { status: 'paused' });
    const draft = await apiOffer(app, advertiser, { status: 'draft' });
    const other = await apiOffer(app, await signUp(app, 'advertiser'), { status: 'active' });
    expect([atEdge(live.id), atEdge(paused.id), atEdge(draft.id)]).toEqual(['active', 'paused', 'removed']);

    expect((await setStatus(advertiser.advertiserId!, 'suspended')).status).toBe(200);
    expect([atEdge(live.id), atEdge(paused.id), atEdge(draft.id)]).toEqual(['paused', 'paused', 'removed']);
    expect(atEdge(other.id)).toBe('active');
    // An admin's change of one of its offers meanwhile is published paused too.
    const edited = await call(app, 'PATCH', `/api/v1/offers/${live.id}`, {
      token: admin.accessToken,
      body: { name: 'Renamed while suspended' },
    });
    expect(edited.status).toBe(200);
    expect(atEdge(live.id)).toBe('paused');

    expect((await setStatus(advertiser.advertiserId!, 'active')).status).toBe(200);
    expect([atEdge(live.id), atEdge(paused.id), atEdge(draft.id)]).toEqual(['active', 'paused', 'removed']);
  });

  it('keeps the advertiser active when the edge cannot take its paused offers', async () => {
    const advertiser = await signUp(app, 'advertiser');
    const live = await apiOffer(app, advertiser, { status: 'active' });
    edgeDown = true;
    try {
      const response = await setStatus(advertiser.advertiserId!, 'suspended');
      expect([response.status, await errorCode(response)]).toEqual([502, 'edge_unavailable']);
    } finally {
      edgeDown = false;
    }
    const [row] = await handle.db
      .select()
      .from(advertisers)
      .where(eq(advertisers.id, advertiser.advertiserId!));
    expect(row?.status).toBe('active');
    expect(atEdge(live.id)).toBe('active');
    expect((await call(app, 'GET', '/api/v1/auth/me', { token: advertiser.accessToken })).status).toBe(200);
  });

  it('ends a suspended affiliate’s API access too, but not a pending one’s', async () => {
    const pending = await signUp(app, 'affiliate');
    expect((await call(app, 'GET', '/api/v1/auth/me', { token: pending.accessToken })).status).toBe(200);
    const suspend = await call(app, 'PATCH', `/api/v1/affiliates/${pending.affiliateId}`, {
      token: admin.accessToken,
      body: { status: 'suspended' },
    });
    expect(suspend.status).toBe(200);
    const me = await call(app, 'GET', '/api/v1/auth/me', { token: pending.accessToken });
    expect([me.status, await errorCode(me)]).toEqual([403, 'account_suspended']);
  });
});
