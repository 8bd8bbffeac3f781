import { eq, sql } from 'drizzle-orm';
import type { Database } from '../db/database.ts';
import type { AdConversionDestination } from '../db/schema/ad-conversion-destinations.ts';
import { advertisers } from '../db/schema/advertisers.ts';
import { users } from '../db/schema/users.ts';
import { type Mailer, sendInBackground } from '../mail/mailer.ts';

const PLATFORM_NAMES = {
  meta: 'Meta',
  google: 'Google',
  tiktok: 'TikTok',
  microsoft: 'Microsoft Advertising',
} as const;

/**
 * Tells the advertiser (its contact address, else its user's) that a destination paused itself
 * because the platform refused the credentials. Sent once per pause: only the update that moves the
 * destination from active to paused calls this.
 */
export async function noticeDestinationPaused(
  deps: { db: Database; mailer: Mailer; appUrl: string },
  destination: Pick<AdConversionDestination, 'advertiserId' | 'platform' | 'name'>,
) {
  const [row] = await deps.db
    .select({ email: sql<string | null>`coalesce(${advertisers.contactEmail}, ${users.email})` })
    .from(advertisers)
    .leftJoin(users, sql`${users.id} = ${advertisers.userId}`)
    .where(eq(advertisers.id, destination.advertiserId));
  if (!row?.email) return;
  const platform = PLATFORM_NAMES[destination.platform];
  void sendInBackground(
    deps.mailer,
    {
      to: row.email,
      subject: `Conversions to ${platform} are paused: connect your account again`,
      text:
        `${platform} refused the credentials TAS holds for "${destination.name}" several times in a row, so ` +
        `TAS stopped sending it conversions.\n\nNothing is lost: conversions keep being queued while it is paused. ` +
        `Connect the ${platform} account again and resume the destination at ${deps.appUrl}/ad-platforms to send them.\n`,
    },
    'ad destination notice',
  );
}
