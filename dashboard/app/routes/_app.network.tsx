import {
  getFormProps,
  getInputProps,
  getSelectProps,
  getTextareaProps,
  type SubmissionResult,
  useForm,
} from '@conform-to/react';
import { parseWithZod } from '@conform-to/zod/v4';
import { CheckCircle2Icon, GlobeIcon, LockIcon, ServerCrashIcon, ShieldBanIcon } from 'lucide-react';
import { data, Form } from 'react-router';
import { ExchangeRateRows } from '~/components/admin/exchange-rate-rows';
import { linesOf, networkSettingsSchema } from '~/components/admin/network-schema';
import { GeneralErrorBoundary } from '~/components/error-boundary';
import { FieldErrors, FormErrors, SubmitButton } from '~/components/form';
import { PageHeader } from '~/components/page';
import { Badge } from '~/components/ui/badge';
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '~/components/ui/card';
import { Textarea } from '~/components/ui/input';
import { Label } from '~/components/ui/label';
import { Alert } from '~/components/ui/misc';
import { NativeSelect } from '~/components/ui/native-select';
import type { Schemas } from '~/lib/api.server';
import { apiMessage, isApiError } from '~/lib/api-errors';
import { authOf, requireRole } from '~/lib/auth.server';
import { formatCount } from '~/lib/format';
import type { Route } from './+types/_app.network';

export function meta() {
  return [{ title: 'Network settings · TAS' }];
}

export async function loader({ context }: Route.LoaderArgs) {
  const { api } = requireRole(authOf(context), 'admin');
  const { data: settings, error, response } = await api.GET('/api/v1/network-settings');
  if (!settings) throw data({ message: apiMessage(error) }, { status: response.status });
  return { settings };
}

export type NetworkActionData = {
  result: SubmissionResult<string[]>;
  published?: { revision: number; at: string };
  edgeDown?: boolean;
};

export async function action({ request, context }: Route.ActionArgs) {
  const { api } = requireRole(authOf(context), 'admin');
  const submission = parseWithZod(await request.formData(), { schema: networkSettingsSchema });
  if (submission.status !== 'success') {
    return data<NetworkActionData>({ result: submission.reply() }, { status: 400 });
  }
  const {
    data: saved,
    error,
    response,
  } = await api.PUT('/api/v1/network-settings', {
    body: submission.value,
  });
  if (!saved) {
    const edgeDown = isApiError(error) && error.error.code === 'edge_unavailable';
    const message = edgeDown
      ? 'The edge did not take the change, so nothing was saved: the settings in force are the ones before. Try again in a moment.'
      : apiMessage(error, 'The settings could not be saved.');
    return data<NetworkActionData>(
      { result: submission.reply({ formErrors: [message] }), edgeDown },
      { status: response.status },
    );
  }
  return data<NetworkActionData>({
    result: submission.reply(),
    published: { revision: saved.revision, at: new Date().toISOString() },
  });
}

export default function NetworkSettings({ loaderData, actionData }: Route.ComponentProps) {
  const { settings } = loaderData;
  return (
    <>
      <PageHeader
        title="Network settings"
        description="Rules every offer follows at the edge. Saving publishes them to the edge as one document; until it takes them, nothing changes."
        actions={<Badge variant="secondary">Revision {settings.revision}</Badge>}
      />
      {/* Keyed by revision: after a publish the form starts again from what is in force (deduplicated, upper-cased). */}
      <NetworkSettingsForm key={settings.revision} settings={settings} actionData={actionData} />
    </>
  );
}

export function NetworkSettingsForm({
  settings,
  actionData,
}: {
  settings: Schemas['NetworkSettings'];
  actionData: NetworkActionData | undefined;
}) {
  const [form, fields] = useForm({
    id: 'network-settings',
    lastResult: actionData?.result,
    defaultValue: {
      blockedIps: settings.blockedIps.join('\n'),
      blockedUserAgents: settings.blockedUserAgents.join('\n'),
      exchangeRates: settings.exchangeRates,
      privacy: {
        ipMode: settings.privacy.ipMode,
        userAgentMode: settings.privacy.userAgentMode,
        consentRequired: settings.privacy.consentRequired ? 'on' : undefined,
        forwardEuVisitors: settings.privacy.forwardEuVisitors ? 'on' : undefined,
      },
    },
    onValidate: ({ formData }) => parseWithZod(formData, { schema: networkSettingsSchema }),
    shouldValidate: 'onBlur',
    shouldRevalidate: 'onInput',
  });
  const privacy = fields.privacy.getFieldset();
  const ipCount = linesOf(fields.blockedIps.value).length;
  const uaCount = linesOf(fields.blockedUserAgents.value).length;
  return (
    <Form method="post" className="grid grid-cols-1 gap-6" {...getFormProps(form)}>
      {actionData?.published ? (
        <Alert variant="success" className="flex items-start gap-3">
          <CheckCircle2Icon className="mt-0.5 size-4 shrink-0 text-success" aria-hidden />
          <span>
            <span className="font-medium">Published to the edge.</span> Revision{' '}
            {actionData.published.revision} applies to new clicks and conversions on every offer within
            seconds.
          </span>
        </Alert>
      ) : null}
      {actionData?.edgeDown ? (
        <Alert variant="destructive" className="flex items-start gap-3">
          <ServerCrashIcon className="mt-0.5 size-4 shrink-0" aria-hidden />
          <span>
            <span className="font-medium">The edge is unavailable.</span> Your changes are still in the form
            below; publish again when it is back.
          </span>
        </Alert>
      ) : null}
      <div className="grid grid-cols-1 gap-6 xl:grid-cols-2">
        <Card>
          <CardHeader>
            <CardTitle className="flex items-center gap-2">
              <ShieldBanIcon className="size-4 text-muted-foreground" aria-hidden />
              <Label htmlFor={fields.blockedIps.id} className="text-base">
                Blocked IPs and ranges
              </Label>
            </CardTitle>
            <CardDescription id={`${fields.blockedIps.id}-hint`}>
              One IPv4 or IPv6 address or CIDR range a line, e.g.{' '}
              <code className="font-mono">203.0.113.0/24</code>. Clicks and conversions from them are refused
              on every offer.
            </CardDescription>
          </CardHeader>
          <CardContent className="grid gap-2">
            <Textarea
              {...getTextareaProps(fields.blockedIps, { ariaDescribedBy: `${fields.blockedIps.id}-hint` })}
              rows={10}
              spellCheck={false}
              autoComplete="off"
              placeholder={'198.51.100.7\n203.0.113.0/24\n2001:db8::/32'}
              className="font-mono text-xs leading-5"
            />
            <div className="flex items-start justify-between gap-3">
              <FieldErrors id={fields.blockedIps.errorId} errors={fields.blockedIps.errors} />
              <span className="ml-auto shrink-0 text-xs text-muted-foreground tabular-nums">
                {formatCount(ipCount)} {ipCount === 1 ? 'entry' : 'entries'}
              </span>
            </div>
          </CardContent>
        </Card>
        <Card>
          <CardHeader>
            <CardTitle className="flex items-center gap-2">
              <ShieldBanIcon className="size-4 text-muted-foreground" aria-hidden />
              <Label htmlFor={fields.blockedUserAgents.id} className="text-base">
                Blocked user agents
              </Label>
            </CardTitle>
            <CardDescription id={`${fields.blockedUserAgents.id}-hint`}>
              One text a line (3 to 256 characters), matched anywhere in the user agent, ignoring case.
            </CardDescription>
          </CardHeader>
          <CardContent className="grid gap-2">
            <Textarea
              {...getTextareaProps(fields.blockedUserAgents, {
                ariaDescribedBy: `${fields.blockedUserAgents.id}-hint`,
              })}
              rows={10}
              spellCheck={false}
              autoComplete="off"
              placeholder={'HeadlessChrome\npython-requests\ncurl/'}
              className="font-mono text-xs leading-5"
            />
            <div className="flex items-start justify-between gap-3">
              <FieldErrors id={fields.blockedUserAgents.errorId} errors={fields.blockedUserAgents.errors} />
              <span className="ml-auto shrink-0 text-xs text-muted-foreground tabular-nums">
                {formatCount(uaCount)} {uaCount === 1 ? 'entry' : 'entries'}
              </span>
            </div>
          </CardContent>
        </Card>
      </div>
      <Card>
        <CardHeader>
          <CardTitle className="flex items-center gap-2">
            <GlobeIcon className="size-4 text-muted-foreground" aria-hidden />
            Exchange rates
          </CardTitle>
          <CardDescription className="max-w-3xl">
            When an advertiser reports a sale in another currency than its offer's, the edge converts the
            amount by the rate from that currency to the offer's, exactly (decimal arithmetic, rounded half
            up), and keeps the amount as sent beside it. A sale in a currency with no rate to its offer's is
            refused as <code className="font-mono">unsupported_currency</code>. The rate is how many units of{' '}
            <em>to</em> one unit of <em>from</em> buys.
          </CardDescription>
        </CardHeader>
        <CardContent>
          <ExchangeRateRows form={form} field={fields.exchangeRates} />
        </CardContent>
      </Card>
      <Card>
        <CardHeader>
          <CardTitle className="flex items-center gap-2">
            <LockIcon className="size-4 text-muted-foreground" aria-hidden />
            Privacy
          </CardTitle>
          <CardDescription className="max-w-3xl">
            What the edge keeps of each visitor, when it may store the click id on the visitor’s device, and
            whether EU, EEA and UK visitors’ conversions go to ad platforms. Every offer follows these unless
            it sets its own (see docs/privacy-tracking.md).
          </CardDescription>
        </CardHeader>
        <CardContent className="grid gap-5 sm:grid-cols-2">
          <div className="grid content-start gap-1.5">
            <Label htmlFor={privacy.ipMode.id}>IP addresses</Label>
            <NativeSelect
              {...getSelectProps(privacy.ipMode, { ariaDescribedBy: `${privacy.ipMode.id}-hint` })}
            >
              <option value="full">Keep whole</option>
              <option value="truncated">Truncate (IPv4 /24, IPv6 /48)</option>
              <option value="hashed">Keyed hash (dedupe and velocity still work)</option>
            </NativeSelect>
            <p id={`${privacy.ipMode.id}-hint`} className="text-xs text-muted-foreground">
              Blocklists and geo use the whole IP first; counters, dedupe and stored rows get only this.
            </p>
          </div>
          <div className="grid content-start gap-1.5">
            <Label htmlFor={privacy.userAgentMode.id}>User agents</Label>
            <NativeSelect
              {...getSelectProps(privacy.userAgentMode, {
                ariaDescribedBy: `${privacy.userAgentMode.id}-hint`,
              })}
            >
              <option value="full">Keep whole</option>
              <option value="parsed">Only browser family, OS and device</option>
            </NativeSelect>
            <p id={`${privacy.userAgentMode.id}-hint`} className="text-xs text-muted-foreground">
              Bots are detected on the whole user agent first.
            </p>
          </div>
          <label className="flex items-start gap-2 text-sm" htmlFor={privacy.consentRequired.id}>
            <input
              {...getInputProps(privacy.consentRequired, { type: 'checkbox' })}
              className="mt-0.5 size-4 accent-primary"
            />
            <span>
              <span className="font-medium">Click cookie only with consent.</span>{' '}
              <span className="text-muted-foreground">
                No cookie and no /t.js storage unless the visit says{' '}
                <code className="font-mono">consent=granted</code> or its TCF string consents to storage
                (purpose 1).
              </span>
            </span>
          </label>
          <label className="flex items-start gap-2 text-sm" htmlFor={privacy.forwardEuVisitors.id}>
            <input
              {...getInputProps(privacy.forwardEuVisitors, { type: 'checkbox' })}
              className="mt-0.5 size-4 accent-primary"
            />
            <span>
              <span className="font-medium">Forward EU/EEA/UK visitors’ conversions to ad platforms.</span>{' '}
              <span className="text-muted-foreground">
                Off: by the click’s country they are counted and paid but not forwarded (
                <code className="font-mono">eu_visitor</code>).
              </span>
            </span>
          </label>
        </CardContent>
      </Card>
      <div className="sticky bottom-0 -mx-4 flex flex-col gap-3 border-t bg-background/90 px-4 py-3 backdrop-blur sm:flex-row sm:items-center sm:justify-between lg:-mx-8 lg:px-8">
        <div className="min-w-0 flex-1">
          <FormErrors errors={form.errors} />
          {form.errors?.length ? null : (
            <p className="text-xs text-muted-foreground">
              Saved and published together: if the edge cannot take them, nothing is saved.
            </p>
          )}
        </div>
        <SubmitButton className="sm:w-auto">Publish to the edge</SubmitButton>
      </div>
    </Form>
  );
}

// Inside the signed-in shell: a refused or missing page keeps the sidebar.
export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
