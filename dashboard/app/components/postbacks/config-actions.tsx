import { FlaskConicalIcon, Loader2Icon, PowerIcon, PowerOffIcon } from 'lucide-react';
import { useEffect, useRef, useState } from 'react';
import { useFetcher } from 'react-router';
import { toast } from 'sonner';
import { Button } from '~/components/ui/button';
import { Dialog, DialogContent, DialogDescription, DialogHeader, DialogTitle } from '~/components/ui/dialog';
import { AttemptDetail } from './attempt-view';
import type { ConfigActionResult, PostbackAttempt, PostbackConfig } from './postbacks.server';

/**
 * "Send a test" (the request goes out at once with sample values; the answer shows in a dialog)
 * and turning a postback on or off, in place. Both post to the postbacks page's action.
 */
export function ConfigActions({
  config,
  size = 'sm',
}: {
  config: Pick<PostbackConfig, 'id' | 'isActive'>;
  size?: 'sm' | 'default';
}) {
  const fetcher = useFetcher<ConfigActionResult>();
  const [tested, setTested] = useState<PostbackAttempt | null>(null);
  const handled = useRef<ConfigActionResult | undefined>(undefined);
  const intent = fetcher.state !== 'idle' ? fetcher.formData?.get('intent') : null;

  useEffect(() => {
    const result = fetcher.data;
    if (fetcher.state !== 'idle' || !result || handled.current === result) return;
    handled.current = result;
    if (result.error !== undefined) toast.error(result.error);
    else if (result.intent === 'test') setTested(result.attempt);
    else toast.success(result.message);
  }, [fetcher.state, fetcher.data]);

  return (
    <>
      <fetcher.Form method="post" action="/postbacks?index" className="flex flex-wrap items-center gap-2">
        <input type="hidden" name="id" value={config.id} />
        <input type="hidden" name="isActive" value={String(!config.isActive)} />
        <Button
          type="submit"
          name="intent"
          value="test"
          variant="outline"
          size={size}
          disabled={intent === 'test'}
          aria-label={`Send a test of postback #${config.id}`}
        >
          {intent === 'test' ? (
            <Loader2Icon className="animate-spin" aria-hidden />
          ) : (
            <FlaskConicalIcon aria-hidden />
          )}
          Test
        </Button>
        <Button
          type="submit"
          name="intent"
          value="toggle"
          variant="ghost"
          size={size}
          disabled={intent === 'toggle'}
          aria-label={config.isActive ? `Turn postback #${config.id} off` : `Turn postback #${config.id} on`}
        >
          {intent === 'toggle' ? (
            <Loader2Icon className="animate-spin" aria-hidden />
          ) : config.isActive ? (
            <PowerOffIcon aria-hidden />
          ) : (
            <PowerIcon aria-hidden />
          )}
          {config.isActive ? 'Turn off' : 'Turn on'}
        </Button>
      </fetcher.Form>
      <Dialog open={tested !== null} onOpenChange={(open) => (open ? null : setTested(null))}>
        <DialogContent className="max-h-[calc(100dvh-2rem)] overflow-y-auto sm:max-w-2xl">
          <DialogHeader>
            <DialogTitle>
              Test of postback #{config.id}: {tested?.ok ? 'your endpoint answered' : 'it failed'}
            </DialogTitle>
            <DialogDescription>
              Sent now with sample values (click id TEST-CLICK-ID, txid TEST-TXID, payout 1.00 USD). It is in
              the attempt log, not in your conversions.
            </DialogDescription>
          </DialogHeader>
          {tested ? <AttemptDetail attempt={tested} /> : null}
        </DialogContent>
      </Dialog>
    </>
  );
}
