import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, errorCode } from '../../test/api-client.ts';
import { reportWorld } from '../../test/report-setup.ts';
import { readSse } from '../../test/sse-reader.ts';
import { testApp } from '../../test/test-app.ts';
import { testDatabases } from '../../test/test-databases.ts';
import type { DatabaseHandle } from '../db/database.ts';

describe.each(testDatabases)('/api/v1/live access on $name', ({ open }) => {
  let handle: DatabaseHandle;
  let app: ReturnType<typeof testApp>;
  beforeAll(async () => {
    handle = await open();
    app = testApp(handle.db, { livePollMs: 50 });
  });
  afterAll(() => handle.close());

  it('requires a credential and shows each one only its own events', async () => {
    const anonymous = await call(app, 'GET', '/api/v1/live');
    expect([anonymous.status, await errorCode(anonymous)]).toEqual([401, 'unauthorized']);
    const w = await reportWorld(app, handle.db);
    const since = new Date(Date.now() - 60_000).toISOString();
    const settle = (events: { event: string }[]) => events.length >= 4;
    const [aff2 = [], adv2 = []] = await Promise.all(
      [w.aff2, w.adv2].map(async (s) =>
        readSse(
          await call(app, 'GET', `/api/v1/live?since=${since}`, { token: s.accessToken }),
          settle,
          1_000,
        ),
      ),
    );
    // aff2 has one click and one conversion, on the USD offer; adv2 owns only the EUR offer, with
    // one click and two conversions (one rejected: the feed shows it, with its status).
    expect(
      aff2.filter((e) => e.event !== 'ready').map((e) => [e.event, JSON.parse(e.data).affiliateId]),
    ).toEqual([
      ['click', w.aff2.affiliateId],
      ['conversion', w.aff2.affiliateId],
    ]);
    expect(
      adv2.filter((e) => e.event !== 'ready').every((e) => JSON.parse(e.data).offerId === w.eur.id),
    ).toBe(true);
    expect(adv2.filter((e) => e.event !== 'ready')).toHaveLength(3);
  });
});
