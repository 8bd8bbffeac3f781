import { count } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminSession, call, errorCode, type Session } from '../../test/api-client.ts';
import { testApp } from '../../test/test-app.ts';
import { testDatabases } from '../../test/test-databases.ts';
import type { DatabaseHandle } from '../db/database.ts';
import { advertisers } from '../db/schema/advertisers.ts';

describe.each(testDatabases)('/api/v1/advertisers bad input on $name', ({ open }) => {
  let handle: DatabaseHandle;
  let app: ReturnType<typeof testApp>;
  let admin: Session;
  beforeAll(async () => {
    handle = await open();
    app = testApp(handle.db);
    admin = await adminSession(app, handle.db);
  });
  afterAll(() => handle.close());
  const total = async () => (await handle.db.select({ n: count() }).from(advertisers))[0]?.n ?? 0;

  it('refuses invalid bodies, ids and queries with 400 and stores nothing', async () => {
    const before = await total();
    const cases: [string, string, Parameters<typeof call>[3]][] = [
      ['POST', '/api/v1/advertisers', { rawBody: '{' }],
      ['POST', '/api/v1/advertisers', { body: {} }],
      ['POST', '/api/v1/advertisers', { body: { companyName: '   ' } }],
      ['POST', '/api/v1/advertisers', { body: { companyName: 'X', websiteUrl: 'javascript:alert(1)' } }],
      ['POST', '/api/v1/advertisers', { body: { companyName: 'X', contactEmail: 'nope' } }],
      ['POST', '/api/v1/advertisers', { body: { companyName: 'X', status: 'deleted' } }],
      ['POST', '/api/v1/advertisers', { body: { companyName: 'x'.repeat(201) } }],
      ['GET', '/api/v1/advertisers/abc', {}],
      ['GET', '/api/v1/advertisers/0', {}],
      ['GET', '/api/v1/advertisers/99999999999', {}],
      ['GET', '/api/v1/advertisers?limit=0', {}],
      ['GET', '/api/v1/advertisers?limit=1000', {}],
      ['GET', '/api/v1/advertisers?after=-1', {}],
      ['PATCH', '/api/v1/advertisers/1', { body: { companyName: '' } }],
    ];
    for (const [method, path, options] of cases) {
      const response = await call(app, method, path, { token: admin.accessToken, ...options });
      expect(response.status, `${method} ${path} ${JSON.stringify(options)}`).toBe(400);
      expect(['invalid_request', 'invalid_json']).toContain(await errorCode(response));
    }
    expect(await total()).toBe(before);
  });

  it('answers 404 for an advertiser that does not exist', async () => {
    for (const method of ['GET', 'PATCH']) {
      const response = await call(app, method, '/api/v1/advertisers/424242', {
        token: admin.accessToken,
        body: { companyName: 'Y' },
      });
      expect([response.status, await errorCode(response)]).toEqual([404, 'not_found']);
    }
  });
});
