import type { components } from '~/api/schema';

// A campaign's types and how its states read, apart from its form's schema: the campaigns list
// shows them without loading zod.
type Schemas = components['schemas'];
export type Campaign = Schemas['Campaign'];
export type CampaignSpend = Schemas['CampaignSpend'];
export type CampaignStatus = Campaign['status'];
export type Serving = Campaign['serving'];

export const CAMPAIGN_STATUSES: readonly CampaignStatus[] = ['draft', 'active', 'paused', 'completed'];

export const CAMPAIGN_STATUS_LABEL: Record<CampaignStatus, string> = {
  draft: 'Draft',
  active: 'Active',
  paused: 'Paused',
  completed: 'Completed',
};

export const SERVING_LABEL: Record<Serving, string> = {
  serving: 'Serving',
  campaign_inactive: 'Not active',
  budget_reached: 'Budget spent',
  currency_mismatch: 'Currency mismatch',
};

export const SERVING_HINT: Record<Serving, string> = {
  serving: 'Clicks on its creatives go to the offer.',
  campaign_inactive:
    'Draft, paused, completed or outside its dates: clicks on its creatives go to the fallback.',
  budget_reached: 'Its total or today’s budget is spent: clicks on its creatives go to the fallback.',
  currency_mismatch:
    'Its budget is in another currency than its offer’s, so it is held: set the currency to the offer’s.',
};
