import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminSession, call, errorCode, signUp } from '../../test/api-client.ts';
import { testApp } from '../../test/test-app.ts';
import { testDatabases } from '../../test/test-databases.ts';
import { signedIngest } from '../../test/tracking-events.ts';
import type { DatabaseHandle } from '../db/database.ts';
import { ingestQuarantine } from '../db/schema/ingest-quarantine.ts';

describe.each(testDatabases)('/api/v1/ingest-quarantine access on $name', ({ open }) => {
  let handle: DatabaseHandle;
  let app: ReturnType<typeof testApp>;
  beforeAll(async () => {
    handle = await open();
    app = testApp(handle.db);
  });
  afterAll(() => handle.close());

  it('is for admins in a session only: bodies hold visitors ip addresses and user agents', async () => {
    await app.request(
      '/internal/ingest',
      await signedIngest({ events: [{ type: 'click', ip: '198.51.100.7' }] }),
    );
    const admin = await adminSession(app, handle.db);
    const key = (await (
      await call(app, 'POST', '/api/v1/api-keys', {
        token: admin.accessToken,
        body: { name: 'k', scopes: ['offers:write'] },
      })
    ).json()) as { key: string };
    const callers: [string | undefined, number][] = [
      [undefined, 401],
      [(await signUp(app, 'advertiser')).accessToken, 403],
      [(await signUp(app, 'affiliate')).accessToken, 403],
      [key.key, 403],
    ];
    for (const [token, status] of callers) {
      const listed = await call(app, 'GET', '/api/v1/ingest-quarantine', { token });
      expect(listed.status).toBe(status);
      expect(['unauthorized', 'forbidden']).toContain(await errorCode(listed));
      const replay = await call(app, 'POST', '/api/v1/ingest-quarantine/replay', { token, body: {} });
      expect(replay.status).toBe(status);
    }
    const rows = await handle.db.select().from(ingestQuarantine);
    expect(rows).toHaveLength(1);
    expect(rows[0]?.replayedAt).toBeNull();
  });
});
