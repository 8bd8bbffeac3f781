import { CheckIcon, Loader2Icon, PauseIcon, PlayIcon } from 'lucide-react';
import { useEffect, useRef, useState } from 'react';
import { useFetcher } from 'react-router';
import { toast } from 'sonner';
import { StatusBadge } from '~/components/status-badge';
import type { ActionOutcome } from '~/components/ui/confirm-action';
import { NativeSelect } from '~/components/ui/native-select';
import { Switch } from '~/components/ui/switch';
import { TableCell, TableRow } from '~/components/ui/table';
import { formatMoney } from '~/lib/format';
import type { PlatformCampaign } from './ad-platform-text';
import { FetcherButton } from './fetcher-button';

export type Choice = { id: number; name: string };

/**
 * One platform campaign: its 30-day cost, the offer its spend counts against (ROI), the TAS
 * campaign whose budget stop may pause it, and pause/resume on the platform. A change is saved
 * as soon as it is made.
 */
export function CampaignMappingRow({
  campaign: c,
  offers,
  campaigns,
}: {
  campaign: PlatformCampaign;
  offers: Choice[];
  campaigns: Choice[];
}) {
  const fetcher = useFetcher<ActionOutcome>();
  const [offerId, setOfferId] = useState(c.offerId === null ? '' : String(c.offerId));
  const [campaignId, setCampaignId] = useState(c.campaignId === null ? '' : String(c.campaignId));
  const [follow, setFollow] = useState(c.pauseOnBudgetStop);
  const [saved, setSaved] = useState(false);
  const handled = useRef<ActionOutcome | undefined>(undefined);
  useEffect(() => {
    const result = fetcher.data;
    if (fetcher.state !== 'idle' || !result || handled.current === result) return;
    handled.current = result;
    if (result.ok) setSaved(true);
    else {
      toast.error(result.message);
      // What the API refused is put back as it is stored.
      setOfferId(c.offerId === null ? '' : String(c.offerId));
      setCampaignId(c.campaignId === null ? '' : String(c.campaignId));
      setFollow(c.pauseOnBudgetStop);
    }
  }, [fetcher.state, fetcher.data, c]);
  const save = (next: { offerId?: string; campaignId?: string; follow?: boolean }) => {
    const values = { offerId, campaignId, follow, ...next };
    // Without a TAS campaign there is no budget to follow.
    const pause = values.campaignId ? values.follow : false;
    setOfferId(values.offerId);
    setCampaignId(values.campaignId);
    setFollow(pause);
    setSaved(false);
    fetcher.submit(
      {
        intent: 'map',
        platformCampaignId: c.platformCampaignId,
        offerId: values.offerId,
        campaignId: values.campaignId,
        pauseOnBudgetStop: String(pause),
      },
      { method: 'post' },
    );
  };
  const busy = fetcher.state !== 'idle';
  const switchId = `follow-${c.platformCampaignId}`;
  return (
    <TableRow aria-label={c.name}>
      <TableCell className="whitespace-normal">
        <span className="font-medium">{c.name}</span>
        <span className="block font-mono text-xs text-muted-foreground">{c.platformCampaignId}</span>
      </TableCell>
      <TableCell className="whitespace-normal">
        <StatusBadge status={c.status === 'other' ? 'draft' : c.status} label={c.status} />
        {c.pausedByBudgetStop ? (
          <span className="mt-1 block text-xs text-muted-foreground">Paused by the TAS budget stop</span>
        ) : null}
      </TableCell>
      <TableCell className="text-right tabular-nums">
        {c.currency ? formatMoney(c.costMinor30d, c.currency) : '–'}
      </TableCell>
      <TableCell>
        <NativeSelect
          aria-label={`Offer of ${c.name}`}
          value={offerId}
          disabled={busy}
          onChange={(e) => save({ offerId: e.currentTarget.value })}
          className="min-w-44"
        >
          <option value="">Not mapped</option>
          {offers.map((o) => (
            <option key={o.id} value={o.id}>
              {o.name}
            </option>
          ))}
        </NativeSelect>
      </TableCell>
      <TableCell>
        <NativeSelect
          aria-label={`TAS campaign of ${c.name}`}
          value={campaignId}
          disabled={busy}
          onChange={(e) => save({ campaignId: e.currentTarget.value })}
          className="min-w-44"
        >
          <option value="">None</option>
          {campaigns.map((o) => (
            <option key={o.id} value={o.id}>
              {o.name}
            </option>
          ))}
        </NativeSelect>
      </TableCell>
      <TableCell>
        <div className="flex items-center gap-2">
          <Switch
            id={switchId}
            checked={follow}
            disabled={busy || !c.canPause || !campaignId}
            onCheckedChange={(checked) => save({ follow: checked })}
            aria-label={`Pause ${c.name} when the TAS budget stops`}
          />
          <span className="w-4" aria-live="polite">
            {busy ? (
              <Loader2Icon className="size-4 animate-spin text-muted-foreground" aria-label="Saving" />
            ) : saved ? (
              <CheckIcon className="size-4 text-success" aria-label="Saved" />
            ) : null}
          </span>
        </div>
        {!c.canPause ? (
          <span className="text-xs text-muted-foreground">TAS cannot pause this platform’s campaigns</span>
        ) : null}
      </TableCell>
      <TableCell className="text-right">
        {c.canPause && c.status !== 'other' ? (
          c.status === 'active' ? (
            <FetcherButton
              fields={{ intent: 'status', platformCampaignId: c.platformCampaignId, status: 'paused' }}
              variant="ghost"
              size="sm"
              icon={<PauseIcon aria-hidden />}
              aria-label={`Pause ${c.name}`}
            >
              Pause
            </FetcherButton>
          ) : (
            <FetcherButton
              fields={{ intent: 'status', platformCampaignId: c.platformCampaignId, status: 'active' }}
              variant="ghost"
              size="sm"
              icon={<PlayIcon aria-hidden />}
              aria-label={`Resume ${c.name}`}
            >
              Resume
            </FetcherButton>
          )
        ) : null}
      </TableCell>
    </TableRow>
  );
}
