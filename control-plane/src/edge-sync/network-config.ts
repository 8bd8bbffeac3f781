import type { NetworkConfig } from '@tas/shared/network-config';
import { trackingPrivacySchema } from '@tas/shared/privacy';
import type { Database } from '../db/database.ts';
import { networkSettings } from '../db/schema/network-settings.ts';

/** The network-wide settings as the edge reads them (the migration creates the one row). */
export async function networkConfigOf(db: Database): Promise<NetworkConfig> {
  const [row] = await db.select().from(networkSettings).limit(1);
  return {
    blockedIps: row?.blockedIps ?? [],
    blockedUserAgents: row?.blockedUserAgents ?? [],
    exchangeRates: row?.exchangeRates ?? [],
    // Parsed: a row written before a field existed gets that field's default.
    privacy: trackingPrivacySchema.parse(row?.privacy ?? {}),
    revision: row?.revision ?? 0,
  };
}
