import {
  getFormProps,
  getInputProps,
  getSelectProps,
  type SubmissionResult,
  useForm,
} from '@conform-to/react';
import { parseWithZod } from '@conform-to/zod/v4';
import { CheckCircle2Icon, FlaskConicalIcon, Loader2Icon, XCircleIcon } from 'lucide-react';
import { useFetcher } from 'react-router';
import { z } from 'zod';
import { Field, FieldErrors, FormErrors } from '~/components/form';
import { Badge } from '~/components/ui/badge';
import { Button } from '~/components/ui/button';
import { CopyField } from '~/components/ui/copy-button';
import { Input } from '~/components/ui/input';
import { Label } from '~/components/ui/label';
import { NativeSelect } from '~/components/ui/native-select';
import { cn } from '~/lib/utils';
import type { Offer } from './snippets';

/** The click's sub1 of every test conversion, so reports can tell tests apart. */
export const TEST_SUB1 = 'tas-test';

export type TestRequest = { label: string; method: 'GET'; url: string; status: number | null; body: string };
export type TestResult = {
  ok: boolean;
  txid: string;
  clickId?: string;
  summary: string;
  requests: TestRequest[];
};
export type TestActionData = { reply: SubmissionResult<string[]>; test: TestResult | null };

export const testConversionSchema = z.object({
  intent: z.literal('test'),
  offerId: z.string().regex(/^[1-9]\d{0,9}$/),
  affiliateId: z.string('Enter an affiliate id').regex(/^[1-9]\d{0,9}$/, 'An affiliate id, e.g. 12'),
  event: z.string('Choose the event').min(1, 'Choose the event').max(64),
  amount: z
    .string('Enter an amount, e.g. 49.90')
    .trim()
    .regex(/^\d{1,12}(\.\d{1,4})?$/, 'An amount, e.g. 49.90'),
  secret: z.string().max(256).optional(),
});

/**
 * "Send a test conversion": a click and a conversion through the real edge, with every request
 * and answer shown. It says, before and after, how the test is kept out of anyone's money.
 */
export function TestConversion({
  offer,
  defaultAffiliateId,
  affiliates,
}: {
  offer: Offer;
  defaultAffiliateId: string;
  /** Admins choose among active affiliates; advertisers type an id (they may not list affiliates). */
  affiliates: { id: number; name: string }[] | null;
}) {
  const fetcher = useFetcher<TestActionData>();
  const [form, fields] = useForm({
    id: `test-conversion-${offer.id}`,
    lastResult: fetcher.state === 'idle' ? fetcher.data?.reply : undefined,
    defaultValue: { affiliateId: defaultAffiliateId, event: offer.defaultEvent, amount: '10.00' },
    onValidate: ({ formData }) => parseWithZod(formData, { schema: testConversionSchema }),
    shouldValidate: 'onBlur',
    shouldRevalidate: 'onInput',
  });
  const busy = fetcher.state !== 'idle';
  const result = fetcher.data?.test ?? null;
  return (
    <div className="grid gap-5">
      <fetcher.Form method="post" className="grid gap-4" {...getFormProps(form)}>
        <input type="hidden" name="intent" value="test" />
        <input type="hidden" name="offerId" value={offer.id} />
        <div className="grid gap-4 sm:grid-cols-2 lg:grid-cols-4">
          {affiliates ? (
            <div className="grid content-start gap-1.5">
              <Label htmlFor={fields.affiliateId.id}>Affiliate</Label>
              <NativeSelect {...getSelectProps(fields.affiliateId)}>
                <option value="">Choose an affiliate</option>
                {affiliates.map((a) => (
                  <option key={a.id} value={a.id}>
                    {a.name} · {a.id}
                  </option>
                ))}
              </NativeSelect>
              <FieldErrors id={fields.affiliateId.errorId} errors={fields.affiliateId.errors} />
            </div>
          ) : (
            <Field
              meta={fields.affiliateId}
              label="Affiliate id"
              className="content-start"
              hint="An affiliate running this offer (see Reports by affiliate)."
              inputProps={{ inputMode: 'numeric', autoComplete: 'off' }}
            />
          )}
          <div className="grid content-start gap-1.5">
            <Label htmlFor={fields.event.id}>Event</Label>
            <NativeSelect {...getSelectProps(fields.event)}>
              {offer.events.map((e) => (
                <option key={e} value={e}>
                  {e}
                </option>
              ))}
            </NativeSelect>
            <FieldErrors id={fields.event.errorId} errors={fields.event.errors} />
          </div>
          <Field
            meta={fields.amount}
            label={`Amount (${offer.currency})`}
            className="content-start"
            inputProps={{ inputMode: 'decimal', autoComplete: 'off' }}
          />
          {offer.hasPostbackSecret && offer.acceptedConversionSources !== 'pixel' ? (
            <div className="grid content-start gap-1.5">
              <Label htmlFor={fields.secret.id}>Postback secret</Label>
              <Input
                {...getInputProps(fields.secret, {
                  type: 'password',
                  ariaDescribedBy: `${fields.secret.id}-hint`,
                })}
                autoComplete="off"
              />
              <p id={`${fields.secret.id}-hint`} className="text-xs text-muted-foreground">
                Sent to the edge for this test only; never stored or shown.
              </p>
            </div>
          ) : null}
        </div>
        <FormErrors errors={form.errors} />
        <div className="flex flex-col gap-3 sm:flex-row sm:items-center sm:justify-between">
          <p className="text-xs text-muted-foreground">
            The test is a real click and conversion at the edge, kept out of everyone’s money: the click is
            flagged as a bot’s (never paid) with sub1 <code className="font-mono">{TEST_SUB1}</code>, and the
            conversion is sent with <code className="font-mono">status=rejected</code> and a txid starting{' '}
            <code className="font-mono">TEST-</code>. It shows in Conversions and Reports as such.
          </p>
          <Button type="submit" disabled={busy} className="shrink-0">
            {busy ? <Loader2Icon className="animate-spin" aria-hidden /> : <FlaskConicalIcon aria-hidden />}
            Send a test conversion
          </Button>
        </div>
      </fetcher.Form>
      <div aria-live="polite">{result && !busy ? <TestOutcome result={result} /> : null}</div>
    </div>
  );
}

function TestOutcome({ result }: { result: TestResult }) {
  const Icon = result.ok ? CheckCircle2Icon : XCircleIcon;
  return (
    <div
      className={cn(
        'grid gap-4 rounded-lg border p-4',
        result.ok ? 'border-success/40 bg-success/5' : 'border-destructive/40 bg-destructive/5',
      )}
    >
      <div className="flex items-start gap-2">
        <Icon
          className={cn('mt-0.5 size-4 shrink-0', result.ok ? 'text-success' : 'text-destructive')}
          aria-hidden
        />
        <div className="grid gap-1 text-sm">
          <p className="font-medium">{result.ok ? 'Test conversion recorded' : 'Test conversion failed'}</p>
          <p className="text-muted-foreground">{result.summary}</p>
          <p className="text-xs text-muted-foreground">
            txid <code className="font-mono text-foreground">{result.txid}</code>
            {result.clickId ? (
              <>
                {' '}
                · click_id <code className="font-mono break-all text-foreground">{result.clickId}</code>
              </>
            ) : null}
          </p>
        </div>
      </div>
      <ol className="grid gap-3">
        {result.requests.map((request, index) => (
          <li key={request.label} className="grid min-w-0 gap-1.5">
            <div className="flex flex-wrap items-center gap-2 text-sm">
              <span className="font-medium">
                {index + 1}. {request.label}
              </span>
              <Badge
                variant={
                  request.status === null ? 'destructive' : request.status < 400 ? 'success' : 'destructive'
                }
              >
                {request.status === null ? 'no answer' : `HTTP ${request.status}`}
              </Badge>
            </div>
            <CopyField value={`${request.method} ${request.url}`} label={`request ${index + 1}`} />
            <CopyField value={request.body || '(empty body)'} label={`answer ${index + 1}`} multiline />
          </li>
        ))}
      </ol>
    </div>
  );
}
