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

/** The answer of a keyset-paged list: one page of items and where the next one starts. */
export function pageResponseSchema<T extends z.ZodType>(item: T) {
  return z.object({ data: z.array(item), nextAfter: z.number().int().nullable() });
}

/** A page of rows as answered, each shown on its own (`show` never sees map's index). */
export function pageOf<T extends { id: number }, R>(rows: T[], limit: number, show: (row: T) => R) {
  return { data: rows.map((row) => show(row)), nextAfter: nextAfter(rows, limit) };
}
