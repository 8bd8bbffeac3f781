import { parseWithZod } from '@conform-to/zod/v4';
import { currencyExponent, parseDecimalAmount } from '@tas/shared/minor-units';
import { subDays } from 'date-fns';
import { AlertTriangleIcon, BriefcaseIcon, KeyRoundIcon, ShieldCheckIcon } from 'lucide-react';
import type { ReactNode } from 'react';
import { data, Form, Link, useSearchParams, useSubmit } from 'react-router';
import {
  integrationSnippets,
  type Offer,
  postbackParameters,
  SOURCES_TEXT,
} from '~/components/integration/snippets';
import {
  type TestActionData,
  TestConversion,
  testConversionSchema,
} from '~/components/integration/test-conversion';
import { sendTestConversion } from '~/components/integration/test-conversion.server';
import { EmptyState, PageHeader } from '~/components/page';
import { StatusBadge } from '~/components/status-badge';
import { Badge } from '~/components/ui/badge';
import { Button } from '~/components/ui/button';
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '~/components/ui/card';
import { CopyField } from '~/components/ui/copy-button';
import { Label } from '~/components/ui/label';
import { Alert } from '~/components/ui/misc';
import { NativeSelect } from '~/components/ui/native-select';
import { Tabs, TabsContent, TabsList, TabsTrigger } from '~/components/ui/tabs';
import type { ApiClient } from '~/lib/api.server';
import { apiMessage } from '~/lib/api-errors';
import { authOf, requireRole } from '~/lib/auth.server';
import { dashboardEnv } from '~/lib/env.server';
import type { Route } from './+types/_app.integration';

export function meta() {
  return [{ title: 'Integration · TAS' }];
}

function fullOffers(list: { data: unknown[] } | undefined): Offer[] {
  return (list?.data ?? []).filter(
    (o): o is Offer => typeof o === 'object' && o !== null && 'hasPostbackSecret' in o,
  );
}

/** An affiliate who ran the offer lately, for the test's default (advertisers may not list affiliates). */
async function recentAffiliate(api: ApiClient, offerId: number): Promise<string> {
  const approved = await api.GET('/api/v1/applications', {
    params: { query: { offerId: String(offerId), status: 'approved' } },
  });
  const application = approved.data?.data[0];
  if (application) return String(application.affiliateId);
  const today = new Date();
  const report = await api.GET('/api/v1/reports', {
    params: {
      query: {
        offerId: String(offerId),
        groupBy: 'affiliate',
        granularity: 'total',
        from: subDays(today, 30).toISOString().slice(0, 10),
        to: today.toISOString().slice(0, 10),
      },
    },
  });
  const body = report.data;
  const rows = typeof body === 'object' && body !== null && 'data' in body ? body.data : [];
  const row = rows.find((r) => r.affiliateId !== undefined);
  return row?.affiliateId ? String(row.affiliateId) : '';
}

export async function loader({ context, request }: Route.LoaderArgs) {
  const { api, viewer } = requireRole(authOf(context), 'admin', 'advertiser');
  const admin = viewer.role === 'admin';
  const [list, advertisers, affiliates] = await Promise.all([
    api.GET('/api/v1/offers', { params: { query: { limit: 200 } } }),
    admin ? api.GET('/api/v1/advertisers', { params: { query: { limit: 200 } } }) : null,
    admin ? api.GET('/api/v1/affiliates', { params: { query: { limit: 200 } } }) : null,
  ]);
  if (!list.data)
    throw data(
      { message: apiMessage(list.error, 'The offers could not be loaded.') },
      { status: list.response.status },
    );
  const offers = fullOffers(list.data).filter((o) => o.status !== 'archived');
  const wanted = new URL(request.url).searchParams.get('offer');
  const offer = offers.find((o) => String(o.id) === wanted) ?? offers[0] ?? null;
  const activeAffiliates =
    affiliates?.data?.data
      .filter((a) => a.status === 'active')
      .map((a) => ({ id: a.id, name: a.companyName })) ?? null;
  return {
    offers: offers.map((o) => ({ id: o.id, name: o.name, advertiserId: o.advertiserId, status: o.status })),
    advertisers: advertisers?.data?.data.map((a) => ({ id: a.id, name: a.companyName })) ?? null,
    offer,
    edgeUrl: dashboardEnv().edgeUrl,
    affiliates: activeAffiliates,
    defaultAffiliateId: offer
      ? activeAffiliates
        ? String(activeAffiliates[0]?.id ?? '')
        : await recentAffiliate(api, offer.id)
      : '',
  };
}

export async function action({
  context,
  request,
}: Route.ActionArgs): Promise<ReturnType<typeof data<TestActionData>>> {
  const { api } = requireRole(authOf(context), 'admin', 'advertiser');
  const submission = parseWithZod(await request.formData(), { schema: testConversionSchema });
  if (submission.status !== 'success')
    return data({ reply: submission.reply({ hideFields: ['secret'] }), test: null }, { status: 400 });
  const { offerId, affiliateId, event, amount, secret } = submission.value;
  // The offer as the viewer may see it: an advertiser tests only its own.
  const {
    data: offer,
    error,
    response,
  } = await api.GET('/api/v1/offers/{id}', { params: { path: { id: offerId } } });
  if (!offer || !('hasPostbackSecret' in offer))
    return data(
      { reply: submission.reply({ formErrors: [apiMessage(error)], hideFields: ['secret'] }), test: null },
      { status: response.status === 200 ? 403 : response.status },
    );
  if (!offer.events.includes(event))
    return data(
      {
        reply: submission.reply({
          fieldErrors: { event: ['Not an event of this offer.'] },
          hideFields: ['secret'],
        }),
        test: null,
      },
      { status: 400 },
    );
  const parsed = parseDecimalAmount(amount, offer.currency);
  if (!parsed.ok) {
    const digits = currencyExponent(offer.currency);
    return data(
      {
        reply: submission.reply({
          fieldErrors: {
            amount: [
              `${offer.currency} has ${digits === 0 ? 'no' : digits} decimals${digits === 0 ? '' : ' at most'}.`,
            ],
          },
          hideFields: ['secret'],
        }),
        test: null,
      },
      { status: 400 },
    );
  }
  const test = await sendTestConversion({
    offer,
    edgeUrl: dashboardEnv().edgeUrl,
    affiliateId: Number(affiliateId),
    event,
    amount,
    secret: secret || undefined,
  });
  return data({ reply: submission.reply({ hideFields: ['secret'] }), test });
}

export default function Integration({ loaderData }: Route.ComponentProps) {
  const { offers, offer, advertisers, edgeUrl, affiliates, defaultAffiliateId } = loaderData;
  return (
    <>
      <PageHeader
        title="Integration"
        description="Everything your systems need to report conversions for an offer, ready to copy."
        actions={offers.length > 0 ? <OfferPicker offers={offers} advertisers={advertisers} /> : null}
      />
      {offer ? (
        <OfferIntegration
          key={offer.id}
          offer={offer}
          edgeUrl={edgeUrl}
          affiliates={affiliates}
          defaultAffiliateId={defaultAffiliateId}
        />
      ) : (
        <EmptyState
          icon={BriefcaseIcon}
          title="No offers to integrate yet"
          description="Integration is per offer: once an offer exists, its postback URL, pixels and scripts show here."
          action={
            <Button asChild>
              <Link to="/offers">Go to offers</Link>
            </Button>
          }
        />
      )}
    </>
  );
}

function OfferPicker({
  offers,
  advertisers,
}: {
  offers: { id: number; name: string; advertiserId: number }[];
  advertisers: { id: number; name: string }[] | null;
}) {
  const [params] = useSearchParams();
  const submit = useSubmit();
  const names = new Map(advertisers?.map((a) => [a.id, a.name]) ?? []);
  return (
    <Form method="get" className="flex items-end gap-2" onChange={(event) => submit(event.currentTarget)}>
      <div className="grid gap-1">
        <Label htmlFor="integration-offer" className="text-xs text-muted-foreground">
          Offer
        </Label>
        <NativeSelect
          id="integration-offer"
          name="offer"
          defaultValue={params.get('offer') ?? String(offers[0]?.id ?? '')}
          className="w-72 max-w-[calc(100vw-2rem)]"
        >
          {advertisers
            ? [...new Set(offers.map((o) => o.advertiserId))].map((id) => (
                <optgroup key={id} label={names.get(id) ?? `Advertiser ${id}`}>
                  {offers
                    .filter((o) => o.advertiserId === id)
                    .map((o) => (
                      <option key={o.id} value={o.id}>
                        {o.name} (#{o.id})
                      </option>
                    ))}
                </optgroup>
              ))
            : offers.map((o) => (
                <option key={o.id} value={o.id}>
                  {o.name} (#{o.id})
                </option>
              ))}
        </NativeSelect>
      </div>
      <noscript>
        <Button type="submit" variant="outline">
          Show
        </Button>
      </noscript>
    </Form>
  );
}

function Step({
  number,
  title,
  description,
  badge,
  children,
}: {
  number: number | null;
  title: string;
  description: ReactNode;
  badge?: ReactNode;
  children: ReactNode;
}) {
  return (
    <Card id={`step-${number ?? 'test'}`} className="min-w-0">
      <CardHeader>
        <div className="flex flex-wrap items-center gap-2">
          {number !== null ? (
            <span
              aria-hidden
              className="flex size-6 items-center justify-center rounded-full bg-primary/12 text-xs font-semibold text-primary"
            >
              {number}
            </span>
          ) : null}
          <CardTitle>
            {number !== null ? <span className="sr-only">Step {number}: </span> : null}
            {title}
          </CardTitle>
          {badge}
        </div>
        <CardDescription>{description}</CardDescription>
      </CardHeader>
      <CardContent className="grid min-w-0 gap-4">{children}</CardContent>
    </Card>
  );
}

function Fact({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="grid min-w-0 gap-1">
      <dt className="text-xs text-muted-foreground">{label}</dt>
      <dd className="text-sm font-medium">{children}</dd>
    </div>
  );
}

function Snippet({
  label,
  value,
  hint,
  multiline,
}: {
  label: string;
  value: string;
  hint?: ReactNode;
  multiline?: boolean;
}) {
  return (
    <div className="grid min-w-0 gap-1.5">
      <p className="text-sm font-medium">{label}</p>
      <CopyField value={value} label={label} multiline={multiline} />
      {hint ? <p className="text-xs text-muted-foreground">{hint}</p> : null}
    </div>
  );
}

function OfferIntegration({
  offer,
  edgeUrl,
  affiliates,
  defaultAffiliateId,
}: {
  offer: Offer;
  edgeUrl: string;
  affiliates: { id: number; name: string }[] | null;
  defaultAffiliateId: string;
}) {
  const s = integrationSnippets(offer, edgeUrl);
  const published = offer.status === 'active' || offer.status === 'paused';
  const secretOrAllowlist = offer.hasPostbackSecret || offer.postbackIpAllowlist.length > 0;
  return (
    <div className="grid gap-6">
      <Card>
        <CardContent className="p-5">
          <dl className="grid grid-cols-2 gap-4 sm:grid-cols-3 lg:grid-cols-6">
            <Fact label="Offer">
              <Link to={`/offers/${offer.id}`} className="hover:underline">
                #{offer.id}
              </Link>{' '}
              <StatusBadge status={offer.status} />
            </Fact>
            <Fact label="Accepts">{SOURCES_TEXT[offer.acceptedConversionSources]}</Fact>
            <Fact label="Events">
              <span className="flex flex-wrap gap-1">
                {offer.events.map((e) => (
                  <Badge
                    key={e}
                    variant={e === offer.defaultEvent ? 'default' : 'secondary'}
                    className="font-mono"
                  >
                    {e}
                    {e === offer.defaultEvent ? <span className="sr-only"> (default)</span> : null}
                  </Badge>
                ))}
              </span>
            </Fact>
            <Fact label="Currency">{offer.currency}</Fact>
            <Fact label="Attribution window">
              {offer.attributionWindowHours % 24 === 0
                ? `${offer.attributionWindowHours / 24} days`
                : `${offer.attributionWindowHours} hours`}
            </Fact>
            <Fact label="Postback security">
              <span className="inline-flex items-center gap-1">
                {secretOrAllowlist ? (
                  <ShieldCheckIcon className="size-4 text-success" aria-hidden />
                ) : (
                  <KeyRoundIcon className="size-4 text-muted-foreground" aria-hidden />
                )}
                {offer.hasPostbackSecret && offer.postbackIpAllowlist.length > 0
                  ? 'Secret + IP list'
                  : offer.hasPostbackSecret
                    ? 'Secret'
                    : offer.postbackIpAllowlist.length > 0
                      ? 'IP allowlist'
                      : 'None'}
              </span>
            </Fact>
          </dl>
        </CardContent>
      </Card>

      {!published ? (
        <Alert variant="warning">
          <AlertTriangleIcon aria-hidden className="text-warning" />
          <p className="font-medium">This offer is a {offer.status}: the edge does not know it.</p>
          <p className="text-muted-foreground">
            Clicks, postbacks and pixels for it are refused until it is active (or paused). Prepare your
            integration now; test it once the offer is live.
          </p>
        </Alert>
      ) : null}

      <Step
        number={1}
        title="Keep the click id on your landing page"
        description={
          <>
            Every click reaches your destination with its click id. Store it with the visitor (session, cookie
            or the order) and send it back with the conversion.
          </>
        }
        badge={
          s.destinationCarriesClickId ? (
            <Badge variant="success">Destination carries the click id</Badge>
          ) : (
            <Badge variant="warning">Click id missing</Badge>
          )
        }
      >
        <Snippet
          label="Destination URL"
          value={offer.destinationUrl}
          hint={
            <>
              <code className="font-mono">{'{click_id}'}</code> (or{' '}
              <code className="font-mono">{'{transaction_id}'}</code>) is replaced by the click id at every
              click.
            </>
          }
        />
        {s.destinationSuggestion ? (
          <Alert variant="warning">
            <AlertTriangleIcon aria-hidden className="text-warning" />
            <p className="font-medium">The destination does not pass the click id.</p>
            <p className="text-muted-foreground">
              Without it your server cannot post conversions back. Change the destination in the{' '}
              <Link to={`/offers/${offer.id}`} className="font-medium text-foreground underline">
                offer’s settings
              </Link>{' '}
              to, for example:
            </p>
            <CopyField value={s.destinationSuggestion} label="suggested destination URL" className="mt-2" />
          </Alert>
        ) : null}
      </Step>

      <Step
        number={2}
        title="Server postback"
        description="The most reliable way: your server calls this URL when an order is placed (GET or POST). Retries are safe: one order counts once."
        badge={
          s.postbacksAccepted ? (
            <Badge variant="success">Recommended</Badge>
          ) : (
            <Badge variant="destructive">Not accepted by this offer</Badge>
          )
        }
      >
        {!s.postbacksAccepted ? (
          <Alert variant="warning">
            <AlertTriangleIcon aria-hidden className="text-warning" />
            <p>
              This offer takes browser pixels only: postbacks are answered 403{' '}
              <code className="font-mono">conversion_source_refused</code>. Change its conversion sources in
              the offer’s settings to use them.
            </p>
          </Alert>
        ) : null}
        <Snippet
          label="Postback URL"
          value={s.postbackUrl}
          hint={
            <>
              Replace <code className="font-mono">{'{click_id}'}</code>,{' '}
              <code className="font-mono">{'{amount}'}</code> and{' '}
              <code className="font-mono">{'{order_id}'}</code> with your platform’s values. Add{' '}
              <code className="font-mono">&amp;event=…</code> for another event than “{offer.defaultEvent}”.
            </>
          }
        />
        {offer.hasPostbackSecret ? (
          <Alert>
            <KeyRoundIcon aria-hidden />
            <p className="font-medium">This offer requires its postback secret</p>
            <p className="text-muted-foreground">
              Put it in place of <code className="font-mono">YOUR_POSTBACK_SECRET</code>, or send it in the{' '}
              <code className="font-mono">X-TAS-Postback-Secret</code> header. It is never shown here: it is
              set (and can be replaced) in the{' '}
              <Link to={`/offers/${offer.id}`} className="font-medium text-foreground underline">
                offer’s settings
              </Link>
              . Keep it on your server; never put it in a page.
            </p>
          </Alert>
        ) : null}
        {offer.postbackIpAllowlist.length > 0 ? (
          <Alert>
            <ShieldCheckIcon aria-hidden />
            <p className="font-medium">Postbacks are accepted only from these addresses</p>
            <p className="font-mono text-xs text-muted-foreground">{offer.postbackIpAllowlist.join(', ')}</p>
          </Alert>
        ) : null}
        <Snippet
          label="Status update (approve later, or charge back)"
          value={s.statusUpdateUrl}
          hint={
            <>
              Send the same <code className="font-mono">click_id</code> and{' '}
              <code className="font-mono">txid</code> again with{' '}
              <code className="font-mono">status=approved</code> or{' '}
              <code className="font-mono">status=rejected</code>. A first postback may carry{' '}
              <code className="font-mono">status=pending</code> to hold the order for review.
            </>
          }
        />
        <details className="group rounded-lg border">
          <summary className="cursor-pointer rounded-lg px-4 py-2.5 text-sm font-medium hover:bg-muted/50 focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-ring">
            Parameters and answers
          </summary>
          <div className="grid gap-4 border-t p-4">
            <ParameterTable offer={offer} />
            <AnswerList />
          </div>
        </details>
      </Step>

      <Step
        number={3}
        title="Browser pixels"
        description="For platforms that cannot call a URL from the server: put one of these on the order confirmation page."
        badge={
          s.pixelsAccepted ? (
            <Badge variant="secondary">Alternative</Badge>
          ) : (
            <Badge variant="destructive">Not accepted by this offer</Badge>
          )
        }
      >
        {s.pixelsAccepted ? null : (
          <Alert variant="warning">
            <AlertTriangleIcon aria-hidden className="text-warning" />
            <p className="font-medium">Pixels are refused on this offer.</p>
            <p className="text-muted-foreground">
              {offer.conversionSources === null && secretOrAllowlist
                ? 'It has a postback secret or an IP allowlist, and a pixel cannot keep a secret, so only server postbacks count. To take pixels as well, set its conversion sources to “postbacks and pixels” in the offer’s settings.'
                : 'Its conversion sources are set to server postbacks only; change them in the offer’s settings to take pixels.'}
            </p>
          </Alert>
        )}
        <Tabs defaultValue="image" className="grid min-w-0 gap-3">
          <TabsList className="w-fit">
            <TabsTrigger value="image">Image</TabsTrigger>
            <TabsTrigger value="script">JavaScript</TabsTrigger>
            <TabsTrigger value="iframe">iframe</TabsTrigger>
          </TabsList>
          <TabsContent value="image" className="min-w-0">
            <Snippet label="Image pixel" value={s.pixelImage} multiline />
          </TabsContent>
          <TabsContent value="script" className="min-w-0">
            <Snippet label="JavaScript pixel" value={s.pixelScript} multiline />
          </TabsContent>
          <TabsContent value="iframe" className="min-w-0">
            <Snippet label="iframe pixel" value={s.pixelIframe} multiline />
          </TabsContent>
        </Tabs>
        <p className="text-xs text-muted-foreground">
          A pixel finds the click from <code className="font-mono">click_id</code> in its URL, else from the
          cookie the click set. Browsers that block third-party cookies need one of the two: add{' '}
          <code className="font-mono">&amp;click_id={'{click_id}'}</code>, or use the tracking script below. A
          pixel counts once per click and event.
        </p>
      </Step>

      <Step
        number={4}
        title="Tracking script (redirectless)"
        description="Keeps the click id first-party on your site, and lets affiliates link straight to your page without our redirect."
      >
        <Snippet
          label="On every landing page"
          value={s.trackingScript}
          hint="Reads click_id from the URL (or registers a click when the page was reached with aff_id and offer_id) and stores it on your domain."
        />
        <Snippet
          label="On the order confirmation page"
          value={s.trackingConversion}
          multiline
          hint={
            s.pixelsAccepted
              ? 'Fires the image pixel with the stored click id.'
              : 'Fires the image pixel, which this offer refuses: use the server postback instead.'
          }
        />
        <Snippet
          label="Direct link for affiliates"
          value={s.directLinkExample}
          hint="With the tracking script on that page, a visit through this link is a click of the affiliate."
        />
      </Step>

      <Step
        number={null}
        title="Send a test conversion"
        description="Checks the whole path through the live edge: a click, then a conversion for it, with the requests and the edge’s answers."
      >
        <TestConversion offer={offer} affiliates={affiliates} defaultAffiliateId={defaultAffiliateId} />
      </Step>
    </div>
  );
}

function ParameterTable({ offer }: { offer: Offer }) {
  return (
    <div className="overflow-x-auto">
      <table className="w-full text-sm">
        <caption className="sr-only">Postback parameters</caption>
        <thead>
          <tr className="border-b text-left text-xs uppercase tracking-wide text-muted-foreground">
            <th scope="col" className="py-2 pr-4 font-medium">
              Parameter
            </th>
            <th scope="col" className="py-2 pr-4 font-medium">
              Also
            </th>
            <th scope="col" className="py-2 font-medium">
              Meaning
            </th>
          </tr>
        </thead>
        <tbody>
          {postbackParameters(offer).map((p) => (
            <tr key={p.name} className="border-b last:border-0 align-top">
              <td className="py-2 pr-4 font-mono whitespace-nowrap">
                {p.name}
                {p.required ? (
                  <span className="ml-1 text-xs font-sans text-destructive">required</span>
                ) : null}
              </td>
              <td className="py-2 pr-4 font-mono text-xs text-muted-foreground">{p.aliases || '–'}</td>
              <td className="py-2 text-muted-foreground">{p.description}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

const ANSWERS: [string, string][] = [
  [
    '200 {"status":"accepted","conversion_id":…}',
    'Counted. "payable": false with a reason when it cannot earn.',
  ],
  ['200 {"status":"duplicate"}', 'This order was counted already (a retry): nothing new.'],
  ['400 invalid_click_id', 'The click id is missing, mangled or not ours.'],
  ['401', 'The secret is missing or wrong, or the address is not allowed.'],
  ['403 conversion_source_refused', 'The offer does not take this source.'],
  [
    '422 attribution_window_expired, unknown_event, unsupported_currency',
    'Too late, an unknown event, or a currency without a rate.',
  ],
];

function AnswerList() {
  return (
    <dl className="grid gap-2 text-sm">
      {ANSWERS.map(([answer, meaning]) => (
        <div key={answer} className="grid gap-0.5 sm:grid-cols-[minmax(0,22rem)_minmax(0,1fr)] sm:gap-4">
          <dt className="font-mono text-xs break-all">{answer}</dt>
          <dd className="text-muted-foreground">{meaning}</dd>
        </div>
      ))}
    </dl>
  );
}
