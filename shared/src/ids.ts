import { z } from 'zod';

/**
 * Offers, affiliates and advertisers are named by positive integers: they appear in tracking
 * links (`/c/12?aff_id=7`) and inside click ids, where shortness matters
 * (docs/decisions/002-integer-ids-in-links.md). Their columns are Postgres `integer`, so the
 * bound is 2^31-1: a larger id in a link or an API path is no id at all (never a 500 or an
 * event the database refuses). Click ids carry them as u32.
 */
export const MAX_ENTITY_ID = 0x7fffffff;
export const entityIdSchema = z.number().int().min(1).max(MAX_ENTITY_ID);
export type EntityId = z.infer<typeof entityIdSchema>;

/** The same id as it arrives in a URL: digits only, no sign, no leading zeros, no exponent. */
export const entityIdParamSchema = z
  .string()
  .regex(/^[1-9]\d{0,9}$/, 'a positive integer id')
  .transform(Number)
  .pipe(entityIdSchema);
