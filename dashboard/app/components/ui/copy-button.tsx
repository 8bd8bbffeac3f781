import { CheckIcon, CopyIcon, type LucideIcon } from 'lucide-react';
import { type ComponentProps, useEffect, useState } from 'react';
import { toast } from 'sonner';
import { cn } from '~/lib/utils';
import { Button } from './button';

async function copyText(text: string): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    return false;
  }
}

/** Copies a text to the clipboard and says so (a tick for a moment, a toast if copying failed). */
export function CopyButton({
  value,
  label = 'Copy',
  text,
  icon = CopyIcon,
  className,
  variant = 'outline',
  size,
}: {
  value: string;
  /** What is copied, for screen readers ("Copy the postback URL"). */
  label?: string;
  /** A visible word beside the icon ("Copy", "HTML"); keep it a part of the label. */
  text?: string;
  /** What the button shows before copying (a copy icon unless said). */
  icon?: LucideIcon;
  className?: string;
  variant?: ComponentProps<typeof Button>['variant'];
  size?: ComponentProps<typeof Button>['size'];
}) {
  const [copied, setCopied] = useState(false);
  useEffect(() => {
    if (!copied) return;
    const timer = setTimeout(() => setCopied(false), 1500);
    return () => clearTimeout(timer);
  }, [copied]);
  const Icon = copied ? CheckIcon : icon;
  return (
    <Button
      type="button"
      variant={variant}
      size={size ?? (text ? 'sm' : 'icon')}
      className={cn(!text && size === undefined && 'size-8', className)}
      aria-label={label}
      onClick={async () => {
        if (await copyText(value)) setCopied(true);
        else toast.error('Could not copy: select the text and copy it by hand.');
      }}
    >
      <Icon className={cn(copied && 'text-success')} aria-hidden />
      {text ? (copied ? 'Copied' : text) : null}
      <span className="sr-only" aria-live="polite">
        {copied ? 'Copied' : ''}
      </span>
    </Button>
  );
}

/**
 * A value to paste elsewhere (a URL, a snippet), shown whole in monospace with its copy button.
 * Long values wrap instead of scrolling sideways, so they read whole on a phone.
 */
export function CopyField({
  value,
  label,
  multiline = false,
  className,
}: {
  value: string;
  /** Names the value for screen readers and the copy button. */
  label: string;
  multiline?: boolean;
  className?: string;
}) {
  return (
    <figure className={cn('relative m-0 min-w-0 rounded-lg border bg-muted/50', className)}>
      <figcaption className="sr-only">{label}</figcaption>
      <pre
        className={cn(
          'py-2.5 pr-12 pl-3 font-mono text-[12.5px] leading-relaxed text-foreground',
          multiline ? 'whitespace-pre-wrap [overflow-wrap:anywhere]' : 'whitespace-pre-wrap break-all',
        )}
      >
        <code>{value}</code>
      </pre>
      <CopyButton
        value={value}
        label={`Copy ${label}`}
        variant="ghost"
        className="absolute top-1.5 right-1.5 bg-card/80 shadow-xs"
      />
    </figure>
  );
}
