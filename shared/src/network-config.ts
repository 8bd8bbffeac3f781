import { z } from 'zod';
import { ipRangeTextSchema } from './ip-match.ts';
import { exchangeRateSchema } from './money.ts';
import { DEFAULT_TRACKING_PRIVACY, trackingPrivacySchema } from './privacy.ts';

/** Network-wide settings the edge reads from KV (key `network`), published by the control plane. */
export const networkConfigSchema = z.object({
  blockedIps: z.array(ipRangeTextSchema).max(50_000).default([]),
  blockedUserAgents: z.array(z.string().min(3).max(256)).max(5000).default([]),
  exchangeRates: z
    .array(exchangeRateSchema)
    .max(1000)
    .default([])
    .describe("Rates a sale amount in another currency is converted by into the offer's currency"),
  privacy: trackingPrivacySchema
    .default(DEFAULT_TRACKING_PRIVACY)
    .describe('Privacy settings of every offer that does not override them'),
  revision: z.number().int().min(0),
});
export type NetworkConfig = z.infer<typeof networkConfigSchema>;

export const NETWORK_CONFIG_KEY = 'network';
