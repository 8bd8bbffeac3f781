import { Loader2Icon } from 'lucide-react';
import { type ComponentProps, type ReactNode, useEffect, useRef } from 'react';
import { useFetcher } from 'react-router';
import { toast } from 'sonner';
import { Button } from '~/components/ui/button';
import type { ActionOutcome } from '~/components/ui/confirm-action';

/**
 * A one-click change posted without leaving the page: the button spins while it runs; a success
 * is flashed by the action (outcome()), a refusal is toasted here.
 */
export function FetcherButton({
  fields,
  action,
  children,
  icon,
  ...props
}: Omit<ComponentProps<typeof Button>, 'type' | 'children'> & {
  fields: Record<string, string>;
  action?: string;
  icon?: ReactNode;
  children: ReactNode;
}) {
  const fetcher = useFetcher<ActionOutcome>();
  const handled = useRef<ActionOutcome | undefined>(undefined);
  useEffect(() => {
    const result = fetcher.data;
    if (fetcher.state !== 'idle' || !result || handled.current === result) return;
    handled.current = result;
    if (!result.ok) toast.error(result.message);
  }, [fetcher.state, fetcher.data]);
  const busy = fetcher.state !== 'idle';
  return (
    <fetcher.Form method="post" action={action} className="contents">
      {Object.entries(fields).map(([name, value]) => (
        <input key={name} type="hidden" name={name} value={value} />
      ))}
      <Button type="submit" {...props} disabled={busy || props.disabled}>
        {busy ? <Loader2Icon className="animate-spin" aria-hidden /> : icon}
        {children}
      </Button>
    </fetcher.Form>
  );
}
