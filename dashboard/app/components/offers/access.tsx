import { Loader2Icon, SendIcon } from 'lucide-react';
import { useEffect } from 'react';
import { useFetcher } from 'react-router';
import { toast } from 'sonner';
import { StatusBadge } from '../status-badge';
import { Button } from '../ui/button';
import { ACCESS_LABEL, type Access } from './offer-text';

/** What an affiliate may do with an offer, in a word and a colour. */
export function AccessBadge({ access }: { access: Access }) {
  return <StatusBadge status={access} label={ACCESS_LABEL[access]} />;
}

export type ApplyResult = { ok: true; message: string } | { ok: false; message: string };

/**
 * The affiliate's access to an offer and, when it needs approval and they have not applied, the
 * button to apply (sent to the offer's page; the list reloads with the new state).
 */
export function AccessAction({
  offerId,
  offerName,
  access,
  size = 'sm',
}: {
  offerId: number;
  offerName: string;
  access: Access;
  size?: 'sm' | 'default';
}) {
  const fetcher = useFetcher<ApplyResult>();
  const busy = fetcher.state !== 'idle';
  const result = fetcher.data;
  useEffect(() => {
    if (!result) return;
    if (result.ok) toast.success(result.message);
    else toast.error(result.message);
  }, [result]);

  if (access === 'not_applied') {
    return (
      <fetcher.Form method="post" action={`/offers/${offerId}`}>
        <input type="hidden" name="intent" value="apply" />
        <Button type="submit" size={size} disabled={busy} aria-label={`Apply to run ${offerName}`}>
          {busy ? <Loader2Icon className="animate-spin" aria-hidden /> : <SendIcon aria-hidden />}
          {busy ? 'Applying…' : 'Apply'}
        </Button>
      </fetcher.Form>
    );
  }
  return <AccessBadge access={access} />;
}
