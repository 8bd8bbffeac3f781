import type { ApiClient } from '~/lib/api.server';
import type { Auth } from '~/lib/auth.server';
import type { ReportRow, Role } from './report-view';

export type ReportCall = Record<string, string>;

/** A report row with every count at zero but those given. */
export function row(overrides: Partial<ReportRow> & { currency?: string }): ReportRow {
  return {
    period: null,
    currency: 'USD',
    clicks: 0,
    uniqueClicks: 0,
    cleanClicks: 0,
    invalidClicks: 0,
    botClicks: 0,
    duplicateClicks: 0,
    blockedClicks: 0,
    velocityClicks: 0,
    conversions: 0,
    approvedConversions: 0,
    pendingConversions: 0,
    rejectedConversions: 0,
    cr: null,
    ...overrides,
  };
}

/**
 * The signed-in context a loader reads with authOf, with an API client that answers reports by
 * `reports(query)` (null: refused with 400) and lists offers, affiliates and advertisers by name, and records every report
 * query it was asked.
 */
export function fakeAuth(role: Role, reports: (query: ReportCall) => ReportRow[] | null) {
  const calls: ReportCall[] = [];
  const lists: Record<string, { id: number; name?: string; companyName?: string }[]> = {
    '/api/v1/offers': [
      { id: 1, name: 'Acme first order' },
      { id: 2, name: 'Globex hotels' },
    ],
    '/api/v1/affiliates': [{ id: 7, companyName: 'Northwind Deals' }],
    '/api/v1/advertisers': [{ id: 3, companyName: 'Acme Shop' }],
    '/api/v1/creatives': [],
  };
  const api = {
    GET: async (path: string, init?: { params?: { query?: Record<string, unknown> } }) => {
      const query = Object.fromEntries(
        Object.entries(init?.params?.query ?? {}).map(([k, v]) => [k, String(v)]),
      );
      if (path === '/api/v1/reports') {
        calls.push(query);
        const rows = reports(query);
        // null: the API refuses, as it does a report of too many rows.
        if (rows === null) {
          return {
            error: {
              error: {
                code: 'invalid_request',
                message: 'More than 200000 rows: narrow the dates.',
                requestId: 'r',
              },
            },
            response: new Response(null, { status: 400 }),
          };
        }
        return { data: { data: rows }, response: new Response(null, { status: 200 }) };
      }
      return {
        data: { data: lists[path] ?? [], nextAfter: null },
        response: new Response(null, { status: 200 }),
      };
    },
  } as unknown as ApiClient;
  const auth = {
    api,
    viewer: {
      id: 'u1',
      email: `${role}@example.test`,
      role,
      advertiserId: role === 'advertiser' ? 3 : null,
      affiliateId: role === 'affiliate' ? 7 : null,
    },
  } as unknown as Auth;
  const context = { get: () => auth };
  return { calls, context };
}

/** Recharts measures its box with ResizeObserver, which jsdom lacks. */
export function stubResizeObserver() {
  if (!('ResizeObserver' in globalThis)) {
    (globalThis as { ResizeObserver?: unknown }).ResizeObserver = class {
      observe() {}
      unobserve() {}
      disconnect() {}
    };
  }
}
