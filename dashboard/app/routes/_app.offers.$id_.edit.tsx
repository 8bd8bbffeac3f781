import { parseWithZod } from '@conform-to/zod/v4';
import { data, Link, redirect } from 'react-router';
import { OfferForm } from '~/components/offers/offer-form';
import { type OfferUpdateRequest, offerFormSchema } from '~/components/offers/offer-form-schema';
import { getOffer, isFullOffer } from '~/components/offers/offers.server';
import { PageHeader } from '~/components/page';
import { apiMessage } from '~/lib/api-errors';
import { authOf, requireRole } from '~/lib/auth.server';
import { flashToast } from '~/lib/session.server';
import type { Route } from './+types/_app.offers.$id_.edit';

export function meta({ loaderData }: Route.MetaArgs) {
  return [{ title: `Edit ${loaderData?.offer.name ?? 'offer'} · TAS` }];
}

async function managedOffer(context: Route.LoaderArgs['context'], id: string) {
  const auth = requireRole(authOf(context), 'advertiser', 'admin');
  const offer = await getOffer(auth.api, id);
  if (!isFullOffer(offer))
    throw data({ message: 'This page is not available to your account.' }, { status: 403 });
  return { auth, offer };
}

export async function loader({ params, context }: Route.LoaderArgs) {
  const { offer } = await managedOffer(context, params.id);
  return { offer };
}

export async function action({ request, params, context }: Route.ActionArgs) {
  const { auth, offer } = await managedOffer(context, params.id);
  const submission = parseWithZod(await request.formData(), {
    schema: offerFormSchema({ mode: 'edit', needsAdvertiser: false, currency: offer.currency }),
  });
  if (submission.status !== 'success') return data(submission.reply(), { status: 400 });
  const {
    data: saved,
    error,
    response,
  } = await auth.api.PATCH('/api/v1/offers/{id}', {
    params: { path: { id: String(offer.id) } },
    body: submission.value as OfferUpdateRequest,
  });
  if (!saved)
    return data(submission.reply({ formErrors: [apiMessage(error, 'The offer could not be saved.')] }), {
      status: response.status,
    });
  return redirect(`/offers/${saved.id}`, {
    headers: { 'set-cookie': await flashToast(request, { kind: 'success', message: 'Offer saved.' }) },
  });
}

export default function EditOffer({ loaderData, actionData }: Route.ComponentProps) {
  const { offer } = loaderData;
  return (
    <>
      <PageHeader
        title={<span className="block whitespace-normal">Edit {offer.name}</span>}
        description={
          <>
            Offer #{offer.id} · revision {offer.revision} ·{' '}
            <Link to={`/offers/${offer.id}`} className="text-primary underline underline-offset-2">
              Back to the offer
            </Link>
          </>
        }
      />
      <OfferForm
        key={`${offer.id}-${offer.revision}`}
        mode="edit"
        offer={offer}
        lastResult={actionData}
        advertisers={null}
        cancelTo={`/offers/${offer.id}`}
      />
    </>
  );
}
