import { getFormProps, useForm } from '@conform-to/react';
import { parseWithZod } from '@conform-to/zod/v4';
import { data, Form, Link, redirect, useSearchParams } from 'react-router';
import { z } from 'zod';
import { Field, FormErrors, SubmitButton } from '~/components/form';
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '~/components/ui/card';
import { apiClient } from '~/lib/api.server';
import { apiMessage, isApiError } from '~/lib/api-errors';
import { storeTokens } from '~/lib/auth.server';
import { safeRedirect } from '~/lib/safe-redirect';
import { commitSession, getSession } from '~/lib/session.server';
import type { Route } from './+types/_auth.login';

const schema = z.object({
  email: z.email('Enter your email address'),
  password: z.string('Enter your password').min(1, 'Enter your password').max(256),
  redirectTo: z.string().optional(),
});

export function meta() {
  return [{ title: 'Log in · TAS' }];
}

export async function loader({ request }: Route.LoaderArgs) {
  const session = await getSession(request);
  if (session.get('refreshToken'))
    throw redirect(safeRedirect(new URL(request.url).searchParams.get('redirectTo')));
  return null;
}

export async function action({ request }: Route.ActionArgs) {
  const formData = await request.formData();
  const submission = parseWithZod(formData, { schema });
  if (submission.status !== 'success')
    return data(submission.reply({ hideFields: ['password'] }), { status: 400 });
  const { email, password, redirectTo } = submission.value;
  const {
    data: body,
    error,
    response,
  } = await apiClient(request).POST('/api/v1/auth/login', {
    body: { email, password },
  });
  if (!body) {
    const code = isApiError(error) ? error.error.code : null;
    const message =
      code === 'invalid_credentials'
        ? 'Wrong email or password.'
        : code === 'email_not_verified'
          ? 'Confirm your email address first: follow the link we sent you.'
          : apiMessage(error);
    return data(submission.reply({ formErrors: [message], hideFields: ['password'] }), {
      status: response.status,
    });
  }
  const session = await getSession(request);
  storeTokens(session, body.tokens);
  return redirect(safeRedirect(redirectTo), { headers: { 'set-cookie': await commitSession(session) } });
}

export default function Login({ actionData }: Route.ComponentProps) {
  const [params] = useSearchParams();
  const [form, fields] = useForm({
    lastResult: actionData,
    onValidate: ({ formData }) => parseWithZod(formData, { schema }),
    shouldRevalidate: 'onBlur',
  });
  return (
    <Card>
      <CardHeader>
        <CardTitle className="text-xl">Log in</CardTitle>
        <CardDescription>Advertisers, affiliates and network admins.</CardDescription>
      </CardHeader>
      <CardContent>
        <Form method="post" className="grid gap-4" {...getFormProps(form)}>
          <input type="hidden" name="redirectTo" value={params.get('redirectTo') ?? ''} />
          <Field
            meta={fields.email}
            label="Email"
            type="email"
            inputProps={{ autoComplete: 'email', autoFocus: true }}
          />
          <Field
            meta={fields.password}
            label="Password"
            type="password"
            inputProps={{ autoComplete: 'current-password' }}
          />
          <FormErrors errors={form.errors} />
          <SubmitButton className="w-full">Log in</SubmitButton>
          <div className="flex justify-between text-sm">
            <Link
              to="/forgot-password"
              className="text-muted-foreground hover:text-foreground hover:underline"
            >
              Forgot your password?
            </Link>
            <Link to="/signup" className="font-medium text-primary hover:underline">
              Create an account
            </Link>
          </div>
        </Form>
      </CardContent>
    </Card>
  );
}
