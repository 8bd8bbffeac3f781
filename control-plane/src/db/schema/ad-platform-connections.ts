import { index, integer, pgEnum, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { advertisers } from './advertisers.ts';
import { timestamps } from './columns.ts';
import { users } from './users.ts';

export const adPlatform = pgEnum('ad_platform', ['meta', 'google', 'tiktok', 'microsoft']);

/**
 * An advertiser's account on an ad platform and what TAS holds to act on it (decision 030). The
 * tokens are one AES-256-GCM ciphertext bound to the row's id (crypto/secret-box.ts), decrypted
 * only to make a call; the API never returns them.
 */
export const adPlatformConnections = pgTable(
  'ad_platform_connections',
  {
    id: uuid().primaryKey(),
    advertiserId: integer()
      .notNull()
      .references(() => advertisers.id),
    platform: adPlatform().notNull(),
    label: text().notNull(),
    /** Meta ad account (digits), Google Ads customer, TikTok advertiser, Microsoft account. */
    accountId: text(),
    /** Google manager (login) customer; Microsoft customer id. */
    loginAccountId: text(),
    /** The encrypted ConnectionCredentials (ad-platform.ts); null once disconnected (the tokens are gone). */
    credentials: text(),
    /** When the access token runs out (refreshed before then where the platform allows). */
    accessTokenExpiresAt: timestamp({ withTimezone: true }),
    /** How the tokens came: OAuth, or pasted by the advertiser (a Meta system-user token). */
    source: text().notNull().$type<'oauth' | 'token'>(),
    /**
     * needs_reauth: the platform refused the tokens or their refresh; the advertiser must connect again.
     * disconnected: the advertiser removed it; its tokens are erased, its spend history stays for ROI.
     */
    status: text().notNull().$type<'active' | 'needs_reauth' | 'disconnected'>().default('active'),
    lastError: text(),
    lastErrorAt: timestamp({ withTimezone: true }),
    spendSyncedAt: timestamp({ withTimezone: true }),
    createdBy: uuid().references(() => users.id),
    ...timestamps,
  },
  (t) => [index().on(t.advertiserId)],
);
export type AdPlatformConnection = typeof adPlatformConnections.$inferSelect;
