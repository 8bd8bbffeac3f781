import { data } from 'react-router';
import type { ApiClient, Schemas } from '~/lib/api.server';
import { apiMessage } from '~/lib/api-errors';

export type AbReport = Schemas['AbReport'];
export type RotationSettings = Schemas['RotationSettings'];
export type RotationLogEntry = Schemas['RotationLogEntry'];

/** What the rotation settings form answers: errors beside their fields, or the API's refusal. */
export type RotationAnswer = {
  intent: 'rotation';
  ok: boolean;
  fieldErrors: Record<string, string>;
  formError: string | null;
  message?: string;
};

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** The report days the page was asked for (`?from=&to=`); malformed ones are left to the defaults. */
export function reportRange(url: URL): { from?: string; to?: string } {
  const from = url.searchParams.get('from') ?? '';
  const to = url.searchParams.get('to') ?? '';
  return { ...(DATE.test(from) ? { from } : {}), ...(DATE.test(to) ? { to } : {}) };
}

/** The offer's A/B report, its rotation settings and its latest weight changes. */
export async function loadRotation(api: ApiClient, id: string, range: { from?: string; to?: string }) {
  const path = { id };
  const [report, settings, log] = await Promise.all([
    api.GET('/api/v1/offers/{id}/ab-report', { params: { path, query: range } }),
    api.GET('/api/v1/offers/{id}/rotation', { params: { path } }),
    api.GET('/api/v1/offers/{id}/rotation/log', { params: { path, query: { limit: 50 } } }),
  ]);
  if (!report.data) {
    // Days the API refuses (to before from, over a year) are the viewer's to fix: say so.
    throw data(
      { message: apiMessage(report.error, 'The A/B report could not be loaded.') },
      { status: report.response.status },
    );
  }
  if (!settings.data || !log.data)
    throw data({ message: 'The rotation settings could not be loaded.' }, { status: 502 });
  return { report: report.data, settings: settings.data, log: log.data.data };
}

const whole = (text: string, min: number, max: number): number | null => {
  if (!/^\d{1,8}$/.test(text)) return null;
  const n = Number(text);
  return n >= min && n <= max ? n : null;
};

/**
 * Reads the rotation form, with the API's bounds (control-plane/src/rotation/rotation-settings.ts)
 * and messages for people. Exploration is typed as a percentage (10 or 12.5) and sent in basis
 * points.
 */
export function parseRotationForm(
  form: FormData,
):
  | { ok: true; body: Schemas['RotationSettingsRequest'] }
  | { ok: false; fieldErrors: Record<string, string> } {
  const fieldErrors: Record<string, string> = {};
  const text = (name: string) => String(form.get(name) ?? '').trim();
  const mode = text('mode');
  if (mode !== 'manual' && mode !== 'bandit') fieldErrors.mode = 'Choose manual weights or the bandit.';
  const exploration = text('explorationPercent').replace(/%$/, '').trim();
  const percent = /^\d{1,3}(\.\d{1,2})?$/.test(exploration) ? Number(exploration) : Number.NaN;
  if (!(percent >= 0 && percent <= 100)) fieldErrors.explorationPercent = 'Enter 0 to 100 (%), e.g. 10.';
  const decayWindowDays = whole(text('decayWindowDays'), 1, 90);
  if (decayWindowDays === null) fieldErrors.decayWindowDays = 'Enter 1 to 90 days.';
  const minClicks = whole(text('minClicks'), 0, 10_000_000);
  if (minClicks === null) fieldErrors.minClicks = 'Enter a whole number of clicks, up to 10,000,000.';
  const intervalMinutes = whole(text('intervalMinutes'), 5, 10_080);
  if (intervalMinutes === null) fieldErrors.intervalMinutes = 'Enter 5 to 10,080 minutes (a week).';
  if (Object.keys(fieldErrors).length > 0) return { ok: false, fieldErrors };
  return {
    ok: true,
    body: {
      mode: mode as 'manual' | 'bandit',
      explorationBps: Math.round(percent * 100),
      decayWindowDays: decayWindowDays ?? 14,
      minClicks: minClicks ?? 500,
      intervalMinutes: intervalMinutes ?? 60,
    },
  };
}

/** Saves the offer's rotation settings; the API publishes the weights they mean to the edge at once. */
export async function saveRotation(api: ApiClient, id: string, form: FormData) {
  const parsed = parseRotationForm(form);
  if (!parsed.ok) {
    return data<RotationAnswer>(
      { intent: 'rotation', ok: false, fieldErrors: parsed.fieldErrors, formError: null },
      { status: 400 },
    );
  }
  const {
    data: saved,
    error,
    response,
  } = await api.PUT('/api/v1/offers/{id}/rotation', {
    params: { path: { id } },
    body: parsed.body,
  });
  if (!saved) {
    return data<RotationAnswer>(
      {
        intent: 'rotation',
        ok: false,
        fieldErrors: {},
        formError: apiMessage(error, 'The rotation settings could not be saved.'),
      },
      { status: response.status },
    );
  }
  return data<RotationAnswer>({
    intent: 'rotation',
    ok: true,
    fieldErrors: {},
    formError: null,
    message:
      saved.mode === 'bandit'
        ? 'Bandit on: weights follow the evidence from the next run (within a few minutes).'
        : 'Manual weights: the edge rotates by your weights again.',
  });
}
