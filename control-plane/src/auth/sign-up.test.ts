import { count } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { PASSWORD, uniqueEmail } from '../../test/api-client.ts';
import { acceptingEdge } from '../../test/fixtures.ts';
import { testDatabases } from '../../test/test-databases.ts';
import type { DatabaseHandle } from '../db/database.ts';
import { users } from '../db/schema/users.ts';
import type { MailMessage } from '../mail/mailer.ts';
import { countMailRequest, MAIL_THROTTLE } from './mail-throttle.ts';
import { hashPassword } from './passwords.ts';
import { signUp } from './sign-up.ts';

vi.mock('./passwords.ts', async (original) => {
  const actual = await original<typeof import('./passwords.ts')>();
  return { ...actual, hashPassword: vi.fn(actual.hashPassword) };
});

describe.each(testDatabases)('signUp on $name', ({ open }) => {
  let handle: DatabaseHandle;
  const sent: MailMessage[] = [];
  let deps: Parameters<typeof signUp>[0];
  beforeAll(async () => {
    handle = await open();
    deps = {
      db: handle.db,
      edge: acceptingEdge,
      mailer: { send: async (m) => void sent.push(m) },
      publicAppUrl: 'http://app.test',
    };
  });
  afterAll(() => handle.close());

  const input = (email: string) => ({
    email,
    password: PASSWORD,
    role: 'affiliate' as const,
    companyName: 'C',
  });

  it('does the same argon2 work for a taken address as for a new one, creating nothing', async () => {
    const email = uniqueEmail('same-work');
    vi.mocked(hashPassword).mockClear();
    await (await signUp(deps, input(email), '192.0.2.1')).sending;
    expect(vi.mocked(hashPassword)).toHaveBeenCalledTimes(1);
    const [before] = await handle.db.select({ n: count() }).from(users);

    vi.mocked(hashPassword).mockClear();
    await (await signUp(deps, input(email.toUpperCase()), '192.0.2.1')).sending;
    expect(vi.mocked(hashPassword)).toHaveBeenCalledTimes(1);
    expect(vi.mocked(hashPassword)).toHaveBeenCalledWith(PASSWORD);
    expect(await handle.db.select({ n: count() }).from(users)).toEqual([before]);
    expect(sent.filter((m) => m.to === email).map((m) => m.subject)).toEqual([
      'Confirm your email address for TAS',
      'Someone tried to sign up to TAS with your address',
    ]);
  });

  it('over the limit does the same argon2 work, creating and sending nothing', async () => {
    const ip = '192.0.2.2';
    const now = new Date();
    for (let i = 0; i < MAIL_THROTTLE.perIp; i++) {
      await countMailRequest(handle.db, 'sign-up', `filler-${i}@example.test`, ip, now);
    }
    const taken = uniqueEmail('taken');
    await (await signUp(deps, input(taken), '192.0.2.3')).sending;
    const [before] = await handle.db.select({ n: count() }).from(users);
    const mailed = sent.length;
    for (const email of [uniqueEmail('new'), taken]) {
      vi.mocked(hashPassword).mockClear();
      await (await signUp(deps, input(email), ip)).sending;
      expect(vi.mocked(hashPassword)).toHaveBeenCalledTimes(1);
      expect(vi.mocked(hashPassword)).toHaveBeenCalledWith(PASSWORD);
    }
    expect(await handle.db.select({ n: count() }).from(users)).toEqual([before]);
    expect(sent.length).toBe(mailed);
  });
});
