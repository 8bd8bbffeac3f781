import { data } from 'react-router';
import type { ActionOutcome } from '~/components/ui/confirm-action';
import { flashToast } from '~/lib/session.server';

/**
 * An action's answer to a ConfirmAction: `{ ok, message }`, and on success the message flashed
 * as a toast, shown by the root once the page's data is read again. The toast must not depend on
 * the button that asked: the change often removes it (a revoked key's row, Approve turning into
 * Suspend).
 */
export async function outcome(request: Request, ok: boolean, message: string, status = ok ? 200 : 400) {
  return data<ActionOutcome>(
    { ok, message },
    ok
      ? { status, headers: { 'set-cookie': await flashToast(request, { kind: 'success', message }) } }
      : { status },
  );
}
