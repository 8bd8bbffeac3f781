import { getFormProps, getSelectProps, type SubmissionResult, useForm } from '@conform-to/react';
import { parseWithZod } from '@conform-to/zod/v4';
import { DownloadIcon, EraserIcon, ShieldCheckIcon, ShieldQuestionIcon } from 'lucide-react';
import { type ReactNode, useEffect, useMemo, useRef } from 'react';
import { data, Form } from 'react-router';
import { z } from 'zod';
import { type ColumnDef, DataTable } from '~/components/data-table';
import { GeneralErrorBoundary } from '~/components/error-boundary';
import { Field, FieldErrors, FormErrors, SubmitButton } from '~/components/form';
import { downloadBlob } from '~/components/links/download';
import { EmptyState, PageHeader } from '~/components/page';
import {
  countsText,
  isSubjectType,
  SUBJECT_TYPE_LABEL,
  SUBJECT_TYPES,
  type SubjectType,
} from '~/components/privacy/subject-text';
import { Badge } from '~/components/ui/badge';
import { Button } from '~/components/ui/button';
import { Card, CardContent, CardDescription, CardFooter, CardHeader, CardTitle } from '~/components/ui/card';
import { Label } from '~/components/ui/label';
import { NativeSelect } from '~/components/ui/native-select';
import type { Schemas } from '~/lib/api.server';
import { apiMessage } from '~/lib/api-errors';
import { authOf, requireRole } from '~/lib/auth.server';
import { formatDateTime } from '~/lib/format';
import type { Route } from './+types/_app.privacy';

export function meta() {
  return [{ title: 'Privacy requests · TAS' }];
}

type LogEntry = Schemas['DataSubjectRequestLogEntry'];

// The API checks the value against its type (an email, an ip); the page only asks for one. The
// form's two buttons post `intent`; only an erasure needs the confirmation box.
export const subjectRequestSchema = z
  .object({
    // Absent when the form revalidates as a field changes (no button was pressed).
    intent: z.enum(['export', 'erase']).optional(),
    type: z.enum(SUBJECT_TYPES, { error: 'Choose what identifies the person' }),
    value: z
      .string({ error: 'Enter the email, click id, order id or ip' })
      .trim()
      .max(320, 'At most 320 characters'),
    note: z.string().trim().max(500, 'At most 500 characters').optional(),
    confirm: z.literal('on').optional(),
  })
  .refine((v) => v.intent !== 'erase' || v.confirm === 'on', {
    message: "Tick the box: an erasure can't be undone",
    path: ['confirm'],
  });

export type PrivacyActionData =
  | {
      intent: 'export';
      result: SubmissionResult<string[]>;
      export?: { filename: string; json: string; found: string };
    }
  | { intent: 'erase'; result: SubmissionResult<string[]>; erased?: string };

/** The log of data subject requests, newest first, with who asked (admins only). */
export async function loader({ context }: Route.LoaderArgs) {
  const { api } = requireRole(authOf(context), 'admin');
  const [log, users] = await Promise.all([
    api.GET('/api/v1/privacy/requests', { params: { query: { limit: 100 } } }),
    api.GET('/api/v1/users'),
  ]);
  if (!log.data) {
    throw data(
      { message: apiMessage(log.error, 'The request log could not be loaded.') },
      { status: log.response.status },
    );
  }
  const emailOf = new Map((users.data?.data ?? []).map((u) => [u.id, u.email]));
  return {
    entries: log.data.data.map((entry) => ({
      ...entry,
      requestedByEmail: entry.requestedBy ? (emailOf.get(entry.requestedBy) ?? null) : null,
    })),
  };
}

/**
 * Runs an export (its JSON goes back to the page, which saves it as a file) or an erasure (its
 * counts are shown). Both are logged by the API without the subject.
 */
export async function action({ request, context }: Route.ActionArgs) {
  const { api } = requireRole(authOf(context), 'admin');
  const formData = await request.formData();
  const intent = formData.get('intent');
  if (intent !== 'export' && intent !== 'erase') throw data({ message: 'Unknown action.' }, { status: 400 });
  const submission = parseWithZod(formData, { schema: subjectRequestSchema });
  if (submission.status !== 'success')
    return data<PrivacyActionData>({ intent, result: submission.reply() }, { status: 400 });
  const { type, value, note } = submission.value;
  const body = { subject: { type, value }, note: note || null };
  if (intent === 'export') {
    const {
      data: found,
      error,
      response,
    } = await api.POST('/api/v1/privacy/exports', {
      body,
    });
    if (!found) {
      return data<PrivacyActionData>(
        { intent, result: submission.reply({ formErrors: [apiMessage(error, 'The export failed.')] }) },
        { status: response.status },
      );
    }
    const counts = {
      clicks: found.clicks.length,
      conversions: found.conversions.length,
      postbackAttempts: found.postbackAttempts.length,
      adPlatformDeliveries: found.adPlatformDeliveries.length,
      quarantinedEvents: found.quarantinedEvents.length,
      account: found.account ? 1 : 0,
    };
    return data<PrivacyActionData>({
      intent,
      result: submission.reply(),
      export: {
        filename: `tas-data-subject-export-${type}-${found.generatedAt.slice(0, 10)}-${found.request.id.slice(0, 8)}.json`,
        json: JSON.stringify(found, null, 2),
        found: `${countsText(counts)}${found.truncated ? ' (more than 10,000 rows in a table: only the first are in the file)' : ''}`,
      },
    });
  }
  const {
    data: erased,
    error,
    response,
  } = await api.POST('/api/v1/privacy/erasures', {
    body,
  });
  if (!erased) {
    return data<PrivacyActionData>(
      { intent, result: submission.reply({ formErrors: [apiMessage(error, 'The erasure failed.')] }) },
      { status: response.status },
    );
  }
  const { request: _logged, ...counts } = erased;
  return data<PrivacyActionData>({
    intent,
    result: submission.reply({ resetForm: true }),
    erased: countsText(counts),
  });
}

const VALUE_HINT: Record<SubjectType, string> = {
  email: 'Found in the hashes advertisers sent with sales, and as a TAS login.',
  click_id: 'The click and every conversion of it.',
  txid: 'The conversions with this order id and their clicks.',
  ip: 'Read from every raw click: slow on large networks. Finds nothing for offers that store ips hashed.',
};

export default function PrivacyRequests({ loaderData, actionData }: Route.ComponentProps) {
  const { entries } = loaderData;
  const exported = actionData?.intent === 'export' ? actionData.export : undefined;
  const erased = actionData?.intent === 'erase' ? actionData.erased : undefined;
  const [form, fields] = useForm({
    id: 'subject-request',
    lastResult: actionData?.result,
    onValidate: ({ formData }) => parseWithZod(formData, { schema: subjectRequestSchema }),
    shouldValidate: 'onSubmit',
    // On input, not on blur: ticking the box clears its error at once. Cleared on blur, the error's
    // line would vanish as the button is pressed, moving the button from under the pointer.
    shouldRevalidate: 'onInput',
    defaultValue: { type: 'email' },
  });
  const type = isSubjectType(String(fields.type.value)) ? (fields.type.value as SubjectType) : 'email';

  // A new export saves itself once; "Download again" saves the same file.
  const saved = useRef<string | null>(null);
  useEffect(() => {
    if (!exported || saved.current === exported.json) return;
    saved.current = exported.json;
    downloadBlob(new Blob([exported.json], { type: 'application/json' }), exported.filename);
  }, [exported]);

  const columns = useMemo<ColumnDef<(typeof entries)[number]>[]>(
    () => [
      {
        accessorKey: 'createdAt',
        header: 'Time (UTC)',
        cell: ({ row }) => (
          <span className="whitespace-nowrap">{formatDateTime(row.original.createdAt)}</span>
        ),
      },
      {
        accessorKey: 'kind',
        header: 'Request',
        cell: ({ row }) => (
          <Badge variant={row.original.kind === 'erase' ? 'destructive' : 'outline'} className="font-normal">
            {row.original.kind === 'erase' ? 'Erasure' : 'Export'}
          </Badge>
        ),
      },
      {
        id: 'subject',
        header: 'Subject',
        enableSorting: false,
        cell: ({ row }) => <SubjectCell entry={row.original} />,
      },
      {
        id: 'counts',
        header: 'Found',
        enableSorting: false,
        cell: ({ row }) => <span className="text-xs">{countsText(row.original.counts)}</span>,
      },
      {
        accessorKey: 'note',
        header: 'Note',
        enableSorting: false,
        cell: ({ row }) =>
          row.original.note ? (
            <span className="block min-w-48 max-w-xs whitespace-normal text-xs">{row.original.note}</span>
          ) : null,
      },
      {
        id: 'by',
        header: 'By',
        enableSorting: false,
        cell: ({ row }) =>
          row.original.requestedByEmail ?? <span className="text-muted-foreground">A deleted user</span>,
      },
    ],
    [],
  );

  return (
    <>
      <PageHeader
        title="Privacy requests"
        description="Export or erase what TAS holds about a person (GDPR articles 15 and 17). Counts and money stay; the log below keeps a digest of each subject, never the subject."
      />
      <Card className="mb-6">
        <Form method="post" {...getFormProps(form)}>
          <CardHeader>
            <CardTitle>New request</CardTitle>
            <CardDescription>
              Check the person's identity first. An export downloads a JSON file of their clicks, conversions,
              postback attempts, ad-platform deliveries, quarantined events and TAS account. An erasure
              removes their ip addresses, browsers, referrers, ad click ids and customer hashes, and their TAS
              account, in one step.
            </CardDescription>
          </CardHeader>
          <CardContent className="grid grid-cols-1 gap-4">
            <div className="grid grid-cols-1 gap-4 sm:grid-cols-[minmax(0,14rem)_minmax(0,1fr)]">
              <div className="grid content-start gap-1.5">
                <Label htmlFor={fields.type.id}>Find the person by</Label>
                <NativeSelect {...getSelectProps(fields.type)}>
                  {SUBJECT_TYPES.map((t) => (
                    <option key={t} value={t}>
                      {SUBJECT_TYPE_LABEL[t]}
                    </option>
                  ))}
                </NativeSelect>
                <FieldErrors id={fields.type.errorId} errors={fields.type.errors} />
              </div>
              <Field
                meta={fields.value}
                label={SUBJECT_TYPE_LABEL[type]}
                hint={VALUE_HINT[type]}
                inputProps={{ autoComplete: 'off', spellCheck: false }}
              />
            </div>
            <Field
              meta={fields.note}
              label="Note (optional)"
              hint="Why: a ticket number, how the person asked. Kept in the log."
            />
            <div className="grid gap-1.5">
              <div className="flex items-center gap-2">
                <input
                  id={fields.confirm.id}
                  name={fields.confirm.name}
                  type="checkbox"
                  className="size-4 accent-destructive"
                  aria-invalid={fields.confirm.errors ? true : undefined}
                  aria-describedby={fields.confirm.errors ? fields.confirm.errorId : undefined}
                />
                <Label htmlFor={fields.confirm.id} className="font-normal">
                  For an erasure: I have checked who is asking, and understand it can't be undone
                </Label>
              </div>
              <FieldErrors id={fields.confirm.errorId} errors={fields.confirm.errors} />
            </div>
            <FormErrors errors={form.errors} />
            {exported ? (
              <Outcome icon={DownloadIcon} title="Export saved">
                {exported.found}.{' '}
                <Button
                  type="button"
                  variant="link"
                  size="sm"
                  className="h-auto p-0"
                  onClick={() =>
                    downloadBlob(new Blob([exported.json], { type: 'application/json' }), exported.filename)
                  }
                >
                  Download again
                </Button>
              </Outcome>
            ) : null}
            {erased ? (
              <Outcome icon={ShieldCheckIcon} title="Erased">
                {erased}.
              </Outcome>
            ) : null}
          </CardContent>
          <CardFooter className="flex flex-wrap justify-end gap-2">
            <SubmitButton intent="export" size="sm" variant="outline">
              <DownloadIcon aria-hidden /> Export as JSON
            </SubmitButton>
            <SubmitButton intent="erase" size="sm" variant="destructive">
              <EraserIcon aria-hidden /> Erase
            </SubmitButton>
          </CardFooter>
        </Form>
      </Card>
      {entries.length === 0 ? (
        <EmptyState
          icon={ShieldQuestionIcon}
          title="No requests yet"
          description="Each export and erasure is listed here, with who ran it and what it found."
        />
      ) : (
        <DataTable columns={columns} data={entries} caption="Data subject requests" />
      )}
    </>
  );
}

function Outcome({
  icon: Icon,
  title,
  children,
}: {
  icon: typeof DownloadIcon;
  title: string;
  children: ReactNode;
}) {
  return (
    <div role="status" className="flex gap-3 rounded-md border bg-muted/40 px-3 py-2 text-sm">
      <Icon className="mt-0.5 size-4 shrink-0 text-muted-foreground" aria-hidden />
      <p>
        <span className="font-medium">{title}: </span>
        {children}
      </p>
    </div>
  );
}

function SubjectCell({ entry }: { entry: LogEntry }) {
  const label = isSubjectType(entry.subjectType) ? SUBJECT_TYPE_LABEL[entry.subjectType] : entry.subjectType;
  return (
    <span className="text-xs">
      {label}{' '}
      <code className="font-mono text-muted-foreground" title={`SHA-256 ${entry.subjectDigest}`}>
        {entry.subjectDigest.slice(0, 12)}…
      </code>
    </span>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
