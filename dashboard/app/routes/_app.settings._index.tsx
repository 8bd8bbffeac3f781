import { getFormProps, type SubmissionResult, useForm } from '@conform-to/react';
import { parseWithZod } from '@conform-to/zod/v4';
import { useEffect } from 'react';
import { data, Form, redirect, useNavigation } from 'react-router';
import { toast } from 'sonner';
import { z } from 'zod';
import { Field, FormErrors, SubmitButton } from '~/components/form';
import { Badge } from '~/components/ui/badge';
import { Card, CardContent, CardDescription, CardFooter, CardHeader, CardTitle } from '~/components/ui/card';
import { Input } from '~/components/ui/input';
import { Label } from '~/components/ui/label';
import { apiMessage, isApiError } from '~/lib/api-errors';
import { authOf } from '~/lib/auth.server';
import { destroySession, getSession } from '~/lib/session.server';
import { useViewer } from '~/lib/viewer';
import type { Route } from './+types/_app.settings._index';

export function meta() {
  return [{ title: 'Profile · Settings · TAS' }];
}

const name = z.string().trim().max(100, 'At most 100 characters').optional();

export const profileSchema = z.object({ firstName: name, lastName: name });

export const passwordSchema = z
  .object({
    currentPassword: z.string({ error: 'Enter your current password' }).max(256),
    newPassword: z
      .string({ error: 'Choose a new password' })
      .min(12, 'At least 12 characters')
      .max(256, 'At most 256 characters'),
    confirmPassword: z.string({ error: 'Type the new password again' }),
  })
  .refine((v) => v.newPassword === v.confirmPassword, {
    message: 'The two new passwords differ',
    path: ['confirmPassword'],
  })
  .refine((v) => v.newPassword !== v.currentPassword, {
    message: 'Choose a password other than the current one',
    path: ['newPassword'],
  });

const ROLE_LABEL = { admin: 'Network admin', advertiser: 'Advertiser', affiliate: 'Affiliate' } as const;

export const deleteAccountSchema = z.object({
  password: z.string({ error: 'Enter your password' }).max(256),
  confirm: z.literal('on', { error: 'Tick the box to confirm' }),
});

type ProfileActionData = {
  intent: 'profile' | 'password' | 'delete-account';
  result: SubmissionResult<string[]>;
  message?: string;
};

export async function action({ request, context }: Route.ActionArgs) {
  const { api } = authOf(context);
  const formData = await request.formData();
  const intent = formData.get('intent');
  if (intent === 'profile') {
    const submission = parseWithZod(formData, { schema: profileSchema });
    if (submission.status !== 'success')
      return data<ProfileActionData>({ intent, result: submission.reply() }, { status: 400 });
    const { error, response } = await api.PATCH('/api/v1/auth/me', {
      body: { firstName: submission.value.firstName ?? null, lastName: submission.value.lastName ?? null },
    });
    if (!response.ok)
      return data<ProfileActionData>(
        { intent, result: submission.reply({ formErrors: [apiMessage(error)] }) },
        { status: response.status },
      );
    return data<ProfileActionData>({ intent, result: submission.reply(), message: 'Profile saved.' });
  }
  if (intent === 'password') {
    const hide = { hideFields: ['currentPassword', 'newPassword', 'confirmPassword'] };
    const submission = parseWithZod(formData, { schema: passwordSchema });
    if (submission.status !== 'success')
      return data<ProfileActionData>({ intent, result: submission.reply(hide) }, { status: 400 });
    const { currentPassword, newPassword } = submission.value;
    const {
      data: changed,
      error,
      response,
    } = await api.POST('/api/v1/auth/change-password', { body: { currentPassword, newPassword } });
    if (!changed) {
      const wrong = isApiError(error) && error.error.code === 'invalid_credentials';
      return data<ProfileActionData>(
        {
          intent,
          result: submission.reply(
            wrong
              ? { ...hide, fieldErrors: { currentPassword: ['The current password is wrong.'] } }
              : { ...hide, formErrors: [apiMessage(error)] },
          ),
        },
        { status: response.status },
      );
    }
    const others = changed.revokedSessions;
    return data<ProfileActionData>({
      intent,
      result: submission.reply({ resetForm: true }),
      message:
        others === 0
          ? 'Password changed.'
          : `Password changed. ${others} other ${others === 1 ? 'session was' : 'sessions were'} logged out.`,
    });
  }
  if (intent === 'delete-account') {
    const hide = { hideFields: ['password'] };
    const submission = parseWithZod(formData, { schema: deleteAccountSchema });
    if (submission.status !== 'success')
      return data<ProfileActionData>({ intent, result: submission.reply(hide) }, { status: 400 });
    const { error, response } = await api.POST('/api/v1/auth/delete-account', {
      body: { password: submission.value.password },
    });
    if (response.status !== 204) {
      const wrong = isApiError(error) && error.error.code === 'invalid_credentials';
      return data<ProfileActionData>(
        {
          intent,
          result: submission.reply(
            wrong
              ? { ...hide, fieldErrors: { password: ['The password is wrong.'] } }
              : { ...hide, formErrors: [apiMessage(error)] },
          ),
        },
        { status: response.status },
      );
    }
    // The account is gone: so is this browser's session.
    const session = await getSession(request);
    return redirect('/login', { headers: { 'set-cookie': await destroySession(session) } });
  }
  throw data({ message: 'Unknown action.' }, { status: 400 });
}

export default function ProfileSettings({ actionData }: Route.ComponentProps) {
  const viewer = useViewer();
  const navigation = useNavigation();
  useEffect(() => {
    if (actionData?.message && navigation.state === 'idle') toast.success(actionData.message);
  }, [actionData, navigation.state]);
  const [profileForm, profile] = useForm({
    id: 'profile',
    lastResult: actionData?.intent === 'profile' ? actionData.result : undefined,
    defaultValue: { firstName: viewer.firstName ?? '', lastName: viewer.lastName ?? '' },
    onValidate: ({ formData }) => parseWithZod(formData, { schema: profileSchema }),
    shouldRevalidate: 'onBlur',
  });
  const [passwordForm, password] = useForm({
    id: 'password',
    lastResult: actionData?.intent === 'password' ? actionData.result : undefined,
    onValidate: ({ formData }) => parseWithZod(formData, { schema: passwordSchema }),
    shouldValidate: 'onSubmit',
    shouldRevalidate: 'onBlur',
  });
  const [deleteForm, deletion] = useForm({
    id: 'delete-account',
    lastResult: actionData?.intent === 'delete-account' ? actionData.result : undefined,
    onValidate: ({ formData }) => parseWithZod(formData, { schema: deleteAccountSchema }),
    shouldValidate: 'onSubmit',
    // On input: the tick clears its error at once (on blur, the vanishing line moved the button
    // from under the pointer between press and release, and the click was lost).
    shouldRevalidate: 'onInput',
  });
  return (
    <div className="grid grid-cols-1 gap-6">
      <Card>
        <Form method="post" {...getFormProps(profileForm)}>
          <CardHeader>
            <CardTitle>Profile</CardTitle>
            <CardDescription>How you appear to the network.</CardDescription>
          </CardHeader>
          <CardContent className="grid grid-cols-1 gap-4">
            <div className="grid grid-cols-1 gap-4 sm:grid-cols-2">
              <Field
                meta={profile.firstName}
                label="First name"
                inputProps={{ autoComplete: 'given-name' }}
              />
              <Field meta={profile.lastName} label="Last name" inputProps={{ autoComplete: 'family-name' }} />
            </div>
            <div className="grid grid-cols-1 gap-4 sm:grid-cols-2">
              <div className="grid gap-1.5">
                <Label htmlFor="profile-email">Email</Label>
                <Input
                  id="profile-email"
                  value={viewer.email}
                  readOnly
                  aria-describedby="profile-email-hint"
                  className="bg-muted/50 text-muted-foreground"
                />
                <p id="profile-email-hint" className="text-xs text-muted-foreground">
                  You sign in with it. A network admin can change it.
                </p>
              </div>
              <div className="grid content-start gap-1.5">
                <span className="text-sm font-medium leading-none">Account</span>
                <div className="flex h-9 items-center gap-2 text-sm">
                  <Badge variant="secondary">{ROLE_LABEL[viewer.role]}</Badge>
                  {viewer.companyName ? <span className="truncate">{viewer.companyName}</span> : null}
                </div>
              </div>
            </div>
            <FormErrors errors={profileForm.errors} />
          </CardContent>
          <CardFooter className="justify-end">
            <SubmitButton intent="profile" size="sm">
              Save profile
            </SubmitButton>
          </CardFooter>
        </Form>
      </Card>

      <Card>
        <Form method="post" {...getFormProps(passwordForm)}>
          <CardHeader>
            <CardTitle>Password</CardTitle>
            <CardDescription>
              Changing it logs out your other sessions; this one stays signed in. API keys keep working.
            </CardDescription>
          </CardHeader>
          <CardContent className="grid grid-cols-1 gap-4">
            {/* For password managers: whose password this is. */}
            <input type="text" name="username" value={viewer.email} autoComplete="username" readOnly hidden />
            <Field
              meta={password.currentPassword}
              label="Current password"
              type="password"
              className="sm:max-w-sm"
              inputProps={{ autoComplete: 'current-password' }}
            />
            <div className="grid grid-cols-1 gap-4 sm:grid-cols-2">
              <Field
                meta={password.newPassword}
                label="New password"
                type="password"
                className="content-start"
                hint="At least 12 characters. A passphrase is easiest to remember."
                inputProps={{ autoComplete: 'new-password' }}
              />
              <Field
                meta={password.confirmPassword}
                label="New password, again"
                type="password"
                className="content-start"
                inputProps={{ autoComplete: 'new-password' }}
              />
            </div>
            <FormErrors errors={passwordForm.errors} />
          </CardContent>
          <CardFooter className="justify-end">
            <SubmitButton intent="password" size="sm">
              Change password
            </SubmitButton>
          </CardFooter>
        </Form>
      </Card>

      <Card className="border-destructive/40">
        <Form method="post" {...getFormProps(deleteForm)}>
          <CardHeader>
            <CardTitle>Delete account</CardTitle>
            <CardDescription>
              Your email, name and password are erased, every session ends and your API keys stop working.
              {viewer.companyName
                ? ` ${viewer.companyName}'s offers, conversions, invoices and payouts stay, as accounting requires.`
                : ''}{' '}
              This cannot be undone.
            </CardDescription>
          </CardHeader>
          <CardContent className="grid grid-cols-1 gap-4">
            <input type="text" name="username" value={viewer.email} autoComplete="username" readOnly hidden />
            <Field
              meta={deletion.password}
              label="Your password"
              type="password"
              className="sm:max-w-sm"
              inputProps={{ autoComplete: 'current-password' }}
            />
            <div className="grid gap-1.5">
              <div className="flex items-center gap-2">
                <input
                  id={deletion.confirm.id}
                  name={deletion.confirm.name}
                  type="checkbox"
                  className="size-4 accent-destructive"
                  aria-invalid={deletion.confirm.errors ? true : undefined}
                  aria-describedby={deletion.confirm.errors ? `${deletion.confirm.id}-error` : undefined}
                />
                <Label htmlFor={deletion.confirm.id}>I understand that my account is deleted for good</Label>
              </div>
              {deletion.confirm.errors ? (
                <p id={`${deletion.confirm.id}-error`} className="text-xs text-destructive">
                  {deletion.confirm.errors[0]}
                </p>
              ) : null}
            </div>
            <FormErrors errors={deleteForm.errors} />
          </CardContent>
          <CardFooter className="justify-end">
            <SubmitButton intent="delete-account" size="sm" variant="destructive">
              Delete my account
            </SubmitButton>
          </CardFooter>
        </Form>
      </Card>
    </div>
  );
}
