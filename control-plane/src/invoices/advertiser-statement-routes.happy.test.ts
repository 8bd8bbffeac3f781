import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, type Session } from '../../test/api-client.ts';
import { owingWorld, thisMonth } from '../../test/invoice-setup.ts';
import { testApp } from '../../test/test-app.ts';
import { testDatabases } from '../../test/test-databases.ts';
import type { DatabaseHandle } from '../db/database.ts';

describe.each(testDatabases)('/api/v1/advertisers/{id}/statements on $name', ({ open }) => {
  let handle: DatabaseHandle;
  let app: ReturnType<typeof testApp>;
  let admin: Session;
  let advertiser: Session;

  beforeAll(async () => {
    handle = await open();
    app = testApp(handle.db);
    ({ admin, advertiser } = await owingWorld(app, handle.db));
  });
  afterAll(() => handle.close());

  const path = (query: string) => `/api/v1/advertisers/${advertiser.advertiserId}/statements?${query}`;

  it("gives an advertiser its period's statement as HTML", async () => {
    const response = await call(app, 'GET', path(`period=${thisMonth().name}&currency=USD`), {
      token: advertiser.accessToken,
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    const html = await response.text();
    expect(html).toContain('Advertiser statement');
    expect(html).toContain(`ST-${thisMonth().name}-ADV-${advertiser.advertiserId}-USD`);
    expect(html).toContain('conversions charged');
    expect(html).toContain('Closing balance');
    expect(html).toContain('-$100.00');
  });

  it('gives an admin any advertiser’s statement as PDF, by week too', async () => {
    const week = thisMonth().name.replace(/-\d\d$/, '-W10');
    for (const period of [thisMonth().name, week]) {
      const response = await call(app, 'GET', path(`period=${period}&currency=USD&format=pdf`), {
        token: admin.accessToken,
      });
      expect(response.status, period).toBe(200);
      expect(response.headers.get('content-type')).toBe('application/pdf');
      expect(response.headers.get('content-disposition')).toBe(
        `inline; filename="statement-${period}-advertiser-${advertiser.advertiserId}-USD.pdf"`,
      );
      expect(
        Buffer.from(await response.arrayBuffer())
          .subarray(0, 5)
          .toString(),
      ).toBe('%PDF-');
    }
  });
});
