import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ZodError } from 'zod';
import { call, logIn, uniqueEmail } from '../../test/api-client.ts';
import { testApp } from '../../test/test-app.ts';
import { testDatabases } from '../../test/test-databases.ts';
import type { DatabaseHandle } from '../db/database.ts';
import { auditEvents } from '../db/schema/audit-events.ts';
import { ApiError } from '../http/api-error.ts';
import { createAdminFromCommandLine } from './create-admin.ts';

const PASSWORD = 'first-admin-password-2026';

describe.each(testDatabases)('an admin made from the command line, on $name', ({ open }) => {
  let handle: DatabaseHandle;
  let app: ReturnType<typeof testApp>;
  beforeAll(async () => {
    handle = await open();
    app = testApp(handle.db);
  });
  afterAll(() => handle.close());

  it('signs in at once as an admin, and the audit log says it came from the command line', async () => {
    const email = uniqueEmail('first-admin');
    const user = await createAdminFromCommandLine(handle.db, { email, password: PASSWORD, firstName: 'Ops' });
    expect(user).toMatchObject({ role: 'admin', isActive: true, firstName: 'Ops' });
    expect(user.emailVerifiedAt).not.toBeNull();

    const session = await logIn(app, email, PASSWORD);
    const users = await call(app, 'GET', '/api/v1/users', { token: session.accessToken });
    expect(users.status).toBe(200);

    const [audit] = await handle.db.select().from(auditEvents).where(eq(auditEvents.subjectId, user.id));
    expect(audit).toMatchObject({
      action: 'user.created',
      actorUserId: null,
      detail: { email, role: 'admin', via: 'command line' },
    });
  });

  it('refuses an email already taken and a password under the policy, creating nothing', async () => {
    const email = uniqueEmail('taken');
    await createAdminFromCommandLine(handle.db, { email, password: PASSWORD });
    await expect(createAdminFromCommandLine(handle.db, { email, password: PASSWORD })).rejects.toBeInstanceOf(
      ApiError,
    );
    await expect(
      createAdminFromCommandLine(handle.db, { email: uniqueEmail('short'), password: 'short' }),
    ).rejects.toBeInstanceOf(ZodError);
  });
});
