import type { ComponentProps } from 'react';
import { cn } from '~/lib/utils';

const TONES = {
  default: 'bg-primary',
  success: 'bg-success',
  warning: 'bg-warning',
  destructive: 'bg-destructive',
} as const;

/** A bar of how much of something is used (0..1; more than 1 shows full). Label it for screen readers. */
export function Progress({
  value,
  tone = 'default',
  className,
  ...props
}: Omit<ComponentProps<'div'>, 'children'> & { value: number; tone?: keyof typeof TONES }) {
  const percent = Math.max(0, Math.min(100, value * 100));
  return (
    <div
      role="progressbar"
      aria-valuemin={0}
      aria-valuemax={100}
      aria-valuenow={Math.round(percent)}
      className={cn('h-1.5 w-full overflow-hidden rounded-full bg-muted', className)}
      {...props}
    >
      <div
        className={cn('h-full rounded-full transition-[width]', TONES[tone])}
        style={{ width: `${percent}%` }}
      />
    </div>
  );
}
