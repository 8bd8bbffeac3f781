import { type Currency, formatDecimalAmount } from '@tas/shared/money';
import { inArray, sql } from 'drizzle-orm';
import type { Database } from '../db/database.ts';
import { advertisers } from '../db/schema/advertisers.ts';
import { users } from '../db/schema/users.ts';
import { type Mailer, sendInBackground } from '../mail/mailer.ts';
import type { FundsChange } from './funds-state.ts';

const money = (amountMinor: number, currency: string) =>
  `${formatDecimalAmount(amountMinor, currency as Currency)} ${currency}`;

function messageOf(change: FundsChange & { notice: 'low' | 'exhausted' }, companyName: string) {
  const { picture, currency } = change;
  if (change.notice === 'low') {
    return {
      subject: `Your ${currency} balance is running low`,
      text:
        `The ${currency} balance of ${companyName} has ${money(picture.availableMinor ?? 0, currency)} left after ` +
        `pending conversions, below your threshold of ${money(picture.lowBalanceMinor ?? 0, currency)}.\n\n` +
        `Your ${currency} offers stop taking clicks when it runs out. Add funds on the Balance page to keep them running.\n`,
    };
  }
  const why =
    picture.creditLimitMinor === null
      ? `Your prepaid ${currency} balance has run out (${money(picture.availableMinor ?? 0, currency)} after pending conversions).`
      : `What you owe in ${currency}, pending conversions included, has reached your credit limit of ${money(picture.creditLimitMinor, currency)}.`;
  const resume =
    picture.creditLimitMinor === null
      ? 'They serve again once you add funds on the Balance page.'
      : 'They serve again once an invoice is paid or the limit is raised.';
  return {
    subject: `Your ${currency} offers are stopped: ${picture.creditLimitMinor === null ? 'balance exhausted' : 'credit limit reached'}`,
    text:
      `${why}\n\nClicks on ${companyName}'s ${currency} offers now go to their fallback. ` +
      `Conversions of visitors sent before the stop still count. ${resume}\n`,
  };
}

/**
 * Emails the advertiser (its contact address, else its user's) each notice its funds changes call
 * for: below the low-balance threshold, and run out. Sent once per change; funds-state.ts records
 * what was noticed, so a notice is not repeated until the funds are available again.
 */
export async function noticeFundsChanges(
  deps: { db: Database; mailer: Mailer },
  changes: readonly FundsChange[],
): Promise<void> {
  const due = changes.filter((c): c is FundsChange & { notice: 'low' | 'exhausted' } => c.notice !== null);
  if (due.length === 0) return;
  const rows = await deps.db
    .select({
      id: advertisers.id,
      companyName: advertisers.companyName,
      email: sql<string | null>`coalesce(${advertisers.contactEmail}, ${users.email})`,
    })
    .from(advertisers)
    .leftJoin(users, sql`${users.id} = ${advertisers.userId}`)
    .where(
      inArray(
        advertisers.id,
        due.map((c) => c.advertiserId),
      ),
    );
  const byId = new Map(rows.map((r) => [r.id, r]));
  for (const change of due) {
    const advertiser = byId.get(change.advertiserId);
    if (!advertiser?.email) continue;
    void sendInBackground(
      deps.mailer,
      { to: advertiser.email, ...messageOf(change, advertiser.companyName) },
      'funds notice',
    );
  }
}
