/**
 * Every column that holds (or may hold) personal data, and what TAS does with it: whose data it
 * is, what a subject's export shows, what an erasure does, and whether the personal-data retention
 * erases it. docs/privacy.md is written from this list; `personal-fields.test.ts` fails when a
 * table gains a column that looks personal (ip, user agent, email, phone, names, addresses, raw
 * bodies) without an entry here, so nothing new escapes erasure unnoticed.
 */
export type PersonalField = {
  table: string;
  column: string;
  /** visitor: someone who clicked a tracking link; user: a TAS account; contact: a business's contact. */
  whose: 'visitor' | 'user' | 'contact' | 'none';
  holds: string;
  /**
   * What an erasure of the subject does: `null` (set to null), `redact` (cut to what is not
   * personal), `delete_row`, `account_deletion` (erased when the user deletes the account), or
   * `keep` (with the reason in `why`).
   */
  onErase: 'null' | 'redact' | 'delete_row' | 'account_deletion' | 'keep';
  /** Erased by PERSONAL_DATA_RETENTION_DAYS. */
  retention: boolean;
  why?: string;
};

export const PERSONAL_FIELDS: readonly PersonalField[] = [
  // Visitors
  {
    table: 'clicks',
    column: 'ip',
    whose: 'visitor',
    holds: 'the address the click came from',
    onErase: 'null',
    retention: true,
  },
  {
    table: 'clicks',
    column: 'user_agent',
    whose: 'visitor',
    holds: "the browser's user agent",
    onErase: 'null',
    retention: true,
  },
  {
    table: 'clicks',
    column: 'referrer',
    whose: 'visitor',
    holds: 'the page the click came from',
    onErase: 'null',
    retention: true,
  },
  {
    table: 'clicks',
    column: 'gclid',
    whose: 'visitor',
    holds: "an ad platform's click id (also fbclid, msclkid, ttclid, gbraid, wbraid)",
    onErase: 'null',
    retention: false,
    why: 'Kept until the raw click is dropped (CLICK_RETENTION_DAYS): conversions are forwarded with it.',
  },
  {
    table: 'conversions',
    column: 'ip',
    whose: 'visitor',
    holds: 'the address the postback or pixel reported',
    onErase: 'null',
    retention: true,
  },
  {
    table: 'conversions',
    column: 'user_agent',
    whose: 'visitor',
    holds: "the buyer's user agent",
    onErase: 'null',
    retention: true,
  },
  {
    table: 'conversions',
    column: 'customer_hashes',
    whose: 'visitor',
    holds: "SHA-256 of the buyer's email and phone, made at the edge (never the raw values)",
    onErase: 'null',
    retention: true,
  },
  {
    table: 'postback_attempts',
    column: 'url',
    whose: 'visitor',
    holds: "the affiliate's postback URL with the conversion's macros filled in",
    onErase: 'redact',
    retention: false,
    why: 'Cut to scheme, host and path: the query carries the macros (click id, subs, amount).',
  },
  {
    table: 'postback_attempts',
    column: 'body_excerpt',
    whose: 'visitor',
    holds: "the start of the affiliate endpoint's answer",
    onErase: 'null',
    retention: false,
  },
  {
    table: 'ingest_quarantine',
    column: 'body',
    whose: 'visitor',
    holds: 'an event the ingest could not store, whole (ip and user agent included)',
    onErase: 'delete_row',
    retention: true,
    why: 'Retention deletes quarantined events older than the period, replayed or not.',
  },
  {
    table: 'ingest_quarantine',
    column: 'body_sha256',
    whose: 'none',
    holds: 'a digest of the quarantined body (dedupe of redelivered batches)',
    onErase: 'delete_row',
    retention: true,
  },
  // Users (TAS accounts)
  {
    table: 'users',
    column: 'email',
    whose: 'user',
    holds: 'the login',
    onErase: 'account_deletion',
    retention: false,
  },
  {
    table: 'users',
    column: 'first_name',
    whose: 'user',
    holds: 'first name',
    onErase: 'account_deletion',
    retention: false,
  },
  {
    table: 'users',
    column: 'last_name',
    whose: 'user',
    holds: 'last name',
    onErase: 'account_deletion',
    retention: false,
  },
  {
    table: 'users',
    column: 'email_verified_at',
    whose: 'user',
    holds: 'when the email was verified',
    onErase: 'account_deletion',
    retention: false,
  },
  {
    table: 'sessions',
    column: 'ip',
    whose: 'user',
    holds: 'where a session signed in from',
    onErase: 'account_deletion',
    retention: false,
  },
  {
    table: 'sessions',
    column: 'user_agent',
    whose: 'user',
    holds: "the session's browser",
    onErase: 'account_deletion',
    retention: false,
  },
  {
    table: 'login_throttles',
    column: 'key',
    whose: 'user',
    holds: 'email and address of failed logins (for backoff, minutes to hours)',
    onErase: 'account_deletion',
    retention: false,
  },
  {
    table: 'api_keys',
    column: 'last_used_ip',
    whose: 'user',
    holds: 'where an API key was last used from',
    onErase: 'account_deletion',
    retention: false,
  },
  {
    table: 'audit_events',
    column: 'actor_ip',
    whose: 'user',
    holds: 'the address of whoever did a security-relevant action (logins, key and role changes)',
    onErase: 'keep',
    retention: false,
    why: 'The security log is kept for accountability (legitimate interest); it is never pruned by TAS.',
  },
  {
    table: 'affiliate_payout_settings',
    column: 'paypal_receiver_encrypted',
    whose: 'user',
    holds: "the affiliate's PayPal email, encrypted",
    onErase: 'keep',
    retention: false,
    why: 'Part of the payout records kept for accounting; encrypted, never shown back whole.',
  },
  // Businesses' contacts
  {
    table: 'affiliates',
    column: 'contact_email',
    whose: 'contact',
    holds: "the affiliate company's contact email",
    onErase: 'keep',
    retention: false,
    why: 'A business record, edited by its owner; erased on request by editing it.',
  },
  {
    table: 'affiliates',
    column: 'contact_phone',
    whose: 'contact',
    holds: "the affiliate company's contact phone",
    onErase: 'keep',
    retention: false,
    why: 'As contact_email.',
  },
  {
    table: 'affiliates',
    column: 'website_url',
    whose: 'none',
    holds: "the affiliate's website",
    onErase: 'keep',
    retention: false,
    why: 'Business data.',
  },
  {
    table: 'advertisers',
    column: 'contact_email',
    whose: 'contact',
    holds: "the advertiser company's contact email",
    onErase: 'keep',
    retention: false,
    why: 'As affiliates.contact_email.',
  },
  {
    table: 'advertisers',
    column: 'contact_phone',
    whose: 'contact',
    holds: "the advertiser company's contact phone",
    onErase: 'keep',
    retention: false,
    why: 'As affiliates.contact_email.',
  },
  {
    table: 'advertisers',
    column: 'billing_address',
    whose: 'contact',
    holds: 'the billing address on invoices',
    onErase: 'keep',
    retention: false,
    why: 'Invoices must keep it (accounting law).',
  },
  {
    table: 'advertisers',
    column: 'website_url',
    whose: 'none',
    holds: "the advertiser's website",
    onErase: 'keep',
    retention: false,
    why: 'Business data.',
  },
  // Configuration that matches the pattern but names no one
  {
    table: 'network_settings',
    column: 'blocked_ips',
    whose: 'none',
    holds: 'blocked addresses and ranges (abuse)',
    onErase: 'keep',
    retention: false,
    why: 'Set by admins against fraud; no person is looked up by it.',
  },
  {
    table: 'network_settings',
    column: 'blocked_user_agents',
    whose: 'none',
    holds: 'blocked user agent fragments',
    onErase: 'keep',
    retention: false,
    why: 'Configuration.',
  },
  {
    table: 'offers',
    column: 'postback_ip_allowlist',
    whose: 'none',
    holds: "the advertiser servers' addresses",
    onErase: 'keep',
    retention: false,
    why: 'Configuration.',
  },
  {
    table: 'offers',
    column: 'destination_url',
    whose: 'none',
    holds: 'the landing page',
    onErase: 'keep',
    retention: false,
    why: 'Configuration.',
  },
  {
    table: 'offers',
    column: 'fallback_url',
    whose: 'none',
    holds: 'where refused clicks go',
    onErase: 'keep',
    retention: false,
    why: 'Configuration.',
  },
  {
    table: 'offers',
    column: 'preview_url',
    whose: 'none',
    holds: 'a preview page',
    onErase: 'keep',
    retention: false,
    why: 'Configuration.',
  },
  {
    table: 'offer_landing_pages',
    column: 'url',
    whose: 'none',
    holds: 'a landing page',
    onErase: 'keep',
    retention: false,
    why: 'Configuration.',
  },
  {
    table: 'postback_configs',
    column: 'url',
    whose: 'none',
    holds: "an affiliate's postback template",
    onErase: 'keep',
    retention: false,
    why: 'Configuration.',
  },
  {
    table: 'creatives',
    column: 'url',
    whose: 'none',
    holds: "a creative's asset",
    onErase: 'keep',
    retention: false,
    why: 'Configuration.',
  },
  {
    table: 'invoices',
    column: 'hosted_invoice_url',
    whose: 'none',
    holds: "Stripe's invoice page",
    onErase: 'keep',
    retention: false,
    why: 'Accounting.',
  },
  {
    table: 'top_ups',
    column: 'checkout_url',
    whose: 'none',
    holds: 'a checkout page',
    onErase: 'keep',
    retention: false,
    why: 'Accounting.',
  },
];

/** Column names that look personal: a column like these must have an entry above. */
export const PERSONAL_COLUMN_PATTERN =
  '(^|_)(ip|ips|user_agent|user_agents|email|phone|referrer|first_name|last_name|address|hashes|receiver|body|body_excerpt|url)(_|$)';
