import { getFormProps, useForm } from '@conform-to/react';
import { parseWithZod } from '@conform-to/zod/v4';
import { data, Form, Link, redirect } from 'react-router';
import { z } from 'zod';
import { Field, FormErrors, SubmitButton } from '~/components/form';
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '~/components/ui/card';
import { apiClient } from '~/lib/api.server';
import { apiMessage } from '~/lib/api-errors';
import { storeTokens } from '~/lib/auth.server';
import { commitSession, getSession } from '~/lib/session.server';
import type { Route } from './+types/_auth.verify-email';

const schema = z.object({
  token: z.string().min(16, 'This link is incomplete: open it again from the email').max(256),
  password: z.string('Enter the password you chose').min(1, 'Enter the password you chose').max(256),
});

export function meta() {
  return [{ title: 'Confirm your email · TAS' }];
}

export function loader({ request }: Route.LoaderArgs) {
  return { token: new URL(request.url).searchParams.get('token') ?? '' };
}

/** The emailed link alone logs nobody in: the password chosen at sign-up finishes it. */
export async function action({ request }: Route.ActionArgs) {
  const submission = parseWithZod(await request.formData(), { schema });
  if (submission.status !== 'success')
    return data(submission.reply({ hideFields: ['password'] }), { status: 400 });
  const {
    data: body,
    error,
    response,
  } = await apiClient(request).POST('/api/v1/auth/verify-email', {
    body: submission.value,
  });
  if (!body) {
    return data(submission.reply({ formErrors: [apiMessage(error)], hideFields: ['password'] }), {
      status: response.status,
    });
  }
  const session = await getSession(request);
  storeTokens(session, body.tokens);
  session.flash('toast', { kind: 'success', message: 'Your email is confirmed. Welcome to TAS.' });
  return redirect('/dashboard', { headers: { 'set-cookie': await commitSession(session) } });
}

export default function VerifyEmail({ loaderData, actionData }: Route.ComponentProps) {
  const [form, fields] = useForm({
    lastResult: actionData,
    onValidate: ({ formData }) => parseWithZod(formData, { schema }),
    defaultValue: { token: loaderData.token },
  });
  return (
    <Card>
      <CardHeader>
        <CardTitle className="text-xl">Confirm your email</CardTitle>
        <CardDescription>Enter the password you chose when you signed up to finish.</CardDescription>
      </CardHeader>
      <CardContent>
        <Form method="post" className="grid gap-4" {...getFormProps(form)}>
          <input type="hidden" name={fields.token.name} value={loaderData.token} />
          <Field
            meta={fields.password}
            label="Password"
            type="password"
            inputProps={{ autoComplete: 'current-password', autoFocus: true }}
          />
          <FormErrors errors={[...(form.errors ?? []), ...(fields.token.errors ?? [])]} />
          <SubmitButton className="w-full">Confirm and log in</SubmitButton>
          <Link to="/login" className="text-center text-sm text-muted-foreground hover:underline">
            Back to log in
          </Link>
        </Form>
      </CardContent>
    </Card>
  );
}
