import { z } from 'zod';

/** Every action the audit log records. Closed, so readers can filter and switch on it. */
export const AUDIT_ACTIONS = [
  'login.succeeded',
  'login.failed',
  'password.changed',
  'password.reset',
  'api_key.created',
  'api_key.revoked',
  'user.created',
  'user.role_changed',
  'user.disabled',
  'user.enabled',
  'user.signed_out_everywhere',
  'user.deleted',
  'payment_details.changed',
  'payout_method.changed',
  'data_subject.exported',
  'data_subject.erased',
] as const;

export const auditActionSchema = z.enum(AUDIT_ACTIONS).describe('What was done');
export type AuditAction = z.infer<typeof auditActionSchema>;
