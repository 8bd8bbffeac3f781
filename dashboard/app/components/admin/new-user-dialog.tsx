import { getFormProps, getSelectProps, type SubmissionResult, useForm } from '@conform-to/react';
import { parseWithZod } from '@conform-to/zod/v4';
import { DicesIcon, UserPlusIcon } from 'lucide-react';
import { useEffect, useState } from 'react';
import { Form, useNavigation, useSearchParams } from 'react-router';
import { toast } from 'sonner';
import { z } from 'zod';
import { Field, FieldErrors, FormErrors, SubmitButton } from '~/components/form';
import { Button } from '~/components/ui/button';
import { CopyButton } from '~/components/ui/copy-button';
import {
  Dialog,
  DialogContent,
  DialogDescription,
  DialogFooter,
  DialogHeader,
  DialogTitle,
  DialogTrigger,
} from '~/components/ui/dialog';
import { Label } from '~/components/ui/label';
import { NativeSelect } from '~/components/ui/native-select';

const optionalName = z.string().trim().max(100, 'At most 100 characters').optional();

export const newUserSchema = z
  .object({
    email: z.email('An email address, e.g. ana@example.com').max(254),
    password: z
      .string({ error: 'Choose a first password (they can change it)' })
      .min(12, 'At least 12 characters')
      .max(256, 'At most 256 characters'),
    role: z.enum(['admin', 'advertiser', 'affiliate'], { error: 'Choose a role' }),
    firstName: optionalName,
    lastName: optionalName,
    companyId: z.coerce.number().int().min(1).optional(),
  })
  .refine((v) => v.role === 'admin' || v.companyId !== undefined, {
    message: 'Choose the company this login acts for',
    path: ['companyId'],
  });

export type CompanyOption = { id: number; name: string; taken: boolean };

const WORDS = [
  'amber',
  'birch',
  'cobalt',
  'delta',
  'ember',
  'fjord',
  'garnet',
  'harbor',
  'indigo',
  'juniper',
  'kestrel',
  'lagoon',
  'meadow',
  'nimbus',
  'orchid',
  'pepper',
  'quartz',
  'raven',
  'sierra',
  'tundra',
  'umber',
  'velvet',
  'willow',
  'yonder',
  'zephyr',
  'canyon',
  'falcon',
  'glacier',
  'lantern',
  'marble',
];

/** Four random words and a number: long, easy to read out, and random enough for a first password. */
function passphrase(): string {
  const values = new Uint32Array(5);
  crypto.getRandomValues(values);
  const words = Array.from(values.slice(0, 4), (v) => WORDS[v % WORDS.length]);
  return `${words.join('-')}-${(values[4] ?? 0) % 100}`;
}

/**
 * Creating a login of any role. For an advertiser or affiliate it acts for one company (one login
 * a company); `?new=advertiser&advertiserId=3` opens it filled in, from that company's page.
 */
export function NewUserDialog({
  advertisers,
  affiliates,
  lastResult,
  created,
}: {
  advertisers: CompanyOption[];
  affiliates: CompanyOption[];
  lastResult: SubmissionResult<string[]> | undefined;
  /** What the action said of the user it created; closes the dialog. */
  created?: string | undefined;
}) {
  const [params, setParams] = useSearchParams();
  const preset = params.get('new');
  const presetRole = preset === 'advertiser' || preset === 'affiliate' || preset === 'admin' ? preset : null;
  const presetCompany = params.get(presetRole === 'affiliate' ? 'affiliateId' : 'advertiserId') ?? '';
  const [open, setOpen] = useState(presetRole !== null);
  const navigation = useNavigation();
  useEffect(() => {
    if (lastResult?.status === 'error') setOpen(true);
  }, [lastResult]);
  useEffect(() => {
    if (!created) return;
    toast.success(created);
    setOpen(false);
  }, [created]);
  const [form, fields] = useForm({
    id: 'new-user',
    lastResult: open ? lastResult : undefined,
    defaultValue: { role: presetRole ?? 'advertiser', companyId: presetCompany },
    onValidate: ({ formData }) => parseWithZod(formData, { schema: newUserSchema }),
    shouldValidate: 'onBlur',
    shouldRevalidate: 'onInput',
  });
  const role = fields.role.value ?? presetRole ?? 'advertiser';
  const companies = role === 'affiliate' ? affiliates : advertisers;
  const close = (next: boolean) => {
    if (navigation.state !== 'idle') return;
    setOpen(next);
    if (!next && presetRole) {
      const copy = new URLSearchParams(params);
      for (const key of ['new', 'advertiserId', 'affiliateId']) copy.delete(key);
      setParams(copy, { replace: true, preventScrollReset: true });
    }
  };
  const password = fields.password.value ?? '';
  return (
    <Dialog open={open} onOpenChange={close}>
      <DialogTrigger asChild>
        <Button>
          <UserPlusIcon /> New user
        </Button>
      </DialogTrigger>
      <DialogContent className="max-h-[calc(100dvh-2rem)] overflow-y-auto sm:max-w-xl">
        <Form method="post" className="grid gap-4" {...getFormProps(form)}>
          <DialogHeader>
            <DialogTitle>New user</DialogTitle>
            <DialogDescription>
              The account is verified at once: share the email and first password with its owner, who can
              change the password under Settings.
            </DialogDescription>
          </DialogHeader>
          <div className="grid gap-4 sm:grid-cols-2">
            <div className="grid gap-1.5">
              <Label htmlFor={fields.role.id}>Role</Label>
              <NativeSelect {...getSelectProps(fields.role)}>
                <option value="advertiser">Advertiser</option>
                <option value="affiliate">Affiliate</option>
                <option value="admin">Network admin</option>
              </NativeSelect>
              <FieldErrors id={fields.role.errorId} errors={fields.role.errors} />
            </div>
            {role === 'admin' ? (
              <p className="self-end pb-2 text-xs text-muted-foreground">
                Admins see and change everything on the network.
              </p>
            ) : (
              <div className="grid gap-1.5">
                <Label htmlFor={fields.companyId.id}>
                  {role === 'affiliate' ? 'Affiliate' : 'Advertiser'}
                </Label>
                <NativeSelect {...getSelectProps(fields.companyId)} key={role}>
                  <option value="">Choose…</option>
                  {companies.map((company) => (
                    <option key={company.id} value={company.id} disabled={company.taken}>
                      {company.name} (#{company.id}){company.taken ? ' – has a login' : ''}
                    </option>
                  ))}
                </NativeSelect>
                <FieldErrors id={fields.companyId.errorId} errors={fields.companyId.errors} />
              </div>
            )}
          </div>
          <div className="grid gap-4 sm:grid-cols-2">
            <Field
              meta={fields.firstName}
              label="First name (optional)"
              inputProps={{ autoComplete: 'off' }}
            />
            <Field meta={fields.lastName} label="Last name (optional)" inputProps={{ autoComplete: 'off' }} />
          </div>
          <Field meta={fields.email} label="Email" type="email" inputProps={{ autoComplete: 'off' }} />
          <div className="grid gap-1.5">
            <div className="flex items-start gap-2">
              <Field
                meta={fields.password}
                label="First password"
                className="flex-1"
                hint="At least 12 characters. Shown here so you can pass it on."
                inputProps={{ autoComplete: 'new-password', spellCheck: false, className: 'font-mono' }}
              />
              {password.length >= 12 ? (
                <CopyButton value={password} label="Copy the password" className="mt-6 size-9" />
              ) : null}
            </div>
            <div>
              <Button
                type="button"
                variant="outline"
                size="sm"
                onClick={() => form.update({ name: fields.password.name, value: passphrase() })}
              >
                <DicesIcon /> Generate a passphrase
              </Button>
            </div>
          </div>
          <FormErrors errors={form.errors} />
          <DialogFooter>
            <Button type="button" variant="outline" onClick={() => close(false)}>
              Cancel
            </Button>
            <SubmitButton intent="create">Create user</SubmitButton>
          </DialogFooter>
        </Form>
      </DialogContent>
    </Dialog>
  );
}
