import { Loader2Icon } from 'lucide-react';
import { type ReactNode, useEffect, useRef, useState } from 'react';
import { useFetcher } from 'react-router';
import { toast } from 'sonner';
import { Button } from './button';
import {
  Dialog,
  DialogClose,
  DialogContent,
  DialogDescription,
  DialogFooter,
  DialogHeader,
  DialogTitle,
  DialogTrigger,
} from './dialog';

/** What an action that a ConfirmAction posts to answers. */
export type ActionOutcome = { ok: boolean; message: string };

/**
 * A button that asks first: a dialog says what will happen, and only its confirm button posts
 * `fields` to the page's action (or `action`). The dialog stays open, its button spinning, while
 * the request runs; the answer is toasted and the dialog closes on success.
 */
export function ConfirmAction({
  trigger,
  title,
  description,
  confirmLabel,
  destructive = false,
  fields,
  action,
  children,
  onDone,
}: {
  trigger: ReactNode;
  title: string;
  description: ReactNode;
  confirmLabel: string;
  destructive?: boolean;
  fields: Record<string, string>;
  action?: string;
  /** More to say in the dialog (what exactly changes). */
  children?: ReactNode;
  onDone?: (outcome: ActionOutcome) => void;
}) {
  const [open, setOpen] = useState(false);
  const fetcher = useFetcher<ActionOutcome>();
  const busy = fetcher.state !== 'idle';
  const handled = useRef<ActionOutcome | null>(null);
  // Handled as soon as the answer is in, before the page's data is read again: the change may
  // replace the very button that asked (Approve becomes Suspend), and its answer must not be lost.
  useEffect(() => {
    const outcome = fetcher.data;
    if (fetcher.state === 'submitting' || !outcome || handled.current === outcome) return;
    handled.current = outcome;
    if (outcome.ok) {
      toast.success(outcome.message);
      setOpen(false);
    } else {
      toast.error(outcome.message);
    }
    onDone?.(outcome);
  }, [fetcher.state, fetcher.data, onDone]);
  return (
    <Dialog open={open} onOpenChange={(next) => (busy ? undefined : setOpen(next))}>
      <DialogTrigger asChild>{trigger}</DialogTrigger>
      <DialogContent>
        <DialogHeader>
          <DialogTitle>{title}</DialogTitle>
          <DialogDescription>{description}</DialogDescription>
        </DialogHeader>
        {children}
        <fetcher.Form method="post" action={action}>
          {Object.entries(fields).map(([name, value]) => (
            <input key={name} type="hidden" name={name} value={value} />
          ))}
          <DialogFooter>
            <DialogClose asChild>
              <Button type="button" variant="outline" disabled={busy}>
                Cancel
              </Button>
            </DialogClose>
            <Button type="submit" variant={destructive ? 'destructive' : 'default'} disabled={busy}>
              {busy ? <Loader2Icon className="animate-spin" aria-hidden /> : null}
              {confirmLabel}
            </Button>
          </DialogFooter>
        </fetcher.Form>
      </DialogContent>
    </Dialog>
  );
}
