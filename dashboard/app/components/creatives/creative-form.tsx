import { getFormProps, getSelectProps, type SubmissionResult, useForm } from '@conform-to/react';
import { parseWithZod } from '@conform-to/zod/v4';
import type { ReactNode } from 'react';
import { Form } from 'react-router';
import { z } from 'zod';
import { Field, FieldErrors, FormErrors, SubmitButton } from '~/components/form';
import { Label } from '~/components/ui/label';
import { NativeSelect } from '~/components/ui/native-select';
import { CREATIVE_TYPE_LABEL, CREATIVE_TYPES } from './creative-snippet';

/** The creative form, with the API's own rules (the asset is hosted elsewhere; we keep its URL). */
export const creativeFormSchema = z.object({
  campaignId: z
    .string('Choose the campaign')
    .regex(/^[1-9]\d{0,9}$/, 'Choose the campaign')
    .optional(),
  name: z.string('Name the creative').trim().min(1, 'Name the creative').max(200, '200 characters at most'),
  type: z.enum(['image', 'video', 'html'], 'Choose the type'),
  url: z
    .url({ protocol: /^https?$/, error: 'A web address, https://…' })
    .max(2048, '2,048 characters at most'),
  size: z
    .string()
    .trim()
    .regex(/^\d{1,5}x\d{1,5}$/, 'Width x height in pixels, e.g. 300x250')
    .optional(),
});

export type CampaignChoice = { id: number; name: string };

function SelectControl({
  id,
  label,
  hint,
  errorId,
  errors,
  children,
}: {
  id: string;
  label: string;
  hint?: string;
  errorId: string;
  errors: string[] | undefined;
  children: ReactNode;
}) {
  return (
    <div className="grid content-start gap-1.5">
      <Label htmlFor={id}>{label}</Label>
      {children}
      {hint ? (
        <p id={`${id}-hint`} className="text-xs text-muted-foreground">
          {hint}
        </p>
      ) : null}
      <FieldErrors id={errorId} errors={errors} />
    </div>
  );
}

/** Adding a creative to a campaign (campaigns given) or changing one (campaigns null: it stays). */
export function CreativeForm({
  lastResult,
  defaultValue,
  campaigns,
  submitLabel,
}: {
  lastResult: SubmissionResult<string[]> | null | undefined;
  defaultValue: { campaignId?: string; name?: string; type?: string; url?: string; size?: string };
  campaigns: CampaignChoice[] | null;
  submitLabel: string;
}) {
  const [form, fields] = useForm({
    lastResult,
    defaultValue,
    onValidate: ({ formData }) =>
      parseWithZod(formData, {
        schema: campaigns
          ? creativeFormSchema.required({ campaignId: true })
          : creativeFormSchema.omit({ campaignId: true }),
      }),
    shouldValidate: 'onBlur',
    shouldRevalidate: 'onInput',
  });
  return (
    <Form method="post" className="grid gap-4" {...getFormProps(form)}>
      {campaigns ? (
        <SelectControl
          id={fields.campaignId.id}
          label="Campaign"
          hint="Clicks on the creative count against this campaign’s budget and dates."
          errorId={fields.campaignId.errorId}
          errors={fields.campaignId.errors}
        >
          <NativeSelect
            {...getSelectProps(fields.campaignId, { ariaDescribedBy: `${fields.campaignId.id}-hint` })}
          >
            <option value="">Choose a campaign</option>
            {campaigns.map((c) => (
              <option key={c.id} value={c.id}>
                {c.name}
              </option>
            ))}
          </NativeSelect>
        </SelectControl>
      ) : null}
      <Field meta={fields.name} label="Name" inputProps={{ autoComplete: 'off', maxLength: 200 }} />
      <div className="grid gap-4 sm:grid-cols-2">
        <SelectControl
          id={fields.type.id}
          label="Type"
          errorId={fields.type.errorId}
          errors={fields.type.errors}
        >
          <NativeSelect {...getSelectProps(fields.type)}>
            {CREATIVE_TYPES.map((t) => (
              <option key={t} value={t}>
                {CREATIVE_TYPE_LABEL[t]}
              </option>
            ))}
          </NativeSelect>
        </SelectControl>
        <Field
          meta={fields.size}
          label="Size"
          className="content-start"
          hint="Width x height in pixels, e.g. 300x250 (optional)"
          inputProps={{ autoComplete: 'off', placeholder: '300x250', inputMode: 'text' }}
        />
      </div>
      <Field
        meta={fields.url}
        label="Asset URL"
        type="url"
        hint="Where the image, video or HTML5 file is hosted (https). Affiliates’ pages load it from there."
        inputProps={{ autoComplete: 'off', placeholder: 'https://cdn.example.com/banner-300x250.png' }}
      />
      <FormErrors errors={form.errors} />
      <div className="flex justify-end border-t pt-4">
        <SubmitButton>{submitLabel}</SubmitButton>
      </div>
    </Form>
  );
}
