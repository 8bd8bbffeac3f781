import { affiliateConfigSchema } from '@tas/shared/affiliate-config';
import { entityIdSchema } from '@tas/shared/ids';
import { offerConfigSchema } from '@tas/shared/offer-config';
import { z } from 'zod';

/** Body of `POST /internal/config`: what the control plane publishes in one signed request. */
export const configPublishRequestSchema = z.object({
  upsert: z
    .object({
      offers: z.array(offerConfigSchema).max(500).default([]),
      affiliates: z.array(affiliateConfigSchema).max(500).default([]),
    })
    .default({ offers: [], affiliates: [] }),
  remove: z
    .object({
      offers: z.array(entityIdSchema).max(500).default([]),
      affiliates: z.array(entityIdSchema).max(500).default([]),
    })
    .default({ offers: [], affiliates: [] }),
});
export type ConfigPublishRequest = z.input<typeof configPublishRequestSchema>;
