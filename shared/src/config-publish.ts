import { z } from 'zod';
import { affiliateConfigSchema } from './affiliate-config.ts';
import { entityIdSchema } from './ids.ts';
import { networkConfigSchema } from './network-config.ts';
import { offerConfigSchema } from './offer-config.ts';

/** Body of `POST /internal/config`: what the control plane publishes in one signed request. */
export const configPublishRequestSchema = z.object({
  network: networkConfigSchema.optional().describe('Network-wide settings, replaced whole when present'),
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
/** The same after parsing: every list present. */
export type ParsedConfigPublish = z.output<typeof configPublishRequestSchema>;
