import type { SubmissionResult } from '@conform-to/react';
import { parseWithZod } from '@conform-to/zod/v4';
import { data } from 'react-router';
import type { ApiClient, Schemas } from '~/lib/api.server';
import { apiMessage } from '~/lib/api-errors';
import {
  companyBody,
  companyProfileSchema,
  paymentDetailsBody,
  paymentDetailsFormSchema,
} from './company-schema';

export type FormActionData = {
  intent: string;
  result: SubmissionResult<string[]>;
  message?: string;
};

/** Saves an advertiser's or affiliate's profile (not its status) from a submitted form. */
export async function saveCompanyProfile(
  api: ApiClient,
  kind: 'advertiser' | 'affiliate',
  id: string,
  formData: FormData,
) {
  const intent = 'profile';
  const submission = parseWithZod(formData, { schema: companyProfileSchema });
  if (submission.status !== 'success')
    return data<FormActionData>({ intent, result: submission.reply() }, { status: 400 });
  const { error, response } =
    kind === 'advertiser'
      ? await api.PATCH('/api/v1/advertisers/{id}', {
          params: { path: { id } },
          body: companyBody(submission.value, 'advertiser'),
        })
      : await api.PATCH('/api/v1/affiliates/{id}', {
          params: { path: { id } },
          body: companyBody(submission.value, 'affiliate'),
        });
  if (!response.ok)
    return data<FormActionData>(
      { intent, result: submission.reply({ formErrors: [apiMessage(error)] }) },
      { status: response.status },
    );
  return data<FormActionData>({ intent, result: submission.reply(), message: 'Profile saved.' });
}

/** Replaces an affiliate's payment details (encrypted at rest by the API). */
export async function savePaymentDetails(api: ApiClient, id: string, formData: FormData) {
  const intent = 'payment';
  const submission = parseWithZod(formData, { schema: paymentDetailsFormSchema });
  if (submission.status !== 'success')
    return data<FormActionData>({ intent, result: submission.reply() }, { status: 400 });
  const { error, response } = await api.PUT('/api/v1/affiliates/{id}/payment-details', {
    params: { path: { id } },
    body: paymentDetailsBody(submission.value),
  });
  if (!response.ok)
    return data<FormActionData>(
      { intent, result: submission.reply({ formErrors: [apiMessage(error)] }) },
      { status: response.status },
    );
  return data<FormActionData>({ intent, result: submission.reply(), message: 'Payment details saved.' });
}

export type CompanyKind = 'advertiser' | 'affiliate';
export type CompanyRow = Schemas['Advertiser'] | Schemas['Affiliate'];

const PAGE = 200;

/**
 * One page of advertisers or affiliates (the API pages by id), filtered here by the URL's `q`
 * (name, email, website) and `status`, with the count of each status on the page.
 */
export async function listCompanies(api: ApiClient, kind: CompanyKind, params: URLSearchParams) {
  const after = params.get('after');
  const query = { limit: PAGE, ...(after && /^[1-9]\d{0,9}$/.test(after) ? { after } : {}) };
  const {
    data: page,
    error,
    response,
  } = kind === 'advertiser'
    ? await api.GET('/api/v1/advertisers', { params: { query } })
    : await api.GET('/api/v1/affiliates', { params: { query } });
  if (!page) throw data({ message: apiMessage(error) }, { status: response.status });
  const rows: CompanyRow[] = page.data;
  const q = (params.get('q') ?? '').trim().toLowerCase().slice(0, 100);
  const status = params.get('status') ?? '';
  const counts: Record<string, number> = {};
  for (const row of rows) counts[row.status] = (counts[row.status] ?? 0) + 1;
  const matching = rows.filter(
    (row) =>
      (!status || row.status === status) &&
      (!q ||
        row.companyName.toLowerCase().includes(q) ||
        (row.contactEmail ?? '').toLowerCase().includes(q) ||
        (row.websiteUrl ?? '').toLowerCase().includes(q) ||
        String(row.id) === q),
  );
  return { rows: matching, total: rows.length, counts, nextAfter: page.nextAfter };
}

/** Creates an advertiser or affiliate from the new-company form. */
export async function createCompany(api: ApiClient, kind: CompanyKind, formData: FormData) {
  const intent = 'create';
  const submission = parseWithZod(formData, { schema: companyProfileSchema });
  if (submission.status !== 'success')
    return {
      ok: false as const,
      reply: data<FormActionData>({ intent, result: submission.reply() }, { status: 400 }),
    };
  const created =
    kind === 'advertiser'
      ? await api.POST('/api/v1/advertisers', {
          body: { ...companyBody(submission.value, 'advertiser'), status: 'active' },
        })
      : await api.POST('/api/v1/affiliates', {
          body: {
            ...companyBody(submission.value, 'affiliate'),
            status: formData.get('status') === 'pending' ? 'pending' : 'active',
          },
        });
  if (!created.data)
    return {
      ok: false as const,
      reply: data<FormActionData>(
        { intent, result: submission.reply({ formErrors: [apiMessage(created.error)] }) },
        { status: created.response.status },
      ),
    };
  return { ok: true as const, id: created.data.id, name: created.data.companyName };
}

/** Sets an advertiser's or affiliate's status (admins), saying what that changed. */
export async function changeCompanyStatus(
  api: ApiClient,
  kind: CompanyKind,
  id: string,
  status: string,
): Promise<{ ok: boolean; message: string }> {
  if (kind === 'advertiser') {
    if (status !== 'active' && status !== 'suspended') return { ok: false, message: 'Unknown status.' };
    const { data: saved, error } = await api.PATCH('/api/v1/advertisers/{id}', {
      params: { path: { id } },
      body: { status },
    });
    if (!saved) return { ok: false, message: apiMessage(error, 'The status could not be changed.') };
    return {
      ok: true,
      message:
        status === 'suspended'
          ? `${saved.companyName} is suspended: its users are signed out and its offers paused at the edge.`
          : `${saved.companyName} is active again: its users can sign in and its offers run as before.`,
    };
  }
  if (status !== 'active' && status !== 'suspended' && status !== 'pending')
    return { ok: false, message: 'Unknown status.' };
  const { data: saved, error } = await api.PATCH('/api/v1/affiliates/{id}', {
    params: { path: { id } },
    body: { status },
  });
  if (!saved) return { ok: false, message: apiMessage(error, 'The status could not be changed.') };
  return {
    ok: true,
    message:
      status === 'active'
        ? `${saved.companyName} is active: its links send traffic now.`
        : status === 'suspended'
          ? `${saved.companyName} is suspended: its users are signed out and the edge refuses its traffic.`
          : `${saved.companyName} is pending again: the edge refuses its traffic until approved.`,
  };
}
