import { FlaskConicalIcon } from 'lucide-react';
import { data, Form, Link } from 'react-router';
import { getOffer, isFullOffer } from '~/components/offers/offers.server';
import { EmptyState, PageHeader } from '~/components/page';
import { AbGroupCard } from '~/components/rotation/ab-report';
import {
  loadRotation,
  type RotationAnswer,
  reportRange,
  saveRotation,
} from '~/components/rotation/rotation.server';
import { RotationSettingsForm } from '~/components/rotation/rotation-settings-form';
import { WeightLog } from '~/components/rotation/weight-log';
import { Button } from '~/components/ui/button';
import { Input } from '~/components/ui/input';
import { Label } from '~/components/ui/label';
import { authOf, requireRole } from '~/lib/auth.server';
import type { Route } from './+types/_app.offers.$id_.ab-report';

export function meta({ loaderData }: Route.MetaArgs) {
  return [{ title: `A/B report · ${loaderData?.offer.name ?? 'Offer'} · TAS` }];
}

/** The offer's advertiser and admins only; affiliates are refused by the API too. */
async function managedOffer(context: Route.LoaderArgs['context'], id: string) {
  const auth = requireRole(authOf(context), 'advertiser', 'admin');
  const offer = await getOffer(auth.api, id);
  if (!isFullOffer(offer))
    throw data({ message: 'This page is not available to your account.' }, { status: 403 });
  return { auth, offer };
}

export async function loader({ request, params, context }: Route.LoaderArgs) {
  const { auth, offer } = await managedOffer(context, params.id);
  const rotation = await loadRotation(auth.api, String(offer.id), reportRange(new URL(request.url)));
  return { offer, isAdmin: auth.viewer.role === 'admin', ...rotation };
}

export async function action({ request, params, context }: Route.ActionArgs) {
  const { auth, offer } = await managedOffer(context, params.id);
  const form = await request.formData();
  if (form.get('intent') !== 'rotation')
    return data({ ok: false, message: 'Unknown action.' }, { status: 400 });
  return saveRotation(auth.api, String(offer.id), form);
}

export default function AbReportPage({ loaderData, actionData }: Route.ComponentProps) {
  const { offer, report, settings, log, isAdmin } = loaderData;
  const answer = actionData && 'intent' in actionData ? (actionData as RotationAnswer) : null;
  return (
    <>
      <PageHeader
        title={<span className="block whitespace-normal">A/B report · {offer.name}</span>}
        description={
          <>
            {report.mode === 'bandit' ? 'Bandit rotation' : 'Manual weights'} · {report.from} to {report.to}{' '}
            (UTC) ·{' '}
            <Link to={`/offers/${offer.id}`} className="text-primary underline underline-offset-2">
              Back to the offer
            </Link>
          </>
        }
        actions={
          <Form method="get" className="flex flex-wrap items-end gap-2" aria-label="Report days">
            <div className="grid gap-1">
              <Label htmlFor="ab-from" className="text-xs">
                From
              </Label>
              <Input id="ab-from" name="from" type="date" defaultValue={report.from} className="h-8" />
            </div>
            <div className="grid gap-1">
              <Label htmlFor="ab-to" className="text-xs">
                To
              </Label>
              <Input id="ab-to" name="to" type="date" defaultValue={report.to} className="h-8" />
            </div>
            <Button type="submit" variant="outline" size="sm">
              Show
            </Button>
          </Form>
        }
      />
      <div className="grid gap-6">
        {report.groups.length === 0 ? (
          <EmptyState
            icon={FlaskConicalIcon}
            title="Nothing rotates yet"
            description="Add landing pages to the offer, or image creatives with a size to an active campaign of it, to test them against each other."
          />
        ) : (
          report.groups.map((group) => (
            <AbGroupCard
              key={`${group.kind}:${group.group}`}
              group={group}
              currency={report.currency}
              showEpc={isAdmin}
            />
          ))
        )}
        <RotationSettingsForm key={settings.updatedAt ?? 'defaults'} settings={settings} answer={answer} />
        <WeightLog entries={log} />
      </div>
    </>
  );
}
