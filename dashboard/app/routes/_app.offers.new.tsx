import { parseWithZod } from '@conform-to/zod/v4';
import { data, Link, redirect } from 'react-router';
import { OfferForm } from '~/components/offers/offer-form';
import { type OfferCreateRequest, offerFormSchema } from '~/components/offers/offer-form-schema';
import { companyNames } from '~/components/offers/offers.server';
import { PageHeader } from '~/components/page';
import { apiMessage } from '~/lib/api-errors';
import { authOf, requireRole } from '~/lib/auth.server';
import { flashToast } from '~/lib/session.server';
import type { Route } from './+types/_app.offers.new';

export function meta() {
  return [{ title: 'New offer · TAS' }];
}

export async function loader({ context }: Route.LoaderArgs) {
  const auth = requireRole(authOf(context), 'advertiser', 'admin');
  const names = await companyNames(auth, 'advertisers');
  return {
    // Admins create offers for an advertiser; an advertiser's offers are its own.
    advertisers:
      auth.viewer.role === 'admin'
        ? Object.entries(names).map(([id, name]) => ({ id: Number(id), name }))
        : null,
  };
}

export async function action({ request, context }: Route.ActionArgs) {
  const auth = requireRole(authOf(context), 'advertiser', 'admin');
  const submission = parseWithZod(await request.formData(), {
    schema: offerFormSchema({ mode: 'create', needsAdvertiser: auth.viewer.role === 'admin' }),
  });
  if (submission.status !== 'success') return data(submission.reply(), { status: 400 });
  const {
    data: offer,
    error,
    response,
  } = await auth.api.POST('/api/v1/offers', {
    body: submission.value as OfferCreateRequest,
  });
  if (!offer)
    return data(submission.reply({ formErrors: [apiMessage(error, 'The offer could not be created.')] }), {
      status: response.status,
    });
  return redirect(`/offers/${offer.id}`, {
    headers: {
      'set-cookie': await flashToast(request, {
        kind: 'success',
        message:
          offer.status === 'active'
            ? `“${offer.name}” is live.`
            : `“${offer.name}” created as ${offer.status}.`,
      }),
    },
  });
}

export default function NewOffer({ loaderData, actionData }: Route.ComponentProps) {
  return (
    <>
      <PageHeader
        title="New offer"
        description={
          <>
            Everything can be changed later, except the currency.{' '}
            <Link to="/offers" className="text-primary underline underline-offset-2">
              Back to offers
            </Link>
          </>
        }
      />
      <OfferForm
        mode="create"
        offer={null}
        lastResult={actionData}
        advertisers={loaderData.advertisers}
        cancelTo="/offers"
      />
    </>
  );
}
