import type { SubmissionResult } from '@conform-to/react';
import { parseWithZod } from '@conform-to/zod/v4';
import { data, redirect } from 'react-router';
import { outcome } from '~/components/admin/outcome.server';
import { advertiserChoices } from '~/components/campaigns/campaigns.server';
import { apiMessage } from '~/lib/api-errors';
import { type Auth, requireRole } from '~/lib/auth.server';
import { flashToast } from '~/lib/session.server';
import {
  destinationCreateSchema,
  destinationEditSchema,
  oauthConnectionSchema,
  settingsOf,
  tokenConnectionSchema,
} from './ad-platform-forms';
import { type Destination, PLATFORM_LABEL } from './ad-platform-text';

const ID = /^[1-9]\d{0,9}$/;
export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Ad platforms are the advertisers' (their own accounts) and the admins' (any); affiliates are refused. */
export function requireAdPlatforms(auth: Auth): Auth {
  return requireRole(auth, 'admin', 'advertiser');
}

export type OfferName = { id: number; name: string; advertiserId: number; currency: string };

/** The viewer's offers (an advertiser's own, all for admins), for choosing one. */
export async function offerNames(auth: Auth): Promise<OfferName[]> {
  const { data: body } = await auth.api.GET('/api/v1/offers', { params: { query: { limit: 200 } } });
  return (body?.data ?? []).flatMap((o) =>
    'advertiserId' in o
      ? [{ id: o.id, name: o.name, advertiserId: o.advertiserId, currency: o.currency }]
      : [],
  );
}

/** `?advertiserId=` for admins; advertisers always see their own. */
export function advertiserFilter(auth: Auth, params: URLSearchParams): number | null {
  if (auth.viewer.role !== 'admin') return null;
  const value = params.get('advertiserId') ?? '';
  return ID.test(value) ? Number(value) : null;
}

/** The connections and destinations the viewer may see, with the names to show them by. */
export async function loadOverview(auth: Auth, advertiserId: number | null) {
  const query = advertiserId ? { advertiserId: String(advertiserId) } : {};
  const [connections, destinations, offers, advertisers, platforms] = await Promise.all([
    auth.api.GET('/api/v1/ad-platforms/connections', { params: { query } }),
    auth.api.GET('/api/v1/ad-platforms/destinations', { params: { query } }),
    offerNames(auth),
    auth.viewer.role === 'admin' ? advertiserChoices(auth.api) : Promise.resolve(null),
    auth.api.GET('/api/v1/ad-platforms/platforms'),
  ]);
  if (!connections.data)
    throw data(
      { message: apiMessage(connections.error, 'The ad accounts could not be loaded.') },
      { status: connections.response.status },
    );
  if (!destinations.data)
    throw data(
      { message: apiMessage(destinations.error, 'The destinations could not be loaded.') },
      { status: destinations.response.status },
    );
  return {
    connections: connections.data.data,
    destinations: destinations.data.data,
    offers,
    advertisers,
    // Unknown (an older API): every platform offered; the API refuses the unconfigured ones.
    oauthReady: platforms.data ? platforms.data.data.filter((p) => p.oauth).map((p) => p.platform) : null,
  };
}

export type FormReply = { intent: string; result: SubmissionResult<string[]> };

const saved = async (request: Request, intent: string, result: SubmissionResult<string[]>, message: string) =>
  data<FormReply>(
    { intent, result },
    { headers: { 'set-cookie': await flashToast(request, { kind: 'success', message }) } },
  );

/** Every change the /ad-platforms page makes, by `intent`. */
export async function adPlatformsAction(auth: Auth, request: Request) {
  const { api, viewer } = requireAdPlatforms(auth);
  const formData = await request.formData();
  const intent = String(formData.get('intent') ?? '');
  const admin = viewer.role === 'admin';

  if (intent === 'connect-token') {
    const submission = parseWithZod(formData, { schema: tokenConnectionSchema });
    // The token never travels back to the page, not even in a refused form's values.
    const hide = { hideFields: ['accessToken'] };
    if (submission.status !== 'success')
      return data<FormReply>({ intent, result: submission.reply(hide) }, { status: 400 });
    const form = submission.value;
    const replacing = String(formData.get('connectionId') ?? '');
    if (UUID.test(replacing)) {
      // Connecting a pasted-token account again: the new token replaces the refused one.
      const {
        data: changed,
        error,
        response,
      } = await api.PATCH('/api/v1/ad-platforms/connections/{id}', {
        params: { path: { id: replacing } },
        body: {
          label: form.label,
          accountId: form.accountId ?? null,
          loginAccountId: form.loginAccountId ?? null,
          accessToken: form.accessToken,
        },
      });
      if (!changed)
        return data<FormReply>(
          { intent, result: submission.reply({ ...hide, formErrors: [apiMessage(error)] }) },
          { status: response.status },
        );
      return saved(
        request,
        intent,
        submission.reply({ resetForm: true }),
        `New token saved for “${changed.label}”. Resume its paused destinations once it syncs.`,
      );
    }
    if (admin && !form.advertiserId)
      return data<FormReply>(
        {
          intent,
          result: submission.reply({ ...hide, fieldErrors: { advertiserId: ['Choose the advertiser'] } }),
        },
        { status: 400 },
      );
    const {
      data: created,
      error,
      response,
    } = await api.POST('/api/v1/ad-platforms/connections', {
      body: {
        ...(admin ? { advertiserId: form.advertiserId } : {}),
        platform: form.platform,
        label: form.label,
        accountId: form.accountId ?? null,
        loginAccountId: form.loginAccountId ?? null,
        accessToken: form.accessToken,
      },
    });
    if (!created)
      return data<FormReply>(
        { intent, result: submission.reply({ ...hide, formErrors: [apiMessage(error)] }) },
        { status: response.status },
      );
    return saved(
      request,
      intent,
      submission.reply({ resetForm: true }),
      `${PLATFORM_LABEL[created.platform]} account “${created.label}” connected. Sync it to read its campaigns.`,
    );
  }

  if (intent === 'connect-oauth') {
    const submission = parseWithZod(formData, { schema: oauthConnectionSchema });
    if (submission.status !== 'success')
      return data<FormReply>({ intent, result: submission.reply() }, { status: 400 });
    const form = submission.value;
    if (admin && !form.advertiserId && !form.connectionId)
      return data<FormReply>(
        { intent, result: submission.reply({ fieldErrors: { advertiserId: ['Choose the advertiser'] } }) },
        { status: 400 },
      );
    const {
      data: link,
      error,
      response,
    } = await api.POST('/api/v1/ad-platforms/oauth/{platform}/start', {
      params: { path: { platform: form.platform } },
      body: {
        ...(admin && form.advertiserId ? { advertiserId: form.advertiserId } : {}),
        label: form.label,
        accountId: form.accountId ?? null,
        loginAccountId: form.loginAccountId ?? null,
        ...(form.connectionId ? { connectionId: form.connectionId } : {}),
      },
    });
    if (!link)
      return data<FormReply>(
        { intent, result: submission.reply({ formErrors: [apiMessage(error)] }) },
        { status: response.status },
      );
    // The platform's own page; it sends the browser back to /ad-platforms?connected=… or ?error=….
    return redirect(link.url);
  }

  if (intent === 'sync') {
    const id = String(formData.get('id') ?? '');
    if (!UUID.test(id)) return outcome(request, false, 'There is no such connection.', 404);
    const {
      data: synced,
      error,
      response,
    } = await api.POST('/api/v1/ad-platforms/connections/{id}/sync', {
      params: { path: { id } },
    });
    if (!synced)
      return outcome(
        request,
        false,
        apiMessage(error, 'The platform could not be reached.'),
        response.status,
      );
    const campaigns = `${synced.campaigns} ${synced.campaigns === 1 ? 'campaign' : 'campaigns'}`;
    return outcome(
      request,
      true,
      synced.spendSupported
        ? `Synced: ${campaigns} and ${synced.spendDays} ${synced.spendDays === 1 ? 'day' : 'days'} of spend.`
        : `Synced: ${campaigns}. This platform gives no spend figures.`,
    );
  }

  if (intent === 'disconnect') {
    const id = String(formData.get('id') ?? '');
    if (!UUID.test(id)) return outcome(request, false, 'There is no such connection.', 404);
    const {
      data: gone,
      error,
      response,
    } = await api.POST('/api/v1/ad-platforms/connections/{id}/disconnect', {
      params: { path: { id } },
    });
    if (!gone)
      return outcome(
        request,
        false,
        apiMessage(error, 'The account could not be disconnected.'),
        response.status,
      );
    return outcome(
      request,
      true,
      `${gone.label} is disconnected: its tokens are erased and its destinations archived.`,
    );
  }

  if (intent === 'create-destination') {
    const submission = parseWithZod(formData, { schema: destinationCreateSchema });
    if (submission.status !== 'success')
      return data<FormReply>({ intent, result: submission.reply() }, { status: 400 });
    const form = submission.value;
    const {
      data: created,
      error,
      response,
    } = await api.POST('/api/v1/ad-platforms/destinations', {
      body: {
        connectionId: form.connectionId,
        offerId: form.offerId ?? null,
        name: form.name,
        settings: settingsOf(form),
        sendOn: form.sendOn,
        consentPolicy: form.consentPolicy,
        testEventCode: form.testEventCode || null,
      },
    });
    if (!created)
      return data<FormReply>(
        { intent, result: submission.reply({ formErrors: [apiMessage(error)] }) },
        { status: response.status },
      );
    return saved(
      request,
      intent,
      submission.reply({ resetForm: true }),
      `“${created.name}” created: new conversions are forwarded to ${PLATFORM_LABEL[created.platform]}.`,
    );
  }

  if (intent === 'edit-destination') {
    const submission = parseWithZod(formData, { schema: destinationEditSchema });
    if (submission.status !== 'success')
      return data<FormReply>({ intent, result: submission.reply() }, { status: 400 });
    const form = submission.value;
    const {
      data: changed,
      error,
      response,
    } = await api.PATCH('/api/v1/ad-platforms/destinations/{id}', {
      params: { path: { id: form.destinationId } },
      body: {
        name: form.name,
        settings: settingsOf(form),
        sendOn: form.sendOn,
        consentPolicy: form.consentPolicy,
        testEventCode: form.testEventCode || null,
      },
    });
    if (!changed)
      return data<FormReply>(
        { intent, result: submission.reply({ formErrors: [apiMessage(error)] }) },
        { status: response.status },
      );
    return saved(request, intent, submission.reply(), `“${changed.name}” saved.`);
  }

  if (intent === 'destination-status') {
    const id = String(formData.get('id') ?? '');
    const status = String(formData.get('status') ?? '') as Destination['status'];
    if (!UUID.test(id) || !['active', 'paused', 'archived'].includes(status))
      return outcome(request, false, 'There is no such destination.', 404);
    const {
      data: changed,
      error,
      response,
    } = await api.PATCH('/api/v1/ad-platforms/destinations/{id}', {
      params: { path: { id } },
      body: { status },
    });
    if (!changed) return outcome(request, false, apiMessage(error), response.status);
    const said = {
      active: 'resumed: queued conversions go out now',
      paused: 'paused: conversions wait in the queue',
      archived: 'archived: nothing more is sent',
    }[status];
    return outcome(request, true, `“${changed.name}” ${said}.`);
  }

  throw data({ message: 'Unknown action.' }, { status: 400 });
}
