import { z } from 'zod';

/**
 * Offers, affiliates and advertisers are named by positive 32-bit integers: they appear in
 * tracking links (`/c/12?aff_id=7`) and inside click ids, where shortness matters
 * (docs/decisions/002-integer-ids-in-links.md).
 */
export const entityIdSchema = z.number().int().min(1).max(0xffffffff);
export type EntityId = z.infer<typeof entityIdSchema>;

/** The same id as it arrives in a URL: digits only, no sign, no leading zeros, no exponent. */
export const entityIdParamSchema = z
  .string()
  .regex(/^[1-9]\d{0,9}$/, 'a positive integer id')
  .transform(Number)
  .pipe(entityIdSchema);
