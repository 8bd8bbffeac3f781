import type { SecretBox } from '../crypto/secret-box.ts';
import type { Database } from '../db/database.ts';
import type { Mailer } from '../mail/mailer.ts';
import type { AdPlatformApps, AdPlatformEndpoints } from './ad-platform.ts';

/** What the ad-platform code needs from the process: built once in app.ts, replaced in tests. */
export type AdPlatformDeps = {
  db: Database;
  /** Encrypts connections' tokens (purpose `ad-platform-credentials`, bound to the connection id). */
  box: SecretBox;
  endpoints: AdPlatformEndpoints;
  apps: AdPlatformApps;
  fetch: typeof fetch;
  timeoutMs: number;
  mailer?: Mailer | undefined;
  /** The dashboard's address, for links in notices and the OAuth return. */
  appUrl: string;
  /** The API's public address: OAuth callbacks come back to it. */
  apiUrl: string;
  /** Signs OAuth `state` so a callback cannot be forged or replayed onto another advertiser. */
  stateSecret: string;
};
