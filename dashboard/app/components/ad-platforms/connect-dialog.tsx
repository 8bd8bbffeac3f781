import { getFormProps, getInputProps, getSelectProps, useForm } from '@conform-to/react';
import { parseWithZod } from '@conform-to/zod/v4';
import { KeyRoundIcon, Loader2Icon, LogInIcon } from 'lucide-react';
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
import { Input } from '~/components/ui/input';
import { Label } from '~/components/ui/label';
import { NativeSelect } from '~/components/ui/native-select';
import { oauthConnectionSchema, tokenConnectionSchema } from './ad-platform-forms';
import {
  ACCOUNT_HINT,
  AD_PLATFORMS,
  type AdPlatform,
  type Connection,
  PLATFORM_LABEL,
} from './ad-platform-text';
import type { FormReply } from './ad-platforms.server';

export type AdvertiserOption = { id: number; name: string };

/**
 * Connecting an ad account: through the platform's own consent page (OAuth: TAS is sent back
 * with the tokens), or by pasting a long-lived token (a Meta system user's, TikTok's). Given a
 * `reconnect`ed connection, it connects that one again.
 */
export function ConnectDialog({
  mode,
  advertisers,
  defaultAdvertiserId,
  reconnect,
  trigger,
  oauthReady,
}: {
  mode: 'oauth' | 'token';
  /** OAuth: the platforms whose app the network registered; the others are shown but cannot be chosen. */
  oauthReady?: readonly AdPlatform[] | undefined;
  /** Admins choose whose account; null for advertisers. */
  advertisers: AdvertiserOption[] | null;
  defaultAdvertiserId: number | null;
  reconnect?: Connection;
  trigger: ReactNode;
}) {
  const [open, setOpen] = useState(false);
  const fetcher = useFetcher<FormReply>();
  const intent = mode === 'oauth' ? 'connect-oauth' : 'connect-token';
  const reply = fetcher.data?.intent === intent ? fetcher.data.result : undefined;
  const choosable = (p: AdPlatform) => mode !== 'oauth' || !oauthReady || oauthReady.includes(p);
  const firstPlatform = reconnect?.platform ?? AD_PLATFORMS.find(choosable) ?? 'meta';
  const [platform, setPlatform] = useState<AdPlatform>(firstPlatform);
  const [form, fields] = useForm({
    id: reconnect ? `${intent}-${reconnect.id}` : intent,
    lastResult: open ? reply : undefined,
    defaultValue: {
      platform: firstPlatform,
      label: reconnect?.label ?? '',
      accountId: reconnect?.accountId ?? '',
      loginAccountId: reconnect?.loginAccountId ?? '',
      advertiserId: String(reconnect?.advertiserId ?? defaultAdvertiserId ?? ''),
    },
    onValidate: ({ formData }) =>
      parseWithZod(formData, { schema: mode === 'oauth' ? oauthConnectionSchema : tokenConnectionSchema }),
    shouldValidate: 'onBlur',
    shouldRevalidate: 'onInput',
  });
  useEffect(() => {
    if (fetcher.state === 'idle' && reply?.status === 'success') setOpen(false);
  }, [fetcher.state, reply]);
  const busy = fetcher.state !== 'idle';
  const hint = ACCOUNT_HINT[platform];
  return (
    <Dialog open={open} onOpenChange={(next) => !busy && setOpen(next)}>
      <DialogTrigger asChild>{trigger}</DialogTrigger>
      <DialogContent className="max-h-[calc(100dvh-2rem)] overflow-y-auto sm:max-w-xl">
        <fetcher.Form method="post" className="grid gap-4" {...getFormProps(form)}>
          <input type="hidden" name="intent" value={intent} />
          {reconnect ? <input type="hidden" name="connectionId" value={reconnect.id} /> : null}
          <DialogHeader>
            <DialogTitle>
              {reconnect
                ? `Connect “${reconnect.label}” again`
                : mode === 'oauth'
                  ? 'Connect an ad account'
                  : 'Paste an access token'}
            </DialogTitle>
            <DialogDescription>
              {reconnect && mode === 'token'
                ? 'Paste a new token: it replaces the one the platform refused, and is never shown again.'
                : mode === 'oauth'
                  ? 'You go to the platform to allow TAS, then come back here. TAS keeps the tokens encrypted and never shows them.'
                  : 'For a Meta system-user token or a TikTok long-term token. It is stored encrypted and never shown again.'}
            </DialogDescription>
          </DialogHeader>
          {advertisers && !reconnect ? (
            <div className="grid gap-1.5">
              <Label htmlFor={fields.advertiserId.id}>Advertiser</Label>
              <NativeSelect {...getSelectProps(fields.advertiserId)}>
                <option value="">Choose the advertiser…</option>
                {advertisers.map((a) => (
                  <option key={a.id} value={a.id}>
                    {a.name}
                  </option>
                ))}
              </NativeSelect>
              <FieldErrors id={fields.advertiserId.errorId} errors={fields.advertiserId.errors} />
            </div>
          ) : null}
          {reconnect ? (
            <input type="hidden" name="platform" value={reconnect.platform} />
          ) : (
            <div className="grid gap-1.5">
              <Label htmlFor={fields.platform.id}>Platform</Label>
              <NativeSelect
                {...getSelectProps(fields.platform)}
                onChange={(e) => setPlatform(e.currentTarget.value as AdPlatform)}
              >
                {AD_PLATFORMS.map((p) => (
                  <option key={p} value={p} disabled={!choosable(p)}>
                    {PLATFORM_LABEL[p]}
                    {choosable(p) ? '' : ' (OAuth not set up on this network)'}
                  </option>
                ))}
              </NativeSelect>
              <FieldErrors id={fields.platform.errorId} errors={fields.platform.errors} />
            </div>
          )}
          <Field
            meta={fields.label}
            label="Name"
            hint="How you tell this account apart, e.g. “Main ad account”."
            inputProps={{ autoComplete: 'off' }}
          />
          <div className="grid gap-4 sm:grid-cols-2">
            <Field
              meta={fields.accountId}
              label="Account id (optional)"
              hint={hint.account}
              inputProps={{ inputMode: 'numeric', autoComplete: 'off' }}
            />
            {hint.login ? (
              <Field
                meta={fields.loginAccountId}
                label={platform === 'google' ? 'Manager account id (optional)' : 'Customer id (optional)'}
                hint={hint.login}
                inputProps={{ inputMode: 'numeric', autoComplete: 'off' }}
              />
            ) : null}
          </div>
          {mode === 'token' ? (
            <div className="grid gap-1.5">
              <Label htmlFor={fields.accessToken.id}>Access token</Label>
              {/* Never given a value: a refused form comes back without it (hideFields in the action). */}
              <Input
                {...getInputProps(fields.accessToken, { type: 'password' })}
                defaultValue={undefined}
                autoComplete="off"
                spellCheck={false}
                className="font-mono"
              />
              <p className="text-xs text-muted-foreground">
                Sent once to TAS, kept encrypted, never displayed.
              </p>
              <FieldErrors id={fields.accessToken.errorId} errors={fields.accessToken.errors} />
            </div>
          ) : null}
          <FormErrors errors={form.errors} />
          <DialogFooter>
            <Button type="button" variant="outline" disabled={busy} onClick={() => setOpen(false)}>
              Cancel
            </Button>
            <Button type="submit" disabled={busy}>
              {busy ? (
                <Loader2Icon className="animate-spin" aria-hidden />
              ) : mode === 'oauth' ? (
                <LogInIcon aria-hidden />
              ) : (
                <KeyRoundIcon aria-hidden />
              )}
              {mode === 'oauth' ? `Continue to ${PLATFORM_LABEL[platform]}` : 'Connect'}
            </Button>
          </DialogFooter>
        </fetcher.Form>
      </DialogContent>
    </Dialog>
  );
}
