import { getFormProps, useForm } from '@conform-to/react';
import { parseWithZod } from '@conform-to/zod/v4';
import { data, Form, Link } from 'react-router';
import { z } from 'zod';
import { Field, FormErrors, SubmitButton } from '~/components/form';
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '~/components/ui/card';
import { Label } from '~/components/ui/label';
import { apiClient } from '~/lib/api.server';
import { apiMessage } from '~/lib/api-errors';
import type { Route } from './+types/_auth.signup';

// The API's own rules (RegisterRequest), checked here first so errors show beside their fields.
const schema = z.object({
  role: z.enum(['advertiser', 'affiliate'], 'Choose what you are signing up as'),
  companyName: z.string('Enter your company name').trim().min(1, 'Enter your company name').max(200),
  email: z.email('Enter a valid email address'),
  password: z
    .string('Choose a password')
    .min(12, 'At least 12 characters')
    .max(256, 'At most 256 characters'),
});

export function meta() {
  return [{ title: 'Create an account · TAS' }];
}

export async function action({ request }: Route.ActionArgs) {
  const submission = parseWithZod(await request.formData(), { schema });
  if (submission.status !== 'success')
    return data({ result: submission.reply({ hideFields: ['password'] }), sent: false }, { status: 400 });
  const { error, response } = await apiClient(request).POST('/api/v1/auth/register', {
    body: submission.value,
  });
  if (response.status !== 202) {
    return data(
      {
        result: submission.reply({ formErrors: [apiMessage(error)], hideFields: ['password'] }),
        sent: false,
      },
      { status: response.status },
    );
  }
  return { result: submission.reply({ resetForm: true }), sent: true, email: submission.value.email };
}

export default function Signup({ actionData }: Route.ComponentProps) {
  const [form, fields] = useForm({
    lastResult: actionData?.result,
    onValidate: ({ formData }) => parseWithZod(formData, { schema }),
    shouldRevalidate: 'onBlur',
    defaultValue: { role: 'affiliate' },
  });
  if (actionData?.sent) {
    return (
      <Card>
        <CardHeader>
          <CardTitle className="text-xl">Check your email</CardTitle>
          <CardDescription>
            We sent a link to {'email' in actionData ? actionData.email : 'your address'}. Follow it and enter
            your password to finish signing up. The link is valid for 24 hours.
          </CardDescription>
        </CardHeader>
        <CardContent>
          <Link to="/login" className="text-sm font-medium text-primary hover:underline">
            Back to log in
          </Link>
        </CardContent>
      </Card>
    );
  }
  return (
    <Card>
      <CardHeader>
        <CardTitle className="text-xl">Create an account</CardTitle>
        <CardDescription>Run offers as an affiliate, or publish them as an advertiser.</CardDescription>
      </CardHeader>
      <CardContent>
        <Form method="post" className="grid gap-4" {...getFormProps(form)}>
          <fieldset className="grid gap-2">
            <legend className="mb-1 text-sm font-medium">I am</legend>
            <div className="grid grid-cols-2 gap-2">
              {(['affiliate', 'advertiser'] as const).map((role) => (
                <Label
                  key={role}
                  className="flex cursor-pointer items-center gap-2 rounded-md border p-3 font-normal has-[:checked]:border-primary has-[:checked]:bg-primary/5"
                >
                  <input
                    type="radio"
                    name={fields.role.name}
                    value={role}
                    defaultChecked={fields.role.initialValue === role}
                    className="accent-[var(--primary)]"
                  />
                  {role === 'affiliate' ? 'An affiliate' : 'An advertiser'}
                </Label>
              ))}
            </div>
          </fieldset>
          <Field meta={fields.companyName} label="Company" inputProps={{ autoComplete: 'organization' }} />
          <Field meta={fields.email} label="Work email" type="email" inputProps={{ autoComplete: 'email' }} />
          <Field
            meta={fields.password}
            label="Password"
            type="password"
            hint="At least 12 characters."
            inputProps={{ autoComplete: 'new-password' }}
          />
          <FormErrors errors={form.errors} />
          <SubmitButton className="w-full">Create account</SubmitButton>
          <p className="text-center text-sm text-muted-foreground">
            Have an account?{' '}
            <Link to="/login" className="font-medium text-primary hover:underline">
              Log in
            </Link>
          </p>
        </Form>
      </CardContent>
    </Card>
  );
}
