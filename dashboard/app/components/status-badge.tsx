import { Badge, type BadgeVariant } from './ui/badge';

const VARIANTS: Record<string, BadgeVariant> = {
  active: 'success',
  approved: 'success',
  delivered: 'success',
  serving: 'success',
  pending: 'warning',
  paused: 'warning',
  draft: 'secondary',
  archived: 'secondary',
  completed: 'secondary',
  cancelled: 'secondary',
  rejected: 'destructive',
  suspended: 'destructive',
  failed: 'destructive',
  disabled: 'destructive',
  not_applied: 'outline',
  open: 'default',
};

/** A status word in the colour everyone reads the same way: green good, amber waiting, red stopped. */
export function StatusBadge({ status, label }: { status: string; label?: string }) {
  return <Badge variant={VARIANTS[status] ?? 'secondary'}>{label ?? status.replaceAll('_', ' ')}</Badge>;
}
