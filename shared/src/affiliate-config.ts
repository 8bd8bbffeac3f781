import { z } from 'zod';
import { entityIdSchema } from './ids.ts';

/** What the edge knows of an affiliate (KV key `affiliate:{id}`): enough to refuse unknown ones. */
export const affiliateConfigSchema = z.object({
  id: entityIdSchema,
  status: z.enum(['active', 'suspended']),
  revision: z.number().int().min(0),
});
export type AffiliateConfig = z.infer<typeof affiliateConfigSchema>;

export function affiliateConfigKey(affiliateId: number): string {
  return `affiliate:${affiliateId}`;
}
