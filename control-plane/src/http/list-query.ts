import { entityIdParamSchema } from '@tas/shared/ids';
import { z } from 'zod';

/** Keyset pagination: `limit` rows with ids after `after`; the answer's `nextAfter` continues. */
export const pageQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50).describe('Rows per page (1-200)'),
  after: entityIdParamSchema.optional().describe('Continue after this id (nextAfter of the previous page)'),
});

export function nextAfter<T extends { id: number }>(rows: T[], limit: number): number | null {
  return rows.length === limit ? (rows.at(-1)?.id ?? null) : null;
}

export const idParamsSchema = z.object({ id: entityIdParamSchema.describe('Id') });
