import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminSession, call, type Session, signUp } from '../../test/api-client.ts';
import { testApp } from '../../test/test-app.ts';
import { testDatabases } from '../../test/test-databases.ts';
import type { DatabaseHandle } from '../db/database.ts';

describe.each(testDatabases)('/api/v1/advertisers on $name', ({ open }) => {
  let handle: DatabaseHandle;
  let app: ReturnType<typeof testApp>;
  let admin: Session;
  beforeAll(async () => {
    handle = await open();
    app = testApp(handle.db);
    admin = await adminSession(app, handle.db);
  });
  afterAll(() => handle.close());

  it('lets an admin create, list, read and change advertisers', async () => {
    const created = await call(app, 'POST', '/api/v1/advertisers', {
      token: admin.accessToken,
      body: { companyName: 'Acme', websiteUrl: 'https://acme.example', contactEmail: 'ads@acme.example' },
    });
    expect(created.status).toBe(201);
    const advertiser = (await created.json()) as { id: number };
    expect(advertiser).toMatchObject({ companyName: 'Acme', status: 'active' });

    const list = await call(app, 'GET', '/api/v1/advertisers?limit=200', { token: admin.accessToken });
    expect(((await list.json()) as { data: { id: number }[] }).data.map((a) => a.id)).toContain(
      advertiser.id,
    );

    const changed = await call(app, 'PATCH', `/api/v1/advertisers/${advertiser.id}`, {
      token: admin.accessToken,
      body: { status: 'suspended', billingAddress: '1 Main St' },
    });
    expect(await changed.json()).toMatchObject({ status: 'suspended', billingAddress: '1 Main St' });
    const read = await call(app, 'GET', `/api/v1/advertisers/${advertiser.id}`, { token: admin.accessToken });
    expect(await read.json()).toMatchObject({ id: advertiser.id, status: 'suspended' });
  });

  it('pages through advertisers by id', async () => {
    for (const name of ['P1', 'P2', 'P3']) {
      await call(app, 'POST', '/api/v1/advertisers', {
        token: admin.accessToken,
        body: { companyName: name },
      });
    }
    const seen: number[] = [];
    let after: number | null = null;
    do {
      const response = await call(
        app,
        'GET',
        `/api/v1/advertisers?limit=2${after ? `&after=${after}` : ''}`,
        {
          token: admin.accessToken,
        },
      );
      const page = (await response.json()) as { data: { id: number }[]; nextAfter: number | null };
      seen.push(...page.data.map((a) => a.id));
      after = page.nextAfter;
    } while (after);
    expect(seen).toEqual([...seen].sort((a, b) => a - b));
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen.length).toBeGreaterThanOrEqual(3);
  });

  it('lets an advertiser user read and edit its own profile', async () => {
    const advertiser = await signUp(app, 'advertiser');
    const list = await call(app, 'GET', '/api/v1/advertisers', { token: advertiser.accessToken });
    expect(((await list.json()) as { data: { id: number }[] }).data.map((a) => a.id)).toEqual([
      advertiser.advertiserId,
    ]);
    const changed = await call(app, 'PATCH', `/api/v1/advertisers/${advertiser.advertiserId}`, {
      token: advertiser.accessToken,
      body: { contactPhone: '+49 30 1234' },
    });
    expect(changed.status).toBe(200);
    expect(await changed.json()).toMatchObject({ contactPhone: '+49 30 1234' });
  });
});
