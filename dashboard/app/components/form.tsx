import type { FieldMetadata } from '@conform-to/react';
import { getInputProps } from '@conform-to/react';
import { Loader2Icon } from 'lucide-react';
import type { ComponentProps, ReactNode } from 'react';
import { useNavigation } from 'react-router';
import { cn } from '~/lib/utils';
import { Button } from './ui/button';
import { Input } from './ui/input';
import { Label } from './ui/label';

/** A labelled input with its hint and its errors beside it (ids wired for screen readers). */
export function Field({
  meta,
  label,
  hint,
  type = 'text',
  className,
  inputProps,
}: {
  meta: FieldMetadata<string | number | null | undefined>;
  label: string;
  hint?: ReactNode;
  type?: 'text' | 'email' | 'password' | 'number' | 'url' | 'date' | 'search';
  className?: string;
  inputProps?: Omit<ComponentProps<'input'>, 'name' | 'id' | 'type' | 'defaultValue'>;
}) {
  const errors = meta.errors ?? [];
  return (
    <div className={cn('grid gap-1.5', className)}>
      <Label htmlFor={meta.id}>{label}</Label>
      <Input
        {...getInputProps(meta, { type, ariaDescribedBy: hint ? `${meta.id}-hint` : undefined })}
        {...inputProps}
      />
      {hint ? (
        <p id={`${meta.id}-hint`} className="text-xs text-muted-foreground">
          {hint}
        </p>
      ) : null}
      <FieldErrors id={meta.errorId} errors={errors} />
    </div>
  );
}

export function FieldErrors({ id, errors }: { id?: string; errors?: string[] | undefined }) {
  if (!errors || errors.length === 0) return null;
  return (
    <ul id={id} className="text-xs text-destructive">
      {errors.map((error) => (
        <li key={error}>{error}</li>
      ))}
    </ul>
  );
}

/** Errors of the whole form (what the API said), shown above its button. */
export function FormErrors({ errors }: { errors?: string[] | undefined }) {
  if (!errors || errors.length === 0) return null;
  return (
    <div
      role="alert"
      className="rounded-md border border-destructive/40 bg-destructive/5 px-3 py-2 text-sm text-destructive"
    >
      {errors.map((error) => (
        <p key={error}>{error}</p>
      ))}
    </div>
  );
}

/** A submit button that says it is working while its form's request is under way. */
export function SubmitButton({
  children,
  intent,
  ...props
}: ComponentProps<typeof Button> & { intent?: string }) {
  const navigation = useNavigation();
  const pending =
    navigation.state !== 'idle' &&
    navigation.formMethod !== undefined &&
    navigation.formMethod !== 'GET' &&
    (intent === undefined || navigation.formData?.get('intent') === intent);
  return (
    <Button type="submit" name={intent ? 'intent' : undefined} value={intent} disabled={pending} {...props}>
      {pending ? <Loader2Icon className="animate-spin" aria-hidden /> : null}
      {children}
    </Button>
  );
}
