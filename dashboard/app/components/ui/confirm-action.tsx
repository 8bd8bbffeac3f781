import { Loader2Icon } from 'lucide-react';
import { type ReactNode, useEffect, useRef, useState } from 'react';
import { useFetcher } from 'react-router';
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
 * `fields` to the page's action (or `action`), which answers `{ ok, message }` (see
 * components/admin/outcome.server.ts: on success it flashes the message as a toast). The dialog
 * stays open, its button spinning, while the request runs; it closes on success and shows a
 * refusal beside its button.
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
  const [error, setError] = useState<string | null>(null);
  // A success closes the dialog (the action says so with a flashed toast, which outlives this
  // button: the change often removes it); a refusal stays in the dialog, said beside its button.
  useEffect(() => {
    const outcome = fetcher.data;
    if (fetcher.state === 'submitting' || !outcome || handled.current === outcome) return;
    handled.current = outcome;
    if (outcome.ok) setOpen(false);
    setError(outcome.ok ? null : outcome.message);
    onDone?.(outcome);
  }, [fetcher.state, fetcher.data, onDone]);
  return (
    <Dialog
      open={open}
      onOpenChange={(next) => {
        if (busy) return;
        setOpen(next);
        setError(null);
      }}
    >
      <DialogTrigger asChild>{trigger}</DialogTrigger>
      <DialogContent>
        <DialogHeader>
          <DialogTitle>{title}</DialogTitle>
          <DialogDescription>{description}</DialogDescription>
        </DialogHeader>
        {children}
        {error ? (
          <p
            role="alert"
            className="rounded-md border border-destructive/40 bg-destructive/5 px-3 py-2 text-sm text-destructive"
          >
            {error}
          </p>
        ) : null}
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
