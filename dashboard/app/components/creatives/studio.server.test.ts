import { describe, expect, it } from 'vitest';
import type { ApiClient } from '~/lib/api.server';
import { recentJobs } from './studio.server';

describe('recentJobs', () => {
  it('follows the oldest-first pages to the end and keeps the newest, newest first', async () => {
    const asked: unknown[] = [];
    const ids = Array.from({ length: 450 }, (_, i) => i + 1);
    const api = {
      GET: async (_path: string, init: { params: { query: { limit: number; after?: string } } }) => {
        asked.push(init.params.query);
        const after = Number(init.params.query.after ?? 0);
        const page = ids.filter((id) => id > after).slice(0, init.params.query.limit);
        const last = page.at(-1);
        return {
          data: {
            data: page.map((id) => ({ id })),
            nextAfter: page.length === init.params.query.limit ? last : null,
          },
          response: new Response(null, { status: 200 }),
        };
      },
    } as unknown as ApiClient;
    const jobs = await recentJobs(api, 3);
    expect(jobs.map((j) => j.id)).toEqual([450, 449, 448]);
    expect(asked).toEqual([{ limit: 200 }, { limit: 200, after: '200' }, { limit: 200, after: '400' }]);
  });
});
