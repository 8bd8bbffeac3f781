import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, errorCode, signUp } from '../../test/api-client.ts';
import { testApp } from '../../test/test-app.ts';
import { testDatabases } from '../../test/test-databases.ts';
import type { DatabaseHandle } from '../db/database.ts';

describe.each(testDatabases)('/api/v1/postback-deliveries bad input on $name', ({ open }) => {
  let handle: DatabaseHandle;
  let app: ReturnType<typeof testApp>;
  beforeAll(async () => {
    handle = await open();
    app = testApp(handle.db);
  });
  afterAll(() => handle.close());

  it('answers not_found for an unknown delivery and invalid_request for a malformed id', async () => {
    const affiliate = await signUp(app, 'affiliate');
    const unknown = await call(app, 'POST', `/api/v1/postback-deliveries/${crypto.randomUUID()}/replay`, {
      token: affiliate.accessToken,
    });
    expect([unknown.status, await errorCode(unknown)]).toEqual([404, 'not_found']);
    const malformed = await call(app, 'GET', '/api/v1/postback-deliveries/not-a-uuid/attempts', {
      token: affiliate.accessToken,
    });
    expect([malformed.status, await errorCode(malformed)]).toEqual([400, 'invalid_request']);
    const badState = await call(app, 'GET', '/api/v1/postback-deliveries?state=lost', {
      token: affiliate.accessToken,
    });
    expect([badState.status, await errorCode(badState)]).toEqual([400, 'invalid_request']);
  });
});
