import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminSession, call, errorCode, signUp } from '../../test/api-client.ts';
import { startEdgeRecorder } from '../../test/edge-recorder.ts';
import { testApp } from '../../test/test-app.ts';
import { testDatabases } from '../../test/test-databases.ts';
import type { DatabaseHandle } from '../db/database.ts';
import { createEdgePublisher } from '../edge-sync/edge-publisher.ts';

describe.each(testDatabases)('/api/v1/system access on $name', ({ open }) => {
  let handle: DatabaseHandle;
  let recorder: Awaited<ReturnType<typeof startEdgeRecorder>>;
  let app: ReturnType<typeof testApp>;
  beforeAll(async () => {
    handle = await open();
    recorder = await startEdgeRecorder();
    app = testApp(handle.db, { edge: recorder.edge });
  });
  afterAll(async () => {
    await recorder.close();
    await handle.close();
  });

  it('is for admins in a session only, and a refused caller never reaches the edge', async () => {
    recorder.storeDeadLetters(5);
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
      for (const [method, path] of [
        ['GET', '/api/v1/system/status'],
        ['GET', '/api/v1/system/dead-letters'],
        ['POST', '/api/v1/system/dead-letters/replay'],
      ] as const) {
        const response = await call(app, method, path, { token });
        expect(response.status, `${path} ${status}`).toBe(status);
        expect(['unauthorized', 'forbidden']).toContain(await errorCode(response));
      }
    }
    expect(recorder.deadLetterCalls).toEqual([]);
    const counted = await call(app, 'GET', '/api/v1/system/dead-letters', { token: admin.accessToken });
    expect(await counted.json()).toEqual({ stored: 5 });
  });

  it('signs what it sends the edge: the edge refuses a publisher with another secret', async () => {
    const admin = await adminSession(app, handle.db);
    const forged = testApp(handle.db, {
      edge: createEdgePublisher({ edgeUrl: recorder.url, signingSecret: 'not-the-config-secret-0123456789' }),
    });
    const response = await call(forged, 'POST', '/api/v1/system/dead-letters/replay', {
      token: admin.accessToken,
    });
    expect([response.status, await errorCode(response)]).toEqual([502, 'edge_unavailable']);
  });
});
