import type { paths } from '~/api/schema';

export type AuditAction = NonNullable<
  NonNullable<paths['/api/v1/audit-events']['get']['parameters']['query']>['action']
>;

/** How each recorded action reads in the audit log. */
export const AUDIT_ACTION_LABEL: Record<AuditAction, string> = {
  'login.succeeded': 'Logged in',
  'login.failed': 'Login failed',
  'password.changed': 'Password changed',
  'password.reset': 'Password reset',
  'api_key.created': 'API key created',
  'api_key.revoked': 'API key revoked',
  'user.created': 'User created',
  'user.role_changed': 'Role changed',
  'user.disabled': 'User disabled',
  'user.enabled': 'User enabled',
  'user.signed_out_everywhere': 'Signed out everywhere',
  'user.deleted': 'Account deleted',
  'payment_details.changed': 'Payment details changed',
  'payout_method.changed': 'Payout method changed',
  'data_subject.exported': 'Data subject export',
  'data_subject.erased': 'Data subject erasure',
};

export const AUDIT_ACTIONS = Object.keys(AUDIT_ACTION_LABEL) as AuditAction[];

export const isAuditAction = (value: string): value is AuditAction => value in AUDIT_ACTION_LABEL;

/** The detail of an event on one line: `name: value` pairs, arrays joined. */
export function detailText(detail: Record<string, unknown>): string {
  return Object.entries(detail)
    .map(
      ([name, value]) =>
        `${name}: ${Array.isArray(value) ? value.join(', ') : typeof value === 'object' && value !== null ? JSON.stringify(value) : String(value)}`,
    )
    .join(' · ');
}
