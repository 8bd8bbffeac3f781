import { createUser } from '../src/accounts/account-service.ts';
import type { AppDeps } from '../src/app.ts';
import type { Database } from '../src/db/database.ts';
import { CLIENT_IP_HEADER, sentMail, type testApp } from './test-app.ts';

export type TestApp = ReturnType<typeof testApp>;
export const PASSWORD = 'correct horse battery staple';

/** A JSON request to the app, as `token` (access token or API key) from `ip`. */
export function call(
  app: TestApp,
  method: string,
  path: string,
  options: { body?: unknown; token?: string | undefined; ip?: string; rawBody?: string } = {},
) {
  const headers: Record<string, string> = { [CLIENT_IP_HEADER]: options.ip ?? '198.51.100.1' };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  let body: string | undefined;
  // GET and DELETE carry no body, whatever the test passes.
  if (
    (options.rawBody !== undefined || options.body !== undefined) &&
    method !== 'GET' &&
    method !== 'HEAD'
  ) {
    headers['content-type'] = 'application/json';
    body = options.rawBody ?? JSON.stringify(options.body);
  }
  return app.request(path, { method, headers, ...(body !== undefined ? { body } : {}) });
}

export type Session = {
  userId: string;
  accessToken: string;
  refreshToken: string;
  advertiserId: number | null;
  affiliateId: number | null;
};

let counter = 0;
export const uniqueEmail = (what: string) => `${what}-${Date.now()}-${counter++}@example.test`;

let signUps = 0;
/**
 * A client address of its own for each sign-up the helper makes, as if each came from another
 * person: sign-ups are limited per client address, and a test file (some on a fixed clock) may
 * sign up more users than one address may in an hour.
 */
const signUpIp = () => {
  const n = signUps++;
  return `100.${64 + ((n >> 16) & 63)}.${(n >> 8) & 255}.${n & 255}`;
};

/**
 * Signs up an advertiser or affiliate through the API, follows the emailed verification link as
 * its owner would (entering the password chosen at sign-up, which verification requires), and
 * returns the session that opens.
 */
export async function signUp(
  app: TestApp,
  role: 'advertiser' | 'affiliate',
  email = uniqueEmail(role),
): Promise<Session> {
  const response = await call(app, 'POST', '/api/v1/auth/register', {
    body: { email, password: PASSWORD, role, companyName: `${role} co` },
    ip: signUpIp(),
  });
  if (response.status !== 202) throw new Error(`sign-up failed: ${response.status} ${await response.text()}`);
  const token = verificationToken(app, email);
  if (!token) throw new Error(`no verification mail for ${email}`);
  const verified = await call(app, 'POST', '/api/v1/auth/verify-email', {
    body: { token, password: PASSWORD },
  });
  if (verified.status !== 200) {
    throw new Error(`verification failed: ${verified.status} ${await verified.text()}`);
  }
  return sessionOf(await verified.json());
}

/** The token of the latest verification link mailed to `email` by `app`, if any. */
export function verificationToken(app: TestApp, email: string): string | undefined {
  const mail = sentMail(app)
    .filter((m) => m.to === email.trim().toLowerCase() && m.text.includes('/verify-email?token='))
    .at(-1);
  return /\/verify-email\?token=([A-Za-z0-9_-]{43})/.exec(mail?.text ?? '')?.[1];
}

/** An admin, created as an admin creates one, logged in through the API. */
export async function adminSession(app: TestApp, db: Database): Promise<Session> {
  const email = uniqueEmail('admin');
  await createUser({ db }, { email, password: PASSWORD, role: 'admin' });
  return logIn(app, email);
}

export async function logIn(app: TestApp, email: string, password = PASSWORD, ip?: string): Promise<Session> {
  const response = await call(app, 'POST', '/api/v1/auth/login', {
    body: { email, password },
    ...(ip ? { ip } : {}),
  });
  if (response.status !== 200) throw new Error(`login failed: ${response.status} ${await response.text()}`);
  return sessionOf(await response.json());
}

function sessionOf(json: unknown): Session {
  const body = json as {
    user: { id: string; advertiserId: number | null; affiliateId: number | null };
    tokens: { accessToken: string; refreshToken: string };
  };
  return {
    userId: body.user.id,
    accessToken: body.tokens.accessToken,
    refreshToken: body.tokens.refreshToken,
    advertiserId: body.user.advertiserId,
    affiliateId: body.user.affiliateId,
  };
}

export async function errorCode(response: Response): Promise<string> {
  return ((await response.json()) as { error: { code: string } }).error.code;
}

export type { AppDeps };
