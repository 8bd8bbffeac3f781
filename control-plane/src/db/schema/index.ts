// The Drizzle schema, one file per entity. This module gathers them for drizzle-kit and for the
// typed query API; application code imports the entity file it needs.
export * from './advertiser-billing.ts';
export * from './advertiser-funds.ts';
export * from './advertisers.ts';
export * from './affiliates.ts';
export * from './api-keys.ts';
export * from './campaigns.ts';
export * from './clicks.ts';
export * from './conversions.ts';
export * from './creatives.ts';
export * from './email-verifications.ts';
export * from './hourly-stats.ts';
export * from './ingest-minutes.ts';
export * from './ingest-quarantine.ts';
export * from './invoices.ts';
export * from './ledger.ts';
export * from './login-throttles.ts';
export * from './network-settings.ts';
export * from './offers.ts';
export * from './password-resets.ts';
export * from './payouts.ts';
export * from './postback-configs.ts';
export * from './processor-events.ts';
export * from './refresh-tokens.ts';
export * from './sessions.ts';
export * from './top-ups.ts';
export * from './users.ts';
