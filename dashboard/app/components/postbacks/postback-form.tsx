import {
  getFormProps,
  getInputProps,
  getSelectProps,
  getTextareaProps,
  type SubmissionResult,
  useForm,
} from '@conform-to/react';
import { parseWithZod } from '@conform-to/zod/v4';
import { substituteMacros } from '@tas/shared/macros';
import { AlertTriangleIcon } from 'lucide-react';
import { useRef } from 'react';
import { Form } from 'react-router';
import { FieldErrors, FormErrors, SubmitButton } from '~/components/form';
import { Button } from '~/components/ui/button';
import { Input, Textarea } from '~/components/ui/input';
import { Label } from '~/components/ui/label';
import { NativeSelect } from '~/components/ui/native-select';
import { postbackFormSchema } from './postback-form-schema';
import { POSTBACK_MACROS, sampleMacros, unknownMacros } from './postback-text';

export type PostbackFormDefaults = {
  affiliateId?: string;
  offerId: string;
  url: string;
  method: 'GET' | 'POST';
  fireOn: 'approved' | 'pending';
  isActive: boolean;
  parameters: string;
  headers: string;
};

/**
 * Create or edit a postback: the endpoint with its {macros} (a click on a macro puts it where the
 * cursor is), a preview with sample values, GET or POST (with form fields), when it fires, extra
 * headers. Checked in the browser and again by the action.
 */
export function PostbackForm({
  defaults,
  lastResult,
  offers,
  affiliates,
  affiliateId,
  submitLabel,
}: {
  defaults: PostbackFormDefaults;
  lastResult: SubmissionResult<string[]> | undefined;
  offers: { id: number; name: string }[];
  /** Admins creating a postback pick whose it is; otherwise null. */
  affiliates: { id: number; name: string }[] | null;
  /** Whose postback it is, for the preview. */
  affiliateId: number | null;
  submitLabel: string;
}) {
  const schema = postbackFormSchema({ needsAffiliate: affiliates !== null });
  const [form, fields] = useForm({
    lastResult,
    defaultValue: { ...defaults, isActive: defaults.isActive ? 'on' : undefined },
    onValidate: ({ formData }) => parseWithZod(formData, { schema }),
    shouldValidate: 'onBlur',
    shouldRevalidate: 'onInput',
  });
  const urlInput = useRef<HTMLInputElement>(null);
  const url = fields.url.value ?? '';
  const method = fields.method.value ?? defaults.method;
  const offerId = fields.offerId.value ? Number(fields.offerId.value) : null;
  const previewAffiliate = fields.affiliateId.value ? Number(fields.affiliateId.value) : affiliateId;
  const unknown = unknownMacros(`${url}\n${fields.parameters.value ?? ''}`);

  const insertMacro = (name: string) => {
    const input = urlInput.current;
    const text = `{${name}}`;
    const start = input?.selectionStart ?? url.length;
    const end = input?.selectionEnd ?? url.length;
    form.update({ name: fields.url.name, value: url.slice(0, start) + text + url.slice(end) });
    requestAnimationFrame(() => {
      input?.focus();
      input?.setSelectionRange(start + text.length, start + text.length);
    });
  };

  return (
    <Form method="post" className="grid gap-6" {...getFormProps(form)}>
      <div className="grid gap-4 sm:grid-cols-2">
        {affiliates ? (
          <div className="grid gap-1.5">
            <Label htmlFor={fields.affiliateId.id}>Affiliate</Label>
            <NativeSelect {...getSelectProps(fields.affiliateId)}>
              <option value="">Pick the affiliate</option>
              {affiliates.map((affiliate) => (
                <option key={affiliate.id} value={affiliate.id}>
                  #{affiliate.id} · {affiliate.name}
                </option>
              ))}
            </NativeSelect>
            <FieldErrors id={fields.affiliateId.errorId} errors={fields.affiliateId.errors} />
          </div>
        ) : null}
        <div className="grid gap-1.5">
          <Label htmlFor={fields.offerId.id}>For</Label>
          <NativeSelect {...getSelectProps(fields.offerId)} aria-describedby={`${fields.offerId.id}-hint`}>
            <option value="">All offers (global)</option>
            {offers.map((offer) => (
              <option key={offer.id} value={offer.id}>
                Only #{offer.id} · {offer.name}
              </option>
            ))}
          </NativeSelect>
          <p id={`${fields.offerId.id}-hint`} className="text-xs text-muted-foreground">
            A postback for one offer is used instead of the global one for that offer's conversions.
          </p>
          <FieldErrors id={fields.offerId.errorId} errors={fields.offerId.errors} />
        </div>
      </div>

      <div className="grid gap-1.5">
        <Label htmlFor={fields.url.id}>Postback URL</Label>
        <Input
          {...getInputProps(fields.url, { type: 'url', ariaDescribedBy: `${fields.url.id}-macros` })}
          ref={urlInput}
          spellCheck={false}
          autoComplete="off"
          placeholder="https://tracker.example/postback?clickid={click_id}&payout={payout}"
          className="font-mono text-[13px]"
        />
        <FieldErrors id={fields.url.errorId} errors={fields.url.errors} />
        <div className="grid gap-1.5 pt-1">
          <p id={`${fields.url.id}-macros`} className="text-xs text-muted-foreground">
            Insert a macro at the cursor; each is filled per conversion:
          </p>
          <fieldset className="flex flex-wrap gap-1">
            <legend className="sr-only">Macros</legend>
            {POSTBACK_MACROS.map((macro) => (
              <Button
                key={macro.name}
                type="button"
                variant="outline"
                size="sm"
                title={macro.detail}
                aria-label={`Insert {${macro.name}}: ${macro.detail}`}
                className="h-7 px-2 font-mono text-xs font-normal"
                onClick={() => insertMacro(macro.name)}
              >
                {`{${macro.name}}`}
              </Button>
            ))}
          </fieldset>
        </div>
      </div>

      {url ? (
        <div className="grid gap-1.5">
          <p className="text-sm font-medium">Preview with sample values</p>
          <p className="rounded-lg border bg-muted/50 px-3 py-2 font-mono text-[12.5px] break-all">
            {substituteMacros(url, sampleMacros(previewAffiliate, offerId))}
          </p>
          {unknown.length > 0 ? (
            <p className="flex items-start gap-1.5 text-xs text-amber-800 dark:text-amber-300">
              <AlertTriangleIcon className="mt-0.5 size-3.5 shrink-0" aria-hidden />
              Not macros of ours, sent as written: {unknown.map((name) => `{${name}}`).join(', ')}
            </p>
          ) : null}
        </div>
      ) : null}

      <div className="grid gap-4 sm:grid-cols-2">
        <div className="grid gap-1.5">
          <Label htmlFor={fields.method.id}>Method</Label>
          <NativeSelect {...getSelectProps(fields.method)}>
            <option value="GET">GET (values in the URL)</option>
            <option value="POST">POST (a form body too)</option>
          </NativeSelect>
        </div>
        <div className="grid gap-1.5">
          <Label htmlFor={fields.fireOn.id}>Send</Label>
          <NativeSelect {...getSelectProps(fields.fireOn)}>
            <option value="approved">When a conversion is approved</option>
            <option value="pending">When pending, and again when approved</option>
          </NativeSelect>
        </div>
      </div>

      {method === 'POST' ? (
        <div className="grid gap-1.5">
          <Label htmlFor={fields.parameters.id}>Form fields</Label>
          <Textarea
            {...getTextareaProps(fields.parameters, { ariaDescribedBy: `${fields.parameters.id}-hint` })}
            rows={4}
            spellCheck={false}
            placeholder={'click_id={click_id}\namount={payout}'}
            className="font-mono text-[13px]"
          />
          <p id={`${fields.parameters.id}-hint`} className="text-xs text-muted-foreground">
            One <code className="font-mono">name=value</code> a line, sent as the form body; values may hold
            macros.
          </p>
          <FieldErrors id={fields.parameters.errorId} errors={fields.parameters.errors} />
        </div>
      ) : null}

      <details className="group rounded-lg border px-4 py-3" open={defaults.headers !== '' || undefined}>
        <summary className="cursor-pointer text-sm font-medium">Custom headers</summary>
        <div className="mt-3 grid gap-1.5">
          <Label htmlFor={fields.headers.id}>Headers</Label>
          <Textarea
            {...getTextareaProps(fields.headers, { ariaDescribedBy: `${fields.headers.id}-hint` })}
            rows={3}
            spellCheck={false}
            placeholder="Authorization: Bearer your-token"
            className="font-mono text-[13px]"
          />
          <p id={`${fields.headers.id}-hint`} className="text-xs text-muted-foreground">
            One <code className="font-mono">Name: value</code> a line. Every attempt also carries
            X-TAS-Delivery-Id, to dedupe on.
          </p>
          <FieldErrors id={fields.headers.errorId} errors={fields.headers.errors} />
        </div>
      </details>

      <div className="flex items-start gap-2.5">
        <input
          {...getInputProps(fields.isActive, { type: 'checkbox' })}
          className="mt-0.5 size-4 shrink-0 accent-primary"
          aria-describedby={`${fields.isActive.id}-hint`}
        />
        <div className="grid gap-0.5">
          <Label htmlFor={fields.isActive.id}>Active</Label>
          <p id={`${fields.isActive.id}-hint`} className="text-xs text-muted-foreground">
            Off, nothing is sent; deliveries due meanwhile are parked and can be replayed. Turning it on again
            also clears a disable after repeated failures.
          </p>
        </div>
      </div>

      <FormErrors errors={form.errors} />
      <div className="flex justify-end">
        <SubmitButton>{submitLabel}</SubmitButton>
      </div>
    </Form>
  );
}
