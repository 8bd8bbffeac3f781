import { getFormProps, getInputProps, getSelectProps, useForm } from '@conform-to/react';
import { parseWithZod } from '@conform-to/zod/v4';
import { InfoIcon, Loader2Icon, RotateCwIcon } from 'lucide-react';
import { useEffect, useRef, useState } from 'react';
import { useFetcher } from 'react-router';
import { toast } from 'sonner';
import { FieldErrors, FormErrors } from '~/components/form';
import { Button } from '~/components/ui/button';
import {
  Dialog,
  DialogContent,
  DialogDescription,
  DialogFooter,
  DialogHeader,
  DialogTitle,
  DialogTrigger,
} from '~/components/ui/dialog';
import { Input } from '~/components/ui/input';
import { Label } from '~/components/ui/label';
import { Alert } from '~/components/ui/misc';
import { NativeSelect } from '~/components/ui/native-select';
import { formatCount } from '~/lib/format';
import { type BulkReplayOutcome, bulkReplaySchema } from './bulk-replay-schema';
import type { DeliveryActionResult } from './deliveries.server';

const deliveries = (n: number) => `${formatCount(n)} ${n === 1 ? 'delivery' : 'deliveries'}`;

/**
 * Re-queue many failed (or parked) deliveries at once: a dry run first says how many would go and
 * what is left alone (postbacks that are off, conversions whose status changed since), then the
 * same replay is applied on confirmation.
 */
export function BulkReplayDialog({
  role,
  configs,
  affiliates,
  offers,
  defaultConfigId,
}: {
  role: 'admin' | 'affiliate';
  configs: { id: number; label: string }[];
  affiliates: { id: number; name: string }[];
  offers: { id: number; name: string }[];
  defaultConfigId: string | null;
}) {
  const [open, setOpen] = useState(false);
  return (
    <Dialog open={open} onOpenChange={setOpen}>
      <DialogTrigger asChild>
        <Button variant="outline">
          <RotateCwIcon aria-hidden /> Replay in bulk
        </Button>
      </DialogTrigger>
      <DialogContent className="max-h-[calc(100dvh-2rem)] overflow-y-auto sm:max-w-lg">
        {open ? (
          <BulkReplayForm
            role={role}
            configs={configs}
            affiliates={affiliates}
            offers={offers}
            defaultConfigId={defaultConfigId}
            onDone={() => setOpen(false)}
          />
        ) : null}
      </DialogContent>
    </Dialog>
  );
}

function BulkReplayForm({
  role,
  configs,
  affiliates,
  offers,
  defaultConfigId,
  onDone,
}: {
  role: 'admin' | 'affiliate';
  configs: { id: number; label: string }[];
  affiliates: { id: number; name: string }[];
  offers: { id: number; name: string }[];
  defaultConfigId: string | null;
  onDone: () => void;
}) {
  const fetcher = useFetcher<DeliveryActionResult>();
  const answer = fetcher.data?.intent === 'bulk' ? fetcher.data : undefined;
  const [preview, setPreview] = useState<BulkReplayOutcome | null>(null);
  const handled = useRef<DeliveryActionResult | undefined>(undefined);
  const schema = bulkReplaySchema(role);
  const [form, fields] = useForm({
    lastResult: fetcher.state === 'idle' ? answer?.reply : undefined,
    defaultValue: { states: ['failed', 'disabled'], postbackConfigId: defaultConfigId ?? '' },
    onValidate: ({ formData }) => parseWithZod(formData, { schema }),
    shouldValidate: 'onSubmit',
    shouldRevalidate: 'onInput',
  });

  useEffect(() => {
    if (fetcher.state !== 'idle' || !answer || handled.current === answer) return;
    handled.current = answer;
    const outcome = answer.outcome;
    if (!outcome) return;
    if (outcome.step === 'preview') {
      setPreview(outcome);
      return;
    }
    toast.success(
      outcome.count === 0
        ? 'Nothing was queued.'
        : `${deliveries(outcome.count)} queued: they go out now, with the usual retries.${outcome.moreMatched ? ' More matched: replay again for the rest.' : ''}`,
    );
    onDone();
  }, [fetcher.state, answer, onDone]);

  const busy = fetcher.state !== 'idle' ? fetcher.formData?.get('step') : null;
  const stateOptions = [
    { value: 'failed', label: 'Failed', hint: 'given up after the last retry' },
    { value: 'disabled', label: 'Disabled', hint: 'parked while the postback was off' },
    ...(role === 'admin' ? [{ value: 'delivered', label: 'Delivered', hint: 'send again' }] : []),
  ];

  return (
    <>
      <DialogHeader>
        <DialogTitle>Replay deliveries in bulk</DialogTitle>
        <DialogDescription>
          Check first: nothing is sent until you confirm. Oldest first; cancelled ones are replayed one by
          one.
        </DialogDescription>
      </DialogHeader>
      <fetcher.Form
        method="post"
        action="/postbacks/deliveries"
        className="grid gap-4"
        {...getFormProps(form)}
        onInput={() => setPreview(null)}
        onChange={() => setPreview(null)}
      >
        <fieldset className="grid gap-2" aria-describedby={fields.states.errorId}>
          <legend className="mb-1 text-sm font-medium">Deliveries that are</legend>
          {stateOptions.map((option) => (
            <label key={option.value} className="flex items-center gap-2 text-sm">
              <input
                type="checkbox"
                name={fields.states.name}
                value={option.value}
                defaultChecked={fields.states.initialValue?.includes(option.value)}
                className="size-4 accent-primary"
              />
              {option.label} <span className="text-muted-foreground">({option.hint})</span>
            </label>
          ))}
          <FieldErrors id={fields.states.errorId} errors={fields.states.errors} />
        </fieldset>
        <div className="grid gap-4 sm:grid-cols-2">
          <div className="grid gap-1.5">
            <Label htmlFor={fields.postbackConfigId.id}>Postback</Label>
            <NativeSelect {...getSelectProps(fields.postbackConfigId)}>
              <option value="">All postbacks</option>
              {configs.map((config) => (
                <option key={config.id} value={config.id}>
                  {config.label}
                </option>
              ))}
            </NativeSelect>
          </div>
          <div className="grid gap-1.5">
            <Label htmlFor={fields.offerId.id}>Converting offer</Label>
            <NativeSelect {...getSelectProps(fields.offerId)}>
              <option value="">All offers</option>
              {offers.map((offer) => (
                <option key={offer.id} value={offer.id}>
                  #{offer.id} · {offer.name}
                </option>
              ))}
            </NativeSelect>
          </div>
          {role === 'admin' ? (
            <div className="grid gap-1.5 sm:col-span-2">
              <Label htmlFor={fields.affiliateId.id}>Affiliate</Label>
              <NativeSelect {...getSelectProps(fields.affiliateId)}>
                <option value="">All affiliates</option>
                {affiliates.map((affiliate) => (
                  <option key={affiliate.id} value={affiliate.id}>
                    #{affiliate.id} · {affiliate.name}
                  </option>
                ))}
              </NativeSelect>
            </div>
          ) : null}
          <div className="grid gap-1.5">
            <Label htmlFor={fields.from.id}>Created from (UTC)</Label>
            <Input {...getInputProps(fields.from, { type: 'date' })} />
          </div>
          <div className="grid gap-1.5">
            <Label htmlFor={fields.to.id}>Created until (UTC)</Label>
            <Input {...getInputProps(fields.to, { type: 'date' })} />
            <FieldErrors id={fields.to.errorId} errors={fields.to.errors} />
          </div>
          <div className="grid gap-1.5">
            <Label htmlFor={fields.limit.id}>At most</Label>
            <Input
              {...getInputProps(fields.limit, { type: 'number' })}
              min={1}
              max={10000}
              placeholder="10000"
            />
            <FieldErrors id={fields.limit.errorId} errors={fields.limit.errors} />
          </div>
        </div>

        <FormErrors errors={form.errors} />

        {preview ? (
          <Alert className="flex items-start gap-2">
            <InfoIcon className="mt-0.5 size-4 shrink-0" aria-hidden />
            <div className="grid gap-1">
              <p className="font-medium">
                {preview.count === 0
                  ? 'No delivery would be replayed.'
                  : `${deliveries(preview.count)} will be replayed.`}
              </p>
              {preview.moreMatched ? (
                <p className="text-muted-foreground">
                  More matched than {formatCount(preview.limit)}: replay again afterwards, or narrow the days.
                </p>
              ) : null}
              {preview.inactiveConfigs > 0 ? (
                <p className="text-muted-foreground">
                  {deliveries(preview.inactiveConfigs)} left alone: their postback is off. Turn it on, then
                  replay.
                </p>
              ) : null}
              {preview.skippedStatusChanged > 0 ? (
                <p className="text-muted-foreground">
                  {deliveries(preview.skippedStatusChanged)} not sent: the conversion no longer has the status
                  that fired {preview.skippedStatusChanged === 1 ? 'it' : 'them'}; replaying cancels{' '}
                  {preview.skippedStatusChanged === 1 ? 'it' : 'them'}.
                </p>
              ) : null}
            </div>
          </Alert>
        ) : null}

        <DialogFooter>
          <Button type="button" variant="outline" onClick={onDone}>
            Cancel
          </Button>
          {preview && preview.count > 0 ? (
            <Button type="submit" name="step" value="apply" disabled={busy === 'apply'}>
              {busy === 'apply' ? <Loader2Icon className="animate-spin" aria-hidden /> : null}
              Replay {deliveries(preview.count)}
            </Button>
          ) : (
            <Button type="submit" name="step" value="preview" disabled={busy === 'preview'}>
              {busy === 'preview' ? <Loader2Icon className="animate-spin" aria-hidden /> : null}
              Check what would be replayed
            </Button>
          )}
        </DialogFooter>
      </fetcher.Form>
    </>
  );
}
