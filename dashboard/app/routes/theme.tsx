import { data, redirect } from 'react-router';
import { z } from 'zod';
import { safeRedirect } from '~/lib/safe-redirect';
import { setTheme } from '~/lib/theme.server';
import type { Route } from './+types/theme';

const schema = z.object({ theme: z.enum(['light', 'dark', 'system']), back: z.string().optional() });

/** Remembers the chosen theme in a cookie, so the server renders the page in it. */
export async function action({ request }: Route.ActionArgs) {
  const parsed = schema.safeParse(Object.fromEntries(await request.formData()));
  if (!parsed.success) return data({ message: 'Unknown theme.' }, { status: 400 });
  return redirect(safeRedirect(parsed.data.back, '/'), {
    headers: { 'set-cookie': await setTheme(parsed.data.theme) },
  });
}
