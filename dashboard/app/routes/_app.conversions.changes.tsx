import { changeConversions } from '~/components/conversions/changes.server';
import { authOf } from '~/lib/auth.server';
import type { Route } from './+types/_app.conversions.changes';

/**
 * The review dialog of the conversion list and of one conversion posts here: a dry run
 * ("preview") first, then the same change applied. No page of its own.
 */
export async function action({ request, context }: Route.ActionArgs) {
  return changeConversions(authOf(context), request);
}
