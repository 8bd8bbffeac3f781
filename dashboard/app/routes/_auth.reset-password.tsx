import { getFormProps, useForm } from '@conform-to/react';
import { parseWithZod } from '@conform-to/zod/v4';
import { data, Form, redirect } from 'react-router';
import { z } from 'zod';
import { Field, FormErrors, SubmitButton } from '~/components/form';
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '~/components/ui/card';
import { apiClient } from '~/lib/api.server';
import { apiMessage } from '~/lib/api-errors';
import { flashToast } from '~/lib/session.server';
import type { Route } from './+types/_auth.reset-password';

const schema = z
  .object({
    token: z.string().min(16, 'This link is incomplete: open it again from the email').max(256),
    password: z.string('Choose a new password').min(12, 'At least 12 characters').max(256),
    confirm: z.string('Type it again'),
  })
  .refine((v) => v.password === v.confirm, { message: 'The two passwords differ', path: ['confirm'] });

export function meta() {
  return [{ title: 'Choose a new password · TAS' }];
}

export function loader({ request }: Route.LoaderArgs) {
  return { token: new URL(request.url).searchParams.get('token') ?? '' };
}

export async function action({ request }: Route.ActionArgs) {
  const submission = parseWithZod(await request.formData(), { schema });
  if (submission.status !== 'success')
    return data(submission.reply({ hideFields: ['password', 'confirm'] }), { status: 400 });
  const { token, password } = submission.value;
  const { error, response } = await apiClient(request).POST('/api/v1/auth/password-reset/confirm', {
    body: { token, password },
  });
  if (!response.ok) {
    return data(submission.reply({ formErrors: [apiMessage(error)], hideFields: ['password', 'confirm'] }), {
      status: response.status,
    });
  }
  return redirect('/login', {
    headers: {
      'set-cookie': await flashToast(request, {
        kind: 'success',
        message: 'Password changed. Log in with it.',
      }),
    },
  });
}

export default function ResetPassword({ loaderData, actionData }: Route.ComponentProps) {
  const [form, fields] = useForm({
    lastResult: actionData,
    onValidate: ({ formData }) => parseWithZod(formData, { schema }),
    shouldRevalidate: 'onBlur',
  });
  return (
    <Card>
      <CardHeader>
        <CardTitle className="text-xl">Choose a new password</CardTitle>
        <CardDescription>Every session of your account ends once it is changed.</CardDescription>
      </CardHeader>
      <CardContent>
        <Form method="post" className="grid gap-4" {...getFormProps(form)}>
          <input type="hidden" name={fields.token.name} value={loaderData.token} />
          <Field
            meta={fields.password}
            label="New password"
            type="password"
            hint="At least 12 characters."
            inputProps={{ autoComplete: 'new-password', autoFocus: true }}
          />
          <Field
            meta={fields.confirm}
            label="Type it again"
            type="password"
            inputProps={{ autoComplete: 'new-password' }}
          />
          <FormErrors errors={[...(form.errors ?? []), ...(fields.token.errors ?? [])]} />
          <SubmitButton className="w-full">Change password</SubmitButton>
        </Form>
      </CardContent>
    </Card>
  );
}
