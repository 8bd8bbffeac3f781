import { ArrowLeftIcon } from 'lucide-react';
import { Link } from 'react-router';
import { PageHeader } from '~/components/page';
import { PostbackForm } from '~/components/postbacks/postback-form';
import { names, requirePostbacks, saveConfig } from '~/components/postbacks/postbacks.server';
import { Card, CardContent } from '~/components/ui/card';
import { authOf } from '~/lib/auth.server';
import type { Route } from './+types/_app.postbacks.new';

export function meta() {
  return [{ title: 'New postback · TAS' }];
}

export async function loader({ request, context }: Route.LoaderArgs) {
  const auth = requirePostbacks(authOf(context));
  const { offers, affiliates } = await names(auth);
  const params = new URL(request.url).searchParams;
  return {
    role: auth.viewer.role,
    affiliateId: auth.viewer.affiliateId,
    offers,
    affiliates,
    // From an affiliate's or an offer's page: ?affiliateId= and ?offerId= start the form.
    preset: { affiliateId: params.get('affiliateId') ?? '', offerId: params.get('offerId') ?? '' },
  };
}

export async function action({ request, context }: Route.ActionArgs) {
  return saveConfig(authOf(context), request);
}

export default function NewPostback({ loaderData, actionData }: Route.ComponentProps) {
  const { role, affiliateId, offers, affiliates, preset } = loaderData;
  return (
    <div className="mx-auto max-w-3xl">
      <Link
        to="/postbacks"
        className="mb-3 inline-flex items-center gap-1 text-sm text-muted-foreground hover:text-foreground"
      >
        <ArrowLeftIcon className="size-4" aria-hidden /> Postbacks
      </Link>
      <PageHeader
        title="New postback"
        description="Where we send each conversion. Send a test once it is saved."
      />
      <Card>
        <CardContent className="pt-5">
          <PostbackForm
            defaults={{
              affiliateId: preset.affiliateId,
              offerId: preset.offerId,
              url: '',
              method: 'GET',
              fireOn: 'approved',
              isActive: true,
              parameters: '',
              headers: '',
            }}
            lastResult={actionData}
            offers={offers}
            affiliates={role === 'admin' ? affiliates : null}
            affiliateId={affiliateId}
            submitLabel="Create postback"
          />
        </CardContent>
      </Card>
    </div>
  );
}
