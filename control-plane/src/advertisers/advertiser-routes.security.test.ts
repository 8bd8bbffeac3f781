import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminSession, call, errorCode, type Session, signUp } from '../../test/api-client.ts';
import { testApp } from '../../test/test-app.ts';
import { testDatabases } from '../../test/test-databases.ts';
import type { DatabaseHandle } from '../db/database.ts';
import { advertisers } from '../db/schema/advertisers.ts';

describe.each(testDatabases)('/api/v1/advertisers access on $name', ({ open }) => {
  let handle: DatabaseHandle;
  let app: ReturnType<typeof testApp>;
  let admin: Session;
  let mine: Session;
  let theirs: Session;
  let affiliate: Session;
  beforeAll(async () => {
    handle = await open();
    app = testApp(handle.db);
    admin = await adminSession(app, handle.db);
    mine = await signUp(app, 'advertiser');
    theirs = await signUp(app, 'advertiser');
    affiliate = await signUp(app, 'affiliate');
  });
  afterAll(() => handle.close());

  it('requires a credential on every route', async () => {
    for (const [method, path] of [
      ['GET', '/api/v1/advertisers'],
      ['GET', `/api/v1/advertisers/${mine.advertiserId}`],
      ['POST', '/api/v1/advertisers'],
      ['PATCH', `/api/v1/advertisers/${mine.advertiserId}`],
    ] as const) {
      const response = await call(app, method, path, { body: { companyName: 'X' } });
      expect([response.status, await errorCode(response)], `${method} ${path}`).toEqual([
        401,
        'unauthorized',
      ]);
    }
  });

  it('hides other advertisers from an advertiser, and lets it change neither them nor its own status', async () => {
    const other = `/api/v1/advertisers/${theirs.advertiserId}`;
    expect((await call(app, 'GET', other, { token: mine.accessToken })).status).toBe(404);
    const patchOther = await call(app, 'PATCH', other, {
      token: mine.accessToken,
      body: { companyName: 'Mine now' },
    });
    expect(patchOther.status).toBe(404);
    const ownStatus = await call(app, 'PATCH', `/api/v1/advertisers/${mine.advertiserId}`, {
      token: mine.accessToken,
      body: { status: 'active' },
    });
    expect([ownStatus.status, await errorCode(ownStatus)]).toEqual([403, 'forbidden']);
    const create = await call(app, 'POST', '/api/v1/advertisers', {
      token: mine.accessToken,
      body: { companyName: 'X' },
    });
    expect(create.status).toBe(403);
    const [stored] = await handle.db
      .select()
      .from(advertisers)
      .where(eq(advertisers.id, theirs.advertiserId!));
    expect(stored?.companyName).toBe('advertiser co');
  });

  it('keeps affiliates out entirely', async () => {
    for (const [method, path] of [
      ['GET', '/api/v1/advertisers'],
      ['GET', `/api/v1/advertisers/${mine.advertiserId}`],
      ['POST', '/api/v1/advertisers'],
      ['PATCH', `/api/v1/advertisers/${mine.advertiserId}`],
    ] as const) {
      const response = await call(app, method, path, {
        token: affiliate.accessToken,
        body: { companyName: 'X' },
      });
      expect([response.status, await errorCode(response)], `${method} ${path}`).toEqual([403, 'forbidden']);
    }
  });

  it('holds API keys to their scopes', async () => {
    const readOnly = (await (
      await call(app, 'POST', '/api/v1/api-keys', {
        token: admin.accessToken,
        body: { name: 'ro', scopes: ['advertisers:read'] },
      })
    ).json()) as { key: string };
    expect((await call(app, 'GET', '/api/v1/advertisers', { token: readOnly.key })).status).toBe(200);
    const write = await call(app, 'POST', '/api/v1/advertisers', {
      token: readOnly.key,
      body: { companyName: 'X' },
    });
    expect([write.status, await errorCode(write)]).toEqual([403, 'forbidden']);
    const offersOnly = (await (
      await call(app, 'POST', '/api/v1/api-keys', {
        token: admin.accessToken,
        body: { name: 'o', scopes: ['offers:read'] },
      })
    ).json()) as { key: string };
    expect((await call(app, 'GET', '/api/v1/advertisers', { token: offersOnly.key })).status).toBe(403);
  });
});
