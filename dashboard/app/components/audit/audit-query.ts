import { isAuditAction } from './audit-text';

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const AUDIT_FILTER_KEYS = ['action', 'actor', 'from', 'to'] as const;

function nextDay(day: string): string {
  const date = new Date(`${day}T00:00:00.000Z`);
  date.setUTCDate(date.getUTCDate() + 1);
  return date.toISOString();
}

/**
 * The API query of the audit page's URL (whole UTC days). Values the API would refuse are left
 * out rather than failing the page.
 */
export function auditApiQuery(params: URLSearchParams) {
  const get = (key: string) => params.get(key)?.trim() ?? '';
  const action = get('action');
  const from = DAY.test(get('from')) ? `${get('from')}T00:00:00.000Z` : undefined;
  const to = DAY.test(get('to')) ? nextDay(get('to')) : undefined;
  return {
    ...(isAuditAction(action) ? { action } : {}),
    ...(UUID.test(get('actor')) ? { actor: get('actor') } : {}),
    ...(from && !Number.isNaN(Date.parse(from)) ? { from } : {}),
    ...(to && !Number.isNaN(Date.parse(to)) ? { to } : {}),
  };
}

/** The page's filters as a query string (for the CSV link), paging left out. */
export function auditFilterSearch(params: URLSearchParams): string {
  const copy = new URLSearchParams();
  for (const key of AUDIT_FILTER_KEYS) {
    const value = params.get(key);
    if (value) copy.set(key, value);
  }
  return copy.toString();
}
