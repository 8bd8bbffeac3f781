import type { NetworkConfig } from '@tas/shared/network-config';
import type { Database } from '../db/database.ts';
import { networkSettings } from '../db/schema/network-settings.ts';

/** The network-wide settings as the edge reads them (the migration creates the one row). */
export async function networkConfigOf(db: Database): Promise<NetworkConfig> {
  const [row] = await db.select().from(networkSettings).limit(1);
  return {
    blockedIps: row?.blockedIps ?? [],
    blockedUserAgents: row?.blockedUserAgents ?? [],
    exchangeRates: row?.exchangeRates ?? [],
    revision: row?.revision ?? 0,
  };
}
