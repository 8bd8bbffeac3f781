import createClient from 'openapi-fetch';
import { RouterContextProvider } from 'react-router';
import type { paths } from '~/api/schema';
import type { ApiClient } from '~/lib/api.server';
import { authContext, type Viewer } from '~/lib/auth.server';

export type FakeRequest = { method: string; path: string; query: URLSearchParams; body: unknown };
export type FakeAnswer = { status?: number; body: unknown };

/**
 * For route tests: an API client whose requests a function answers (recorded for assertions),
 * and the router context a signed-in page's loader and action read it from.
 */
export function fakeApi(answer: (request: FakeRequest) => FakeAnswer | undefined) {
  const requests: FakeRequest[] = [];
  const api: ApiClient = createClient<paths>({
    baseUrl: 'http://api.test',
    fetch: async (request: Request) => {
      const url = new URL(request.url);
      const text = request.method === 'GET' ? '' : await request.text();
      const recorded = {
        method: request.method,
        path: url.pathname,
        query: url.searchParams,
        body: text ? JSON.parse(text) : undefined,
      };
      requests.push(recorded);
      const found = answer(recorded) ?? {
        status: 404,
        body: { error: { code: 'not_found', message: 'Not found.', requestId: 'test' } },
      };
      return Response.json(found.body, { status: found.status ?? 200 });
    },
  });
  return { api, requests };
}

export function testViewer(role: Viewer['role']): Viewer {
  return {
    id: '00000000-0000-4000-8000-000000000001',
    email: `${role}@tas.test`,
    role,
    firstName: null,
    lastName: null,
    isActive: true,
    advertiserId: role === 'advertiser' ? 1 : null,
    affiliateId: role === 'affiliate' ? 1 : null,
    createdAt: '2026-11-01T00:00:00.000Z',
  };
}

export function signedInContext(api: ApiClient, role: Viewer['role']): RouterContextProvider {
  const context = new RouterContextProvider();
  context.set(authContext, { api, viewer: testViewer(role) });
  return context;
}
