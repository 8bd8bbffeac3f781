import { type Currency, formatDecimalAmount } from '@tas/shared/money';
import { inArray, sql } from 'drizzle-orm';
import type { Database } from '../db/database.ts';
import { advertisers } from '../db/schema/advertisers.ts';
import { campaigns } from '../db/schema/campaigns.ts';
import { users } from '../db/schema/users.ts';
import { type Mailer, sendInBackground } from '../mail/mailer.ts';
import type { BudgetStop } from './campaign-budget-state.ts';

/**
 * Tells the advertiser (its contact address, else its user's) that a campaign has stopped at a
 * budget. Sent once per stop: the state change that reports a stop happens once per budget reached.
 */
export async function noticeBudgetStops(deps: { db: Database; mailer: Mailer }, stops: BudgetStop[]) {
  if (stops.length === 0) return;
  const rows = await deps.db
    .select({
      id: campaigns.id,
      name: campaigns.name,
      currency: campaigns.currency,
      budgetMinor: campaigns.budgetMinor,
      dailyBudgetMinor: campaigns.dailyBudgetMinor,
      email: sql<string | null>`coalesce(${advertisers.contactEmail}, ${users.email})`,
    })
    .from(campaigns)
    .innerJoin(advertisers, sql`${advertisers.id} = ${campaigns.advertiserId}`)
    .leftJoin(users, sql`${users.id} = ${advertisers.userId}`)
    .where(
      inArray(
        campaigns.id,
        stops.map((s) => s.campaignId),
      ),
    );
  const byId = new Map(rows.map((r) => [r.id, r]));
  for (const stop of stops) {
    const campaign = byId.get(stop.campaignId);
    if (!campaign?.email) continue;
    const budget = stop.kind === 'total' ? campaign.budgetMinor : campaign.dailyBudgetMinor;
    const amount =
      budget === null
        ? ''
        : ` of ${formatDecimalAmount(budget, campaign.currency as Currency)} ${campaign.currency}`;
    const until =
      stop.kind === 'total'
        ? 'until you raise the budget or reverse conversions'
        : 'for the rest of the day; they resume at 00:00 UTC';
    void sendInBackground(
      deps.mailer,
      {
        to: campaign.email,
        subject: `Campaign "${campaign.name}" reached its ${stop.kind === 'total' ? 'budget' : 'daily budget'}`,
        text:
          `Campaign "${campaign.name}" (#${campaign.id}) has spent its ${stop.kind === 'total' ? 'total' : 'daily'} ` +
          `budget${amount} on approved conversions.\n\nClicks on its creatives now go to the offer's fallback ${until}.\n`,
      },
      'budget notice',
    );
  }
}
