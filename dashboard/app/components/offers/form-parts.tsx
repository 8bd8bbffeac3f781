import {
  type FieldMetadata,
  getCollectionProps,
  getInputProps,
  getSelectProps,
  getTextareaProps,
} from '@conform-to/react';
import type { ComponentProps, ReactNode } from 'react';
import { cn } from '~/lib/utils';
import { FieldErrors } from '../form';
import { CardContent, CardDescription, CardHeader, CardTitle } from '../ui/card';
import { Input, Textarea } from '../ui/input';
import { Label } from '../ui/label';

/** Building blocks of long settings forms: native controls (phone pickers, no script needed). */

type Meta = FieldMetadata<string | number | boolean | null | undefined | string[]>;

export const selectClass =
  'flex h-9 w-full rounded-md border border-input bg-card px-3 py-1 text-sm shadow-xs focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-ring disabled:cursor-not-allowed disabled:opacity-50 aria-[invalid=true]:border-destructive';

function Hint({ id, children }: { id: string; children: ReactNode }) {
  return (
    <p id={id} className="text-xs text-muted-foreground">
      {children}
    </p>
  );
}

/** A labelled native select with its hint and errors. */
export function SelectField({
  meta,
  label,
  hint,
  options,
  className,
  selectProps,
}: {
  meta: FieldMetadata<string | number | null | undefined>;
  label: string;
  hint?: ReactNode;
  options: readonly { value: string; label: string }[];
  className?: string;
  selectProps?: Omit<ComponentProps<'select'>, 'name' | 'id' | 'defaultValue'>;
}) {
  return (
    <div className={cn('grid content-start gap-1.5', className)}>
      <Label htmlFor={meta.id}>{label}</Label>
      <select
        {...getSelectProps(meta, { ariaDescribedBy: hint ? `${meta.id}-hint` : undefined })}
        className={selectClass}
        {...selectProps}
      >
        {options.map((option) => (
          <option key={option.value} value={option.value}>
            {option.label}
          </option>
        ))}
      </select>
      {hint ? <Hint id={`${meta.id}-hint`}>{hint}</Hint> : null}
      <FieldErrors id={meta.errorId} errors={meta.errors} />
    </div>
  );
}

/** A labelled textarea (lists: one item per line). */
export function TextareaField({
  meta,
  label,
  hint,
  className,
  textareaProps,
}: {
  meta: FieldMetadata<string | null | undefined>;
  label: string;
  hint?: ReactNode;
  className?: string;
  textareaProps?: Omit<ComponentProps<'textarea'>, 'name' | 'id' | 'defaultValue'>;
}) {
  return (
    <div className={cn('grid content-start gap-1.5', className)}>
      <Label htmlFor={meta.id}>{label}</Label>
      <Textarea
        {...getTextareaProps(meta, { ariaDescribedBy: hint ? `${meta.id}-hint` : undefined })}
        {...textareaProps}
      />
      {hint ? <Hint id={`${meta.id}-hint`}>{hint}</Hint> : null}
      <FieldErrors id={meta.errorId} errors={meta.errors} />
    </div>
  );
}

/** An input with a unit before or after it ($, %, hours). */
export function AffixField({
  meta,
  label,
  hint,
  prefix,
  suffix,
  type = 'text',
  className,
  inputProps,
}: {
  meta: FieldMetadata<string | number | null | undefined>;
  label: string;
  hint?: ReactNode;
  prefix?: string;
  suffix?: string;
  type?: 'text' | 'number';
  className?: string;
  inputProps?: Omit<ComponentProps<'input'>, 'name' | 'id' | 'type' | 'defaultValue'>;
}) {
  return (
    <div className={cn('grid content-start gap-1.5', className)}>
      <Label htmlFor={meta.id}>{label}</Label>
      <div className="relative">
        {prefix ? (
          <span
            className="pointer-events-none absolute top-1/2 left-3 -translate-y-1/2 text-sm text-muted-foreground"
            aria-hidden
          >
            {prefix}
          </span>
        ) : null}
        <Input
          {...getInputProps(meta, { type, ariaDescribedBy: hint ? `${meta.id}-hint` : undefined })}
          className={cn('tabular-nums', prefix && (prefix.length > 1 ? 'pl-11' : 'pl-7'), suffix && 'pr-16')}
          {...inputProps}
        />
        {suffix ? (
          <span
            className="pointer-events-none absolute top-1/2 right-3 -translate-y-1/2 text-sm text-muted-foreground"
            aria-hidden
          >
            {suffix}
          </span>
        ) : null}
      </div>
      {hint ? <Hint id={`${meta.id}-hint`}>{hint}</Hint> : null}
      <FieldErrors id={meta.errorId} errors={meta.errors} />
    </div>
  );
}

/** Checkboxes for a list of choices, in a fieldset; none checked means "any". */
export function CheckboxGroup({
  meta,
  legend,
  hint,
  options,
}: {
  meta: FieldMetadata<string[] | undefined>;
  legend: string;
  hint?: ReactNode;
  options: readonly { value: string; label: string }[];
}) {
  const labels = Object.fromEntries(options.map((option) => [option.value, option.label]));
  return (
    <fieldset className="grid content-start gap-2" aria-describedby={hint ? `${meta.id}-hint` : undefined}>
      <legend className="mb-1.5 text-sm font-medium">{legend}</legend>
      <div className="flex flex-wrap gap-2">
        {getCollectionProps(meta, { type: 'checkbox', options: options.map((option) => option.value) }).map(
          (props) => (
            <label
              key={props.key}
              htmlFor={props.id}
              className="inline-flex cursor-pointer items-center gap-2 rounded-md border bg-card px-2.5 py-1.5 text-sm shadow-xs has-[:checked]:border-primary has-[:checked]:bg-primary/8 has-[:focus-visible]:ring-2 has-[:focus-visible]:ring-ring"
            >
              <input {...props} key={props.key} className="size-3.5 accent-primary" />
              {labels[props.value]}
            </label>
          ),
        )}
      </div>
      {hint ? <Hint id={`${meta.id}-hint`}>{hint}</Hint> : null}
      <FieldErrors id={meta.errorId} errors={meta.errors} />
    </fieldset>
  );
}

/** A yes/no setting as a checkbox with its explanation. */
export function CheckboxField({
  meta,
  label,
  hint,
}: {
  meta: FieldMetadata<boolean | string | null | undefined>;
  label: string;
  hint?: ReactNode;
}) {
  return (
    <div className="flex items-start gap-3">
      <input
        {...getInputProps(meta, { type: 'checkbox', ariaDescribedBy: hint ? `${meta.id}-hint` : undefined })}
        className="mt-0.5 size-4 accent-primary"
      />
      <div className="grid gap-1">
        <Label htmlFor={meta.id}>{label}</Label>
        {hint ? <Hint id={`${meta.id}-hint`}>{hint}</Hint> : null}
        <FieldErrors id={meta.errorId} errors={meta.errors} />
      </div>
    </div>
  );
}

/** One section of a settings form: a card with its title, what it is for, and its fields. */
export function FormSection({
  id,
  title,
  description,
  children,
  actions,
}: {
  id: string;
  title: string;
  description?: ReactNode;
  children: ReactNode;
  actions?: ReactNode;
}) {
  return (
    <section
      id={id}
      aria-labelledby={`${id}-title`}
      className="scroll-mt-20 rounded-xl border bg-card text-card-foreground shadow-xs"
    >
      <CardHeader className="flex-row items-start justify-between gap-3 border-b pb-4">
        <div className="grid gap-1">
          <CardTitle id={`${id}-title`}>{title}</CardTitle>
          {description ? <CardDescription>{description}</CardDescription> : null}
        </div>
        {actions}
      </CardHeader>
      <CardContent className="grid gap-5 pt-5">{children}</CardContent>
    </section>
  );
}

export type { Meta };
