import { formatCount } from '~/lib/format';

/** How a data subject is named on the page; the API's types in the order people ask by. */
export const SUBJECT_TYPES = ['email', 'click_id', 'txid', 'ip'] as const;
export type SubjectType = (typeof SUBJECT_TYPES)[number];

export const SUBJECT_TYPE_LABEL: Record<SubjectType, string> = {
  email: 'Email address',
  click_id: 'Click id',
  txid: 'Order id (txid)',
  ip: 'IP address',
};

export const isSubjectType = (value: string): value is SubjectType =>
  (SUBJECT_TYPES as readonly string[]).includes(value);

// The request log's counts, by the names the API gives them, as a reader says them.
const COUNT_NOUN: Record<string, [one: string, many: string]> = {
  clicks: ['click', 'clicks'],
  conversions: ['conversion', 'conversions'],
  postbackAttempts: ['postback attempt', 'postback attempts'],
  adPlatformDeliveries: ['ad-platform delivery', 'ad-platform deliveries'],
  quarantinedEvents: ['quarantined event', 'quarantined events'],
  accounts: ['account', 'accounts'],
  account: ['account', 'accounts'],
};

/** "3 clicks · 1 conversion": what a request found or erased, zeros left out. */
export function countsText(counts: Record<string, number>): string {
  const parts = Object.entries(counts)
    .filter(([, n]) => n > 0)
    .map(([key, n]) => {
      const [one, many] = COUNT_NOUN[key] ?? [key, key];
      return `${formatCount(n)} ${n === 1 ? one : many}`;
    });
  return parts.length > 0 ? parts.join(' · ') : 'Nothing held';
}
