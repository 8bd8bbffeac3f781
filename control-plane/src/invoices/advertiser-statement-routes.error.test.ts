import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminSession, call, errorCode } from '../../test/api-client.ts';
import { testApp } from '../../test/test-app.ts';
import { testDatabases } from '../../test/test-databases.ts';
import type { DatabaseHandle } from '../db/database.ts';
import { advertisers } from '../db/schema/advertisers.ts';

describe.each(testDatabases)('/api/v1/advertisers/{id}/statements errors on $name', ({ open }) => {
  let handle: DatabaseHandle;
  let app: ReturnType<typeof testApp>;
  let token: string;
  let advertiserId: number;
  beforeAll(async () => {
    handle = await open();
    app = testApp(handle.db);
    token = (await adminSession(app, handle.db)).accessToken;
    const [row] = await handle.db.insert(advertisers).values({ companyName: 'Quiet Co' }).returning();
    advertiserId = row!.id;
  });
  afterAll(() => handle.close());

  it('refuses a malformed period, currency or format', async () => {
    for (const query of [
      'currency=USD',
      'period=2026-13&currency=USD',
      'period=2026-11-01&currency=USD',
      'period=2025-W53&currency=USD',
      'period=2026-11',
      'period=2026-11&currency=usd',
      'period=2026-11&currency=USD&format=csv',
    ]) {
      const response = await call(app, 'GET', `/api/v1/advertisers/${advertiserId}/statements?${query}`, {
        token,
      });
      expect([response.status, await errorCode(response)], query).toEqual([400, 'invalid_request']);
    }
    const badId = await call(app, 'GET', '/api/v1/advertisers/x/statements?period=2026-11&currency=USD', {
      token,
    });
    expect(badId.status).toBe(400);
  });

  it('answers 404 for an advertiser that does not exist, and an empty statement for a quiet one', async () => {
    const missing = await call(
      app,
      'GET',
      '/api/v1/advertisers/999999/statements?period=2026-11&currency=USD',
      {
        token,
      },
    );
    expect([missing.status, await errorCode(missing)]).toEqual([404, 'not_found']);
    const quiet = await call(
      app,
      'GET',
      `/api/v1/advertisers/${advertiserId}/statements?period=2026-11&currency=EUR`,
      {
        token,
      },
    );
    expect(quiet.status).toBe(200);
    expect(await quiet.text()).toContain('Nothing in this period.');
  });
});
