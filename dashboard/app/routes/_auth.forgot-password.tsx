import { getFormProps, useForm } from '@conform-to/react';
import { parseWithZod } from '@conform-to/zod/v4';
import { data, Form, Link } from 'react-router';
import { z } from 'zod';
import { Field, FormErrors, SubmitButton } from '~/components/form';
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '~/components/ui/card';
import { apiClient } from '~/lib/api.server';
import { apiMessage } from '~/lib/api-errors';
import type { Route } from './+types/_auth.forgot-password';

const schema = z.object({ email: z.email('Enter a valid email address') });

export function meta() {
  return [{ title: 'Reset your password · TAS' }];
}

export async function action({ request }: Route.ActionArgs) {
  const submission = parseWithZod(await request.formData(), { schema });
  if (submission.status !== 'success')
    return data({ result: submission.reply(), sent: false }, { status: 400 });
  const { error, response } = await apiClient(request).POST('/api/v1/auth/password-reset', {
    body: submission.value,
  });
  // The API answers the same whether or not the address has an account: so does this page.
  if (response.status !== 202) {
    return data(
      { result: submission.reply({ formErrors: [apiMessage(error)] }), sent: false },
      { status: response.status },
    );
  }
  return { result: submission.reply(), sent: true };
}

export default function ForgotPassword({ actionData }: Route.ComponentProps) {
  const [form, fields] = useForm({
    lastResult: actionData?.result,
    onValidate: ({ formData }) => parseWithZod(formData, { schema }),
  });
  return (
    <Card>
      <CardHeader>
        <CardTitle className="text-xl">Reset your password</CardTitle>
        <CardDescription>
          {actionData?.sent
            ? 'If an account has this address, a reset link is on its way. It is valid for one hour.'
            : 'We will email you a link to choose a new one.'}
        </CardDescription>
      </CardHeader>
      <CardContent>
        {actionData?.sent ? (
          <Link to="/login" className="text-sm font-medium text-primary hover:underline">
            Back to log in
          </Link>
        ) : (
          <Form method="post" className="grid gap-4" {...getFormProps(form)}>
            <Field
              meta={fields.email}
              label="Email"
              type="email"
              inputProps={{ autoComplete: 'email', autoFocus: true }}
            />
            <FormErrors errors={form.errors} />
            <SubmitButton className="w-full">Email me a link</SubmitButton>
            <Link to="/login" className="text-center text-sm text-muted-foreground hover:underline">
              Back to log in
            </Link>
          </Form>
        )}
      </CardContent>
    </Card>
  );
}
