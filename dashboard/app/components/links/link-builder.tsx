import { AlertTriangleIcon, RotateCcwIcon } from 'lucide-react';
import { type ReactNode, useId, useState } from 'react';
import { FieldErrors } from '~/components/form';
import { StatusBadge } from '~/components/status-badge';
import { Button } from '~/components/ui/button';
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '~/components/ui/card';
import { CopyButton } from '~/components/ui/copy-button';
import { Input } from '~/components/ui/input';
import { Label } from '~/components/ui/label';
import { NativeSelect } from '~/components/ui/native-select';
import { LinkQrCode } from './qr-code';
import {
  buildTrackingLink,
  checkDeepLink,
  checkSub,
  EMPTY_LINK_PARAMS,
  type LinkParams,
} from './tracking-link';

export type LinkOffer = {
  id: number;
  name: string;
  status: string;
  payout: string;
  trackingLink: string;
  deepLinksAllowed: boolean;
  deepLinkHosts: string[];
};

export type LinkCreative = { id: number; name: string; type: string; size: string | null };

const SUB_FIELDS = [
  { name: 'sub1', label: 'Sub 1', placeholder: 'e.g. campaign' },
  { name: 'sub2', label: 'Sub 2', placeholder: 'e.g. ad group' },
  { name: 'sub3', label: 'Sub 3', placeholder: 'e.g. keyword' },
  { name: 'sub4', label: 'Sub 4', placeholder: '' },
  { name: 'sub5', label: 'Sub 5', placeholder: '' },
  { name: 'source_id', label: 'Source id', placeholder: 'e.g. site or placement' },
] as const;

/**
 * The link builder's form and its result: the link as it is typed (what the edge will refuse is
 * said beside the field and left out of the link), its copy button and QR code. `children` gets
 * the valid parameters, for the bulk export that starts from them.
 */
export function LinkBuilder({
  offer,
  creatives,
  children,
}: {
  offer: LinkOffer;
  creatives: LinkCreative[];
  children?: (params: LinkParams) => ReactNode;
}) {
  const id = useId();
  const [params, setParams] = useState<LinkParams>(EMPTY_LINK_PARAMS);
  const set = (name: keyof LinkParams, value: string) =>
    setParams((current) => ({ ...current, [name]: value }));

  const deepLinkError = offer.deepLinksAllowed ? checkDeepLink(params.url, offer.deepLinkHosts) : null;
  const valid: LinkParams = { ...params, url: deepLinkError || !offer.deepLinksAllowed ? '' : params.url };
  const link = buildTrackingLink(offer.trackingLink, valid);
  const filled = Object.values(params).some((value) => value.trim() !== '');

  return (
    <>
      <div className="grid items-start gap-5 lg:grid-cols-[minmax(0,1fr)_minmax(0,400px)]">
        <Card>
          <CardHeader className="flex-row items-start justify-between gap-3 space-y-0">
            <div className="grid gap-1.5">
              <CardTitle>Parameters</CardTitle>
              <CardDescription>
                Sub ids come back in your reports and postbacks (
                <code className="font-mono text-xs">{'{sub1}'}</code>…), so you can tell your traffic apart.
              </CardDescription>
            </div>
            <Button
              type="button"
              variant="ghost"
              size="sm"
              disabled={!filled}
              onClick={() => setParams(EMPTY_LINK_PARAMS)}
            >
              <RotateCcwIcon aria-hidden /> Clear
            </Button>
          </CardHeader>
          <CardContent className="grid gap-5">
            <div className="grid grid-cols-2 gap-x-3 gap-y-4">
              {SUB_FIELDS.map((field) => {
                const error = checkSub(params[field.name]);
                const inputId = `${id}-${field.name}`;
                return (
                  <div key={field.name} className="grid gap-1.5">
                    <Label htmlFor={inputId}>
                      {field.label}{' '}
                      <span className="font-mono text-xs font-normal text-muted-foreground">
                        {field.name}=
                      </span>
                    </Label>
                    <Input
                      id={inputId}
                      name={field.name}
                      value={params[field.name]}
                      placeholder={field.placeholder}
                      autoComplete="off"
                      spellCheck={false}
                      aria-invalid={error ? true : undefined}
                      aria-describedby={error ? `${inputId}-error` : undefined}
                      onChange={(event) => set(field.name, event.currentTarget.value)}
                    />
                    <FieldErrors id={`${inputId}-error`} errors={error ? [error] : undefined} />
                  </div>
                );
              })}
            </div>

            <div className="grid gap-1.5">
              <Label htmlFor={`${id}-creative`}>
                Creative{' '}
                <span className="font-mono text-xs font-normal text-muted-foreground">creative_id=</span>
              </Label>
              <NativeSelect
                id={`${id}-creative`}
                value={params.creative_id}
                disabled={creatives.length === 0}
                aria-describedby={`${id}-creative-hint`}
                onChange={(event) => set('creative_id', event.currentTarget.value)}
              >
                <option value="">{creatives.length === 0 ? 'No creatives for this offer' : 'None'}</option>
                {creatives.map((creative) => (
                  <option key={creative.id} value={creative.id}>
                    #{creative.id} · {creative.name} · {creative.type}
                    {creative.size ? ` ${creative.size}` : ''}
                  </option>
                ))}
              </NativeSelect>
              <p id={`${id}-creative-hint`} className="text-xs text-muted-foreground">
                Which banner or video the click came from, in your reports.
              </p>
            </div>

            <div className="grid gap-1.5">
              <Label htmlFor={`${id}-url`}>
                Deep link <span className="font-mono text-xs font-normal text-muted-foreground">url=</span>
              </Label>
              {offer.deepLinksAllowed ? (
                <>
                  <Input
                    id={`${id}-url`}
                    name="url"
                    type="url"
                    inputMode="url"
                    value={params.url}
                    placeholder={`https://${(offer.deepLinkHosts[0] ?? 'shop.example').replace(/^\*\./, 'www.')}/…`}
                    autoComplete="off"
                    spellCheck={false}
                    aria-invalid={deepLinkError ? true : undefined}
                    aria-describedby={`${id}-url-hint${deepLinkError ? ` ${id}-url-error` : ''}`}
                    onChange={(event) => set('url', event.currentTarget.value)}
                  />
                  <p id={`${id}-url-hint`} className="text-xs text-muted-foreground">
                    Send visitors to a page of the advertiser's site. Allowed hosts:{' '}
                    {offer.deepLinkHosts.length > 0 ? (
                      offer.deepLinkHosts.map((host, index) => (
                        <span key={host}>
                          {index > 0 ? ', ' : ''}
                          <code className="font-mono text-foreground">{host}</code>
                        </span>
                      ))
                    ) : (
                      <span>none yet (ask the advertiser)</span>
                    )}
                    .
                  </p>
                  <FieldErrors id={`${id}-url-error`} errors={deepLinkError ? [deepLinkError] : undefined} />
                </>
              ) : (
                <p
                  id={`${id}-url`}
                  className="rounded-md border border-dashed px-3 py-2 text-sm text-muted-foreground"
                >
                  This offer takes no deep links: every visitor lands on the offer's own page.
                </p>
              )}
            </div>
          </CardContent>
        </Card>

        <Card className="lg:sticky lg:top-20">
          <CardHeader>
            <div className="flex items-center justify-between gap-2">
              <CardTitle>Your tracking link</CardTitle>
              <StatusBadge status={offer.status} />
            </div>
            <CardDescription>
              #{offer.id} · {offer.name}
              <span className="block text-xs">You earn {offer.payout}.</span>
            </CardDescription>
          </CardHeader>
          <CardContent className="grid gap-4">
            <p
              data-testid="tracking-link"
              className="rounded-lg border bg-muted/50 px-3 py-2.5 font-mono text-[12.5px] leading-relaxed break-all select-all"
            >
              {link}
            </p>
            {deepLinkError ? (
              <p className="flex items-start gap-2 text-xs text-amber-800 dark:text-amber-300">
                <AlertTriangleIcon className="mt-0.5 size-3.5 shrink-0" aria-hidden />
                The deep link is left out until its host is allowed.
              </p>
            ) : null}
            <CopyButton value={link} label="Copy link" text="Copy link" size="default" variant="default" />
            <LinkQrCode value={link} filename={`offer-${offer.id}-link`} />
          </CardContent>
        </Card>
      </div>
      {/* On a phone the link card is below the form: the link stays at hand while typing. */}
      <div className="sticky bottom-3 z-10 mt-4 flex items-center gap-2 rounded-xl border bg-popover/95 p-2 pl-3 shadow-lg backdrop-blur lg:hidden">
        <p className="min-w-0 flex-1 truncate text-left font-mono text-xs [direction:rtl]" aria-hidden>
          <bdi dir="ltr">{link}</bdi>
        </p>
        <CopyButton value={link} label="Copy the tracking link" text="Copy" variant="default" />
      </div>
      {children ? <div className="mt-5">{children(valid)}</div> : null}
    </>
  );
}
