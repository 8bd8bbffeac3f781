import { parseWithZod } from '@conform-to/zod/v4';
import { data, redirect } from 'react-router';
import { companyNames, listAllOffers } from '~/components/offers/offers.server';
import type { Schemas } from '~/lib/api.server';
import { apiMessage } from '~/lib/api-errors';
import { type Auth, requireRole } from '~/lib/auth.server';
import { flashToast } from '~/lib/session.server';
import { postbackBody, postbackFormSchema } from './postback-form-schema';

export type PostbackConfig = Schemas['PostbackConfig'];
export type PostbackAttempt = Schemas['PostbackAttempt'];
export type PostbackDelivery = Schemas['PostbackDelivery'];

const ID = /^[1-9]\d{0,9}$/;

/** Postbacks are the affiliates' (and the network's, for all of them): advertisers get a 403. */
export function requirePostbacks(auth: Auth): Auth & { viewer: { role: 'admin' | 'affiliate' } } {
  requireRole(auth, 'admin', 'affiliate');
  return auth as Auth & { viewer: { role: 'admin' | 'affiliate' } };
}

/** Every configuration the viewer may see (up to 1,000), oldest first. */
export async function listConfigs(auth: Auth): Promise<PostbackConfig[]> {
  const configs: PostbackConfig[] = [];
  let after: string | undefined;
  for (let page = 0; page < 5; page++) {
    const {
      data: body,
      error,
      response,
    } = await auth.api.GET('/api/v1/postback-configs', {
      params: { query: { limit: 200, ...(after ? { after } : {}) } },
    });
    if (!body) {
      throw data(
        { message: apiMessage(error, 'The postbacks could not be loaded.') },
        { status: response.status },
      );
    }
    configs.push(...body.data);
    if (body.nextAfter === null) break;
    after = String(body.nextAfter);
  }
  return configs;
}

/** Names for ids on the page: the viewer's offers and, for admins, the affiliates. */
export async function names(auth: Auth) {
  const [{ offers }, affiliates] = await Promise.all([
    listAllOffers(auth.api),
    companyNames(auth, 'affiliates'),
  ]);
  return {
    offers: offers.map((offer) => ({ id: offer.id, name: offer.name })),
    affiliates: Object.entries(affiliates).map(([id, name]) => ({ id: Number(id), name })),
  };
}

/** One configuration, or a 404 through the error boundary. */
export async function getConfig(auth: Auth, id: string): Promise<PostbackConfig> {
  if (!ID.test(id)) throw data({ message: 'There is no such postback.' }, { status: 404 });
  const {
    data: config,
    error,
    response,
  } = await auth.api.GET('/api/v1/postback-configs/{id}', {
    params: { path: { id } },
  });
  if (!config) {
    const status = response.status === 400 ? 404 : response.status;
    throw data(
      { message: status === 404 ? 'There is no such postback, or it is not yours.' : apiMessage(error) },
      { status },
    );
  }
  return config;
}

/** Creates (no id) or changes a configuration from the form; back to its page with a toast. */
export async function saveConfig(auth: Auth, request: Request, id?: string) {
  const { api, viewer } = requirePostbacks(auth);
  const formData = await request.formData();
  const submission = parseWithZod(formData, {
    schema: postbackFormSchema({ needsAffiliate: id === undefined && viewer.role === 'admin' }),
  });
  if (submission.status !== 'success') return data(submission.reply(), { status: 400 });
  const body = postbackBody(submission.value);
  const result =
    id === undefined
      ? await api.POST('/api/v1/postback-configs', {
          body: {
            ...body,
            ...(viewer.role === 'admin' ? { affiliateId: Number(submission.value.affiliateId) } : {}),
          },
        })
      : await api.PATCH('/api/v1/postback-configs/{id}', { params: { path: { id } }, body });
  if (!result.data) {
    return data(
      submission.reply({ formErrors: [apiMessage(result.error, 'The postback could not be saved.')] }),
      {
        status: result.response.status,
      },
    );
  }
  return redirect(`/postbacks/${result.data.id}`, {
    headers: {
      'set-cookie': await flashToast(request, {
        kind: 'success',
        message:
          id === undefined ? 'Postback created. Send a test to check your endpoint.' : 'Postback saved.',
      }),
    },
  });
}

/** What the in-page actions (test, turn on or off) answer. */
export type ConfigActionResult =
  | { intent: 'test'; attempt: PostbackAttempt; error?: undefined }
  | { intent: 'toggle'; message: string; error?: undefined }
  | { intent: 'test' | 'toggle'; error: string };

/** Sends a test postback, or turns a configuration on or off (on again also clears its failures). */
export async function configAction(auth: Auth, formData: FormData): Promise<ConfigActionResult> {
  const { api } = requirePostbacks(auth);
  const intent = formData.get('intent') === 'test' ? 'test' : 'toggle';
  const id = String(formData.get('id') ?? '');
  if (!ID.test(id)) return { intent, error: 'There is no such postback.' };
  if (intent === 'test') {
    const { data: attempt, error } = await api.POST('/api/v1/postback-configs/{id}/test', {
      params: { path: { id } },
    });
    return attempt
      ? { intent, attempt }
      : { intent, error: apiMessage(error, 'The test could not be sent.') };
  }
  const isActive = formData.get('isActive') === 'true';
  const { data: config, error } = await api.PATCH('/api/v1/postback-configs/{id}', {
    params: { path: { id } },
    body: { isActive },
  });
  if (!config) return { intent, error: apiMessage(error, 'The postback could not be changed.') };
  return {
    intent,
    message: isActive ? `Postback #${id} is on.` : `Postback #${id} is off: nothing is sent.`,
  };
}
