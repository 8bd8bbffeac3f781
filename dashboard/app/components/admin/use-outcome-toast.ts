import { useEffect } from 'react';
import { toast } from 'sonner';

/** Toasts what an action answered ({ ok, message }), once per answer. */
export function useOutcomeToast(outcome: { ok: boolean; message: string } | null | undefined) {
  useEffect(() => {
    if (!outcome) return;
    if (outcome.ok) toast.success(outcome.message);
    else toast.error(outcome.message);
  }, [outcome]);
}
