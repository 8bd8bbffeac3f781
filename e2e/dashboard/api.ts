import type { components } from '../../dashboard/app/api/schema.d.ts';

/** The control plane's types, as the dashboard's generated client knows them. */
export type Schemas = components['schemas'];

export class ApiRequestError extends Error {
  constructor(
    readonly status: number,
    readonly body: unknown,
    what: string,
  ) {
    super(`${what} answered ${status}: ${JSON.stringify(body)}`);
  }
}

/**
 * The control plane's API with one user's access token: for setup and for steps whose page has
 * not landed yet (each such call names the page in a TODO where it is made), and to read back
 * what a page claims.
 */
export type Api = {
  get<T>(path: string): Promise<T>;
  post<T>(path: string, body: unknown): Promise<T>;
  put<T>(path: string, body: unknown): Promise<T>;
  patch<T>(path: string, body: unknown): Promise<T>;
  /** A GET answered as it came (files such as statements, and statuses to check). */
  raw(path: string): Promise<Response>;
};

export async function apiAs(apiUrl: string, email: string, password: string): Promise<Api> {
  const session = await call<Schemas['SessionResponse']>(apiUrl, 'POST', '/api/v1/auth/login', null, {
    email,
    password,
  });
  const token = session.tokens.accessToken;
  return {
    get: (path) => call(apiUrl, 'GET', path, token),
    post: (path, body) => call(apiUrl, 'POST', path, token, body),
    put: (path, body) => call(apiUrl, 'PUT', path, token, body),
    patch: (path, body) => call(apiUrl, 'PATCH', path, token, body),
    raw: (path) => fetch(`${apiUrl}${path}`, { headers: { authorization: `Bearer ${token}` } }),
  };
}

async function call<T>(
  apiUrl: string,
  method: string,
  path: string,
  token: string | null,
  body?: unknown,
): Promise<T> {
  const response = await fetch(`${apiUrl}${path}`, {
    method,
    headers: {
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  const parsed: unknown = text ? JSON.parse(text) : null;
  if (!response.ok) throw new ApiRequestError(response.status, parsed, `${method} ${path}`);
  return parsed as T;
}
