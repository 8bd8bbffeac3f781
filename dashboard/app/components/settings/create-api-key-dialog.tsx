import {
  getCollectionProps,
  getFormProps,
  getSelectProps,
  type SubmissionResult,
  useForm,
} from '@conform-to/react';
import { parseWithZod } from '@conform-to/zod/v4';
import { KeyRoundIcon, PlusIcon, ShieldAlertIcon } from 'lucide-react';
import { useEffect, useState } from 'react';
import { Form } from 'react-router';
import { z } from 'zod';
import { Field, FieldErrors, FormErrors, SubmitButton } from '~/components/form';
import { Button } from '~/components/ui/button';
import { CopyField } from '~/components/ui/copy-button';
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
import { Alert } from '~/components/ui/misc';
import { NativeSelect } from '~/components/ui/native-select';
import { SCOPE_LABEL, type Scope } from './scopes';

export const EXPIRY_DAYS = ['never', '30', '90', '365'] as const;

export const apiKeySchema = z.object({
  name: z
    .string({ error: 'Name the key after where it is used' })
    .trim()
    .min(1, 'Name the key after where it is used')
    .max(100, 'At most 100 characters'),
  scopes: z
    .array(z.string(), { error: 'Choose at least one scope' })
    .min(1, 'Choose at least one scope')
    .max(20),
  expiry: z.enum(EXPIRY_DAYS).default('never'),
});

export type CreatedKey = { key: string; id: string; name: string };

/**
 * Creating a key, then showing it once: the dialog turns into the key with a copy button, and
 * closing it forgets the key for good (the API keeps only a hash).
 */
export function CreateApiKeyDialog({
  scopes,
  result,
  created,
}: {
  scopes: Scope[];
  result: SubmissionResult<string[]> | undefined;
  created: CreatedKey | undefined;
}) {
  const [open, setOpen] = useState(false);
  // The key shown, until this dialog is closed; a later render never brings it back.
  const [revealed, setRevealed] = useState<CreatedKey | null>(null);
  const [seen, setSeen] = useState<string | null>(null);
  useEffect(() => {
    if (created && created.id !== seen) {
      setRevealed(created);
      setSeen(created.id);
      setOpen(true);
    }
  }, [created, seen]);
  const [form, fields] = useForm({
    id: 'create-api-key',
    lastResult: open && !revealed ? result : undefined,
    defaultValue: { expiry: 'never' },
    onValidate: ({ formData }) => parseWithZod(formData, { schema: apiKeySchema }),
    shouldValidate: 'onSubmit',
    shouldRevalidate: 'onInput',
  });
  const close = (next: boolean) => {
    setOpen(next);
    if (!next) setRevealed(null);
  };
  return (
    <Dialog open={open} onOpenChange={close}>
      <DialogTrigger asChild>
        <Button size="sm">
          <PlusIcon /> New API key
        </Button>
      </DialogTrigger>
      <DialogContent className="max-h-[calc(100dvh-2rem)] overflow-y-auto sm:max-w-xl">
        {revealed ? (
          <>
            <DialogHeader>
              <DialogTitle className="flex items-center gap-2">
                <KeyRoundIcon className="size-5 text-primary" aria-hidden /> Your new key “{revealed.name}”
              </DialogTitle>
              <DialogDescription>
                Send it as <code className="font-mono">Authorization: Bearer &lt;key&gt;</code>.
              </DialogDescription>
            </DialogHeader>
            <Alert variant="warning" className="flex gap-3">
              <ShieldAlertIcon className="mt-0.5 size-4 shrink-0 text-warning" aria-hidden />
              <span>
                <span className="font-medium">Copy it now: it is shown only this once.</span> We keep a hash,
                never the key. If you lose it, revoke it and create another.
              </span>
            </Alert>
            <CopyField value={revealed.key} label="API key" />
            <DialogFooter>
              <Button type="button" onClick={() => close(false)}>
                I have stored it
              </Button>
            </DialogFooter>
          </>
        ) : (
          <Form method="post" className="grid grid-cols-1 gap-4" {...getFormProps(form)}>
            <DialogHeader>
              <DialogTitle>New API key</DialogTitle>
              <DialogDescription>
                For your servers and scripts. A key acts as you, limited to the scopes you give it.
              </DialogDescription>
            </DialogHeader>
            <Field
              meta={fields.name}
              label="Name"
              hint="Where it is used, e.g. “Shopify store” or “BI export”."
              inputProps={{ autoComplete: 'off', autoFocus: true }}
            />
            <fieldset className="grid gap-2" aria-describedby={fields.scopes.errorId}>
              <legend className="mb-1 text-sm font-medium">Scopes</legend>
              <div className="grid gap-1.5 sm:grid-cols-2">
                {getCollectionProps(fields.scopes, { type: 'checkbox', options: scopes }).map(
                  ({ key, ...props }) => (
                    <label
                      key={key}
                      htmlFor={props.id}
                      className="flex cursor-pointer items-start gap-2 rounded-md border px-2.5 py-2 text-sm hover:bg-accent/50 has-[:checked]:border-primary/50 has-[:checked]:bg-primary/5"
                    >
                      <input {...props} className="mt-0.5 size-4 shrink-0 accent-[var(--color-primary)]" />
                      <span className="grid gap-0.5">
                        <span>{SCOPE_LABEL[props.value as Scope]}</span>
                        <code className="font-mono text-[11px] text-muted-foreground">{props.value}</code>
                      </span>
                    </label>
                  ),
                )}
              </div>
              <FieldErrors id={fields.scopes.errorId} errors={fields.scopes.errors} />
            </fieldset>
            <div className="grid gap-1.5 sm:max-w-56">
              <Label htmlFor={fields.expiry.id}>Expires</Label>
              <NativeSelect {...getSelectProps(fields.expiry)}>
                <option value="never">Never (until revoked)</option>
                <option value="30">In 30 days</option>
                <option value="90">In 90 days</option>
                <option value="365">In a year</option>
              </NativeSelect>
            </div>
            <FormErrors errors={form.errors} />
            <DialogFooter>
              <Button type="button" variant="outline" onClick={() => close(false)}>
                Cancel
              </Button>
              <SubmitButton intent="create">Create key</SubmitButton>
            </DialogFooter>
          </Form>
        )}
      </DialogContent>
    </Dialog>
  );
}
