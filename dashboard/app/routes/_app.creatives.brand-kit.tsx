import { ArrowLeftIcon, PaletteIcon, PlusIcon, SparklesIcon } from 'lucide-react';
import { data, Link, redirect } from 'react-router';
import { advertiserChoices } from '~/components/campaigns/campaigns.server';
import {
  BrandKitForm,
  type BrandKitFormResult,
  brandKitFormInput,
  brandKitFormSchema,
} from '~/components/creatives/brand-kit-form';
import { FONTS } from '~/components/creatives/studio-options';
import { PageHeader } from '~/components/page';
import { Badge } from '~/components/ui/badge';
import { Button } from '~/components/ui/button';
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '~/components/ui/card';
import type { Schemas } from '~/lib/api.server';
import { apiMessage } from '~/lib/api-errors';
import { authOf, requireRole } from '~/lib/auth.server';
import { formatDateTime } from '~/lib/format';
import { flashToast } from '~/lib/session.server';
import { cn } from '~/lib/utils';
import type { Route } from './+types/_app.creatives.brand-kit';

export function meta() {
  return [{ title: 'Brand kit · TAS' }];
}

export async function loader({ context, request }: Route.LoaderArgs) {
  const { api, viewer } = requireRole(authOf(context), 'admin', 'advertiser');
  const url = new URL(request.url);
  const [list, advertisers] = await Promise.all([
    api.GET('/api/v1/brand-kits', { params: { query: { limit: 100 } } }),
    viewer.role === 'admin' ? advertiserChoices(api) : Promise.resolve(null),
  ]);
  if (!list.data)
    throw data(
      { message: apiMessage(list.error, 'The brand kits could not be loaded.') },
      { status: list.response.status },
    );
  const kits = list.data.data;
  const wanted = url.searchParams.get('kit');
  const creating = url.searchParams.get('new') !== null || kits.length === 0;
  const kit = creating ? null : (kits.find((k) => String(k.id) === wanted) ?? kits[0] ?? null);
  let logoUrl: string | null = null;
  if (kit?.logoAssetId) {
    // The asset route wants a bearer token; its metadata carries the public signed URL a browser can load.
    const { data: asset } = await api.GET('/api/v1/creative-assets/{id}/metadata', {
      params: { path: { id: String(kit.logoAssetId) } },
    });
    logoUrl = asset?.url ?? null;
  }
  return { kits, kit, logoUrl, advertisers };
}

export async function action({ context, request }: Route.ActionArgs) {
  const { api, viewer } = requireRole(authOf(context), 'admin', 'advertiser');
  const form = await request.formData();
  const parsed = brandKitFormSchema.safeParse(brandKitFormInput(form));
  const fail = (result: Omit<BrandKitFormResult, 'ok'>, status = 400) =>
    data({ ok: false as const, ...result }, { status });
  if (!parsed.success) {
    const flat = parsed.error.flatten();
    return fail({ fieldErrors: flat.fieldErrors, formErrors: flat.formErrors });
  }
  const input = parsed.data;
  if (!input.kitId && viewer.role === 'admin' && !input.advertiserId)
    return fail({ fieldErrors: { advertiserId: ['Choose the advertiser'] }, formErrors: [] });

  let logoAssetId: number | null | undefined;
  if (input.removeLogo) logoAssetId = null;
  const logo = form.get('logo');
  // A File by its type, not instanceof: the server's File class may not be the global one.
  if (logo !== null && typeof logo !== 'string' && logo.size > 0) {
    if (logo.size > 10 * 1024 * 1024)
      return fail({ fieldErrors: { logo: ['A logo has 10 MB at most'] }, formErrors: [] });
    let advertiserId = viewer.advertiserId ?? input.advertiserId;
    if (input.kitId && viewer.role === 'admin') {
      const { data: current } = await api.GET('/api/v1/brand-kits/{id}', {
        params: { path: { id: String(input.kitId) } },
      });
      advertiserId = current?.advertiserId;
    }
    const upload = new FormData();
    upload.set('file', new Blob([await logo.arrayBuffer()], { type: logo.type }), logo.name);
    const { data: asset, error } = await api.POST('/api/v1/creative-assets', {
      params: {
        query: viewer.role === 'admin' && advertiserId ? { advertiserId: String(advertiserId) } : {},
      },
      body: upload as never,
    });
    if (!asset)
      return fail({
        fieldErrors: { logo: [apiMessage(error, 'The logo could not be uploaded.')] },
        formErrors: [],
      });
    logoAssetId = asset.id;
  }

  const body = {
    name: input.name,
    colors: {
      primary: input.primary,
      secondary: input.secondary,
      background: input.background,
      text: input.text,
    },
    font: input.font,
    ...(input.tone ? { tone: input.tone } : {}),
    bannedWords: input.bannedWords,
  };
  let saved: Schemas['BrandKit'];
  if (input.kitId) {
    const id = String(input.kitId);
    if (logoAssetId === undefined) {
      // PUT takes the whole kit: an unchanged logo is carried over from the current version.
      const { data: current } = await api.GET('/api/v1/brand-kits/{id}', { params: { path: { id } } });
      logoAssetId = current?.logoAssetId ?? null;
    }
    const answer = await api.PUT('/api/v1/brand-kits/{id}', {
      params: { path: { id } },
      body: { ...body, logoAssetId },
    });
    if (!answer.data)
      return fail({ fieldErrors: {}, formErrors: [apiMessage(answer.error)] }, answer.response.status);
    saved = answer.data;
  } else {
    const answer = await api.POST('/api/v1/brand-kits', {
      body: {
        ...body,
        logoAssetId: logoAssetId ?? null,
        ...(viewer.role === 'admin' && input.advertiserId ? { advertiserId: input.advertiserId } : {}),
      },
    });
    if (!answer.data)
      return fail({ fieldErrors: {}, formErrors: [apiMessage(answer.error)] }, answer.response.status);
    saved = answer.data;
  }
  return redirect(`/creatives/brand-kit?kit=${saved.id}`, {
    headers: {
      'set-cookie': await flashToast(request, {
        kind: 'success',
        message: `Brand kit “${saved.name}” saved as version ${saved.version}.`,
      }),
    },
  });
}

export default function BrandKitPage({ loaderData, actionData }: Route.ComponentProps) {
  const { kits, kit, logoUrl, advertisers } = loaderData;
  const result = actionData && 'ok' in actionData ? (actionData as BrandKitFormResult) : undefined;
  return (
    <>
      <Button asChild variant="ghost" size="sm" className="mb-2 -ml-2 text-muted-foreground">
        <Link to="/creatives">
          <ArrowLeftIcon aria-hidden />
          Creatives
        </Link>
      </Button>
      <PageHeader
        title="Brand kit"
        description="Colours, font, logo and words every generated creative follows. Each save is a new version; a creative records the version it was made with."
        actions={
          <>
            <Button asChild variant="outline">
              <Link to="/creatives/brand-kit?new">
                <PlusIcon aria-hidden />
                New brand kit
              </Link>
            </Button>
            <Button asChild>
              <Link to={kit ? `/creatives/studio?brandKit=${kit.id}` : '/creatives/studio'}>
                <SparklesIcon aria-hidden />
                Open the studio
              </Link>
            </Button>
          </>
        }
      />
      <div className="grid gap-6 lg:grid-cols-[16rem_1fr]">
        <nav aria-label="Brand kits" className="self-start">
          {kits.length === 0 ? (
            <p className="text-sm text-muted-foreground">No brand kit yet: create the first.</p>
          ) : (
            <ul className="grid gap-1">
              {kits.map((k) => (
                <li key={k.id}>
                  <Link
                    to={`/creatives/brand-kit?kit=${k.id}`}
                    aria-current={kit?.id === k.id ? 'page' : undefined}
                    className={cn(
                      'flex items-center gap-2 rounded-md px-2.5 py-2 text-sm hover:bg-muted',
                      kit?.id === k.id && 'bg-muted font-medium',
                    )}
                  >
                    <span className="flex shrink-0 overflow-hidden rounded-sm border" aria-hidden>
                      <span className="size-3.5" style={{ background: k.colors.primary }} />
                      <span className="size-3.5" style={{ background: k.colors.secondary }} />
                    </span>
                    <span className="truncate">{k.name}</span>
                    <span className="ml-auto text-xs text-muted-foreground">v{k.version}</span>
                  </Link>
                </li>
              ))}
            </ul>
          )}
        </nav>
        <Card>
          <CardHeader>
            <CardTitle className="flex items-center gap-2">
              <PaletteIcon className="size-4" aria-hidden />
              {kit ? kit.name : 'New brand kit'}
              {kit ? <Badge variant="secondary">Version {kit.version}</Badge> : null}
            </CardTitle>
            <CardDescription>
              {kit
                ? `${FONTS.find((f) => f.id === kit.font)?.name ?? kit.font} · saved ${formatDateTime(kit.updatedAt)} UTC${
                    advertisers
                      ? ` · ${advertisers.find((a) => a.id === kit.advertiserId)?.name ?? `advertiser ${kit.advertiserId}`}`
                      : ''
                  }`
                : 'Start from your brand’s colours; you can change everything later.'}
            </CardDescription>
          </CardHeader>
          <CardContent>
            <BrandKitForm kit={kit} logoUrl={logoUrl} advertisers={advertisers} result={result} />
          </CardContent>
        </Card>
      </div>
    </>
  );
}
