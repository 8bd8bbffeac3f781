import { getFormProps, getSelectProps, useForm } from '@conform-to/react';
import { parseWithZod } from '@conform-to/zod/v4';
import { Loader2Icon } from 'lucide-react';
import { type ReactNode, useEffect, useState } from 'react';
import { useFetcher } from 'react-router';
import { Field, FieldErrors, FormErrors } from '~/components/form';
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
import { Label } from '~/components/ui/label';
import { NativeSelect } from '~/components/ui/native-select';
import { destinationCreateSchema, destinationEditSchema } from './ad-platform-forms';
import {
  type AdPlatform,
  type Connection,
  DEFAULT_EVENT,
  type Destination,
  PLATFORM_LABEL,
} from './ad-platform-text';
import type { FormReply, OfferName } from './ad-platforms.server';

/**
 * Where an advertiser's conversions go: an ad account, one offer or all, the platform's own ids
 * (Meta's pixel, Google's conversion action, TikTok's pixel code, Microsoft's goal), when to send
 * and what consent it needs. Given a `destination`, it edits that one (its account and offer stay).
 */
export function DestinationDialog({
  connections,
  offers,
  destination,
  trigger,
}: {
  connections: Connection[];
  offers: OfferName[];
  destination?: Destination;
  trigger: ReactNode;
}) {
  const [open, setOpen] = useState(false);
  const fetcher = useFetcher<FormReply>();
  const intent = destination ? 'edit-destination' : 'create-destination';
  const reply = fetcher.data?.intent === intent && fetcher.data.result ? fetcher.data.result : undefined;
  const firstConnection = connections[0];
  const [connectionId, setConnectionId] = useState(destination?.connectionId ?? firstConnection?.id ?? '');
  const connection = connections.find((c) => c.id === connectionId);
  const platform: AdPlatform = destination?.platform ?? connection?.platform ?? 'meta';
  const settings = destination?.settings ?? {};
  const [form, fields] = useForm({
    id: destination ? `destination-${destination.id}` : 'new-destination',
    lastResult: open ? reply : undefined,
    defaultValue: {
      connectionId,
      offerId: '',
      name: destination?.name ?? '',
      sendOn: destination?.sendOn ?? 'approved',
      consentPolicy: destination?.consentPolicy ?? 'unless_denied',
      testEventCode: destination?.testEventCode ?? '',
      pixelId: settings.pixelId ?? '',
      conversionActionId: settings.conversionActionId ?? '',
      api: settings.api ?? 'data_manager',
      pixelCode: settings.pixelCode ?? '',
      conversionName: settings.conversionName ?? '',
      eventName: settings.eventName ?? '',
    },
    onValidate: ({ formData }) =>
      parseWithZod(formData, { schema: destination ? destinationEditSchema : destinationCreateSchema }),
    shouldValidate: 'onBlur',
    shouldRevalidate: 'onInput',
  });
  useEffect(() => {
    if (fetcher.state === 'idle' && reply?.status === 'success') setOpen(false);
  }, [fetcher.state, reply]);
  const busy = fetcher.state !== 'idle';
  const offersOfAccount = connection
    ? offers.filter((o) => o.advertiserId === connection.advertiserId)
    : offers;
  return (
    <Dialog open={open} onOpenChange={(next) => !busy && setOpen(next)}>
      <DialogTrigger asChild>{trigger}</DialogTrigger>
      <DialogContent className="max-h-[calc(100dvh-2rem)] overflow-y-auto sm:max-w-2xl">
        <fetcher.Form method="post" action="/ad-platforms" className="grid gap-4" {...getFormProps(form)}>
          <input type="hidden" name="intent" value={intent} />
          <input type="hidden" name="platform" value={platform} />
          {destination ? <input type="hidden" name="destinationId" value={destination.id} /> : null}
          <DialogHeader>
            <DialogTitle>{destination ? `Edit “${destination.name}”` : 'New destination'}</DialogTitle>
            <DialogDescription>
              {destination
                ? `Sends to ${PLATFORM_LABEL[destination.platform]}. Changes apply to the conversions sent from now on.`
                : 'Each conversion of the chosen offers is sent to the ad platform, so it can optimise your campaigns on real sales.'}
            </DialogDescription>
          </DialogHeader>
          {destination ? null : (
            <div className="grid gap-4 sm:grid-cols-2">
              <div className="grid gap-1.5">
                <Label htmlFor={fields.connectionId.id}>Ad account</Label>
                <NativeSelect
                  {...getSelectProps(fields.connectionId)}
                  onChange={(e) => setConnectionId(e.currentTarget.value)}
                >
                  {connections.map((c) => (
                    <option key={c.id} value={c.id}>
                      {PLATFORM_LABEL[c.platform]} · {c.label}
                    </option>
                  ))}
                </NativeSelect>
                <FieldErrors id={fields.connectionId.errorId} errors={fields.connectionId.errors} />
              </div>
              <div className="grid gap-1.5">
                <Label htmlFor={fields.offerId.id}>Offer</Label>
                <NativeSelect {...getSelectProps(fields.offerId)}>
                  <option value="">All offers</option>
                  {offersOfAccount.map((o) => (
                    <option key={o.id} value={o.id}>
                      {o.name}
                    </option>
                  ))}
                </NativeSelect>
                <FieldErrors id={fields.offerId.errorId} errors={fields.offerId.errors} />
              </div>
            </div>
          )}
          <Field
            meta={fields.name}
            label="Name"
            hint="e.g. “Meta purchases, all offers”."
            inputProps={{ autoComplete: 'off' }}
          />
          <fieldset className="grid gap-4 rounded-lg border p-4">
            <legend className="px-1 text-sm font-medium">{PLATFORM_LABEL[platform]} settings</legend>
            {platform === 'meta' ? (
              <Field
                meta={fields.pixelId}
                label="Pixel (dataset) id"
                hint="Events Manager → Data sources: the dataset’s id, digits only."
                inputProps={{ inputMode: 'numeric', autoComplete: 'off' }}
              />
            ) : null}
            {platform === 'google' ? (
              <div className="grid gap-4 sm:grid-cols-2">
                <Field
                  meta={fields.conversionActionId}
                  label="Conversion action id"
                  hint="Goals → Conversions: the action’s id (ctId in its URL)."
                  inputProps={{ inputMode: 'numeric', autoComplete: 'off' }}
                />
                <div className="grid gap-1.5 self-start">
                  <Label htmlFor={fields.api.id}>Send through</Label>
                  <NativeSelect {...getSelectProps(fields.api)}>
                    <option value="data_manager">Data Manager API (recommended)</option>
                    <option value="legacy_upload">Legacy click-conversion upload</option>
                  </NativeSelect>
                  <p className="text-xs text-muted-foreground">
                    The legacy upload only for accounts Google still allows to use it.
                  </p>
                </div>
              </div>
            ) : null}
            {platform === 'tiktok' ? (
              <Field
                meta={fields.pixelCode}
                label="Pixel code"
                hint="Events Manager: the pixel’s code, capital letters and digits."
                inputProps={{ autoComplete: 'off', className: 'font-mono' }}
              />
            ) : null}
            {platform === 'microsoft' ? (
              <Field
                meta={fields.conversionName}
                label="Offline conversion goal name"
                hint="Exactly as the goal is named in Microsoft Advertising."
                inputProps={{ autoComplete: 'off' }}
              />
            ) : null}
            <Field
              meta={fields.eventName}
              label="Event name (optional)"
              hint={`Leave empty to send ${DEFAULT_EVENT[platform]}.`}
              inputProps={{ autoComplete: 'off' }}
            />
          </fieldset>
          <div className="grid gap-4 sm:grid-cols-2">
            <div className="grid gap-1.5">
              <Label htmlFor={fields.sendOn.id}>Send</Label>
              <NativeSelect {...getSelectProps(fields.sendOn)}>
                <option value="approved">Once the conversion is approved</option>
                <option value="pending">As soon as it is counted</option>
              </NativeSelect>
              <p className="text-xs text-muted-foreground">
                Sent early, a conversion rejected later is taken back where the platform allows it.
              </p>
            </div>
            <div className="grid gap-1.5">
              <Label htmlFor={fields.consentPolicy.id}>Consent</Label>
              <NativeSelect {...getSelectProps(fields.consentPolicy)}>
                <option value="unless_denied">Send unless the visitor denied it</option>
                <option value="required">Only when the visitor granted it</option>
              </NativeSelect>
              <p className="text-xs text-muted-foreground">
                Read from the click’s consent parameter. “Only when granted” is the safe choice in the EEA.
              </p>
            </div>
          </div>
          <Field
            meta={fields.testEventCode}
            label="Test event code (optional)"
            hint="Meta and TikTok: events go to the platform’s test view; Google: validated only. Clear it to go live."
            inputProps={{ autoComplete: 'off' }}
          />
          <FormErrors errors={form.errors} />
          <DialogFooter>
            <Button type="button" variant="outline" disabled={busy} onClick={() => setOpen(false)}>
              Cancel
            </Button>
            <Button type="submit" disabled={busy}>
              {busy ? <Loader2Icon className="animate-spin" aria-hidden /> : null}
              {destination ? 'Save' : 'Create destination'}
            </Button>
          </DialogFooter>
        </fetcher.Form>
      </DialogContent>
    </Dialog>
  );
}
