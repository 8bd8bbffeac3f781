import {
  getFormProps,
  getSelectProps,
  getTextareaProps,
  type SubmissionResult,
  useForm,
} from '@conform-to/react';
import { parseWithZod } from '@conform-to/zod/v4';
import { LockIcon } from 'lucide-react';
import { Form } from 'react-router';
import { Field, FieldErrors, FormErrors, SubmitButton } from '~/components/form';
import { Card, CardContent, CardDescription, CardFooter, CardHeader, CardTitle } from '~/components/ui/card';
import { Textarea } from '~/components/ui/input';
import { Label } from '~/components/ui/label';
import { NativeSelect } from '~/components/ui/native-select';
import type { Schemas } from '~/lib/api.server';
import { companyProfileSchema, paymentDetailsFormSchema } from './company-schema';

type Company = {
  companyName: string;
  websiteUrl: string | null;
  contactEmail: string | null;
  contactPhone: string | null;
  billingAddress?: string | null;
};

/** The contact profile of an advertiser or affiliate (advertisers also have a billing address). */
export function CompanyProfileFields({
  kind,
  fields,
}: {
  kind: 'advertiser' | 'affiliate';
  fields: ReturnType<typeof useCompanyForm>[1];
}) {
  return (
    <div className="grid grid-cols-1 gap-4">
      <Field meta={fields.companyName} label="Company name" inputProps={{ autoComplete: 'organization' }} />
      <div className="grid grid-cols-1 gap-4 sm:grid-cols-2">
        <Field
          meta={fields.websiteUrl}
          label="Website"
          type="url"
          inputProps={{ placeholder: 'https://example.com', autoComplete: 'url' }}
        />
        <Field
          meta={fields.contactEmail}
          label="Contact email"
          type="email"
          inputProps={{ autoComplete: 'email' }}
        />
        <Field meta={fields.contactPhone} label="Contact phone" inputProps={{ autoComplete: 'tel' }} />
      </div>
      {kind === 'advertiser' ? (
        <div className="grid gap-1.5">
          <Label htmlFor={fields.billingAddress.id}>Billing address</Label>
          <Textarea {...getTextareaProps(fields.billingAddress)} rows={3} autoComplete="street-address" />
          <FieldErrors id={fields.billingAddress.errorId} errors={fields.billingAddress.errors} />
        </div>
      ) : null}
    </div>
  );
}

export function useCompanyForm(id: string, company: Company | null, lastResult?: SubmissionResult<string[]>) {
  return useForm({
    id,
    lastResult,
    defaultValue: company
      ? {
          companyName: company.companyName,
          websiteUrl: company.websiteUrl ?? '',
          contactEmail: company.contactEmail ?? '',
          contactPhone: company.contactPhone ?? '',
          billingAddress: company.billingAddress ?? '',
        }
      : undefined,
    onValidate: ({ formData }) => parseWithZod(formData, { schema: companyProfileSchema }),
    shouldRevalidate: 'onBlur',
  });
}

/** A card to change a company's profile (the status is changed elsewhere, by admins). */
export function CompanyProfileCard({
  kind,
  company,
  lastResult,
  description,
}: {
  kind: 'advertiser' | 'affiliate';
  company: Company;
  lastResult: SubmissionResult<string[]> | undefined;
  description?: string;
}) {
  const [form, fields] = useCompanyForm('company-profile', company, lastResult);
  return (
    <Card>
      <Form method="post" {...getFormProps(form)}>
        <CardHeader>
          <CardTitle>Company profile</CardTitle>
          <CardDescription>{description ?? 'Who to contact, and where to send invoices.'}</CardDescription>
        </CardHeader>
        <CardContent className="grid grid-cols-1 gap-4">
          <CompanyProfileFields kind={kind} fields={fields} />
          <FormErrors errors={form.errors} />
        </CardContent>
        <CardFooter className="justify-end">
          <SubmitButton intent="profile" size="sm">
            Save profile
          </SubmitButton>
        </CardFooter>
      </Form>
    </Card>
  );
}

type PaymentDetails = Schemas['PaymentDetails'];

/** How an affiliate is paid: PayPal, a wire (IBAN) or free instructions. Encrypted at rest. */
export function PaymentDetailsCard({
  details,
  lastResult,
  description,
}: {
  details: PaymentDetails;
  lastResult: SubmissionResult<string[]> | undefined;
  description?: string;
}) {
  const [form, fields] = useForm({
    id: 'payment-details',
    lastResult,
    defaultValue: details ?? { method: 'paypal' },
    onValidate: ({ formData }) => parseWithZod(formData, { schema: paymentDetailsFormSchema }),
    shouldRevalidate: 'onBlur',
  });
  const method = fields.method.value ?? 'paypal';
  return (
    <Card>
      <Form method="post" {...getFormProps(form)}>
        <CardHeader>
          <CardTitle className="flex items-center gap-2">
            Payment details
            <LockIcon className="size-3.5 text-muted-foreground" aria-label="Encrypted" />
          </CardTitle>
          <CardDescription>
            {description ??
              'Where payouts go. Encrypted at rest; only the affiliate and network admins can read them.'}
          </CardDescription>
        </CardHeader>
        <CardContent className="grid grid-cols-1 gap-4">
          <div className="grid gap-1.5 sm:max-w-64">
            <Label htmlFor={fields.method.id}>Method</Label>
            <NativeSelect {...getSelectProps(fields.method)}>
              <option value="paypal">PayPal</option>
              <option value="wire">Bank transfer (IBAN)</option>
              <option value="other">Other</option>
            </NativeSelect>
          </div>
          {method === 'paypal' ? (
            <Field
              meta={fields.email}
              label="PayPal email"
              type="email"
              className="sm:max-w-md"
              inputProps={{ autoComplete: 'email' }}
            />
          ) : method === 'wire' ? (
            <div className="grid grid-cols-1 gap-4 sm:grid-cols-2">
              <Field
                meta={fields.accountHolder}
                label="Account holder"
                inputProps={{ autoComplete: 'name' }}
              />
              <Field
                meta={fields.iban}
                label="IBAN"
                inputProps={{ className: 'font-mono uppercase', spellCheck: false, autoComplete: 'off' }}
              />
              <Field
                meta={fields.bic}
                label="BIC (optional)"
                inputProps={{ className: 'font-mono uppercase', spellCheck: false, autoComplete: 'off' }}
              />
              <Field meta={fields.bankName} label="Bank (optional)" />
            </div>
          ) : (
            <div className="grid gap-1.5">
              <Label htmlFor={fields.instructions.id}>Instructions</Label>
              <Textarea
                {...getTextareaProps(fields.instructions)}
                rows={4}
                placeholder="e.g. USDT (TRC-20) to T… or Payoneer account …"
              />
              <FieldErrors id={fields.instructions.errorId} errors={fields.instructions.errors} />
            </div>
          )}
          <FormErrors errors={form.errors} />
        </CardContent>
        <CardFooter className="justify-end">
          <SubmitButton intent="payment" size="sm">
            Save payment details
          </SubmitButton>
        </CardFooter>
      </Form>
    </Card>
  );
}
