import { getFormProps, getInputProps, getSelectProps, getTextareaProps, useForm } from '@conform-to/react';
import { parseWithZod } from '@conform-to/zod/v4';
import { CheckCircle2Icon, InfoIcon, Loader2Icon } from 'lucide-react';
import { type ReactNode, useEffect, useRef, useState } from 'react';
import { useFetcher } from 'react-router';
import { toast } from 'sonner';
import { FieldErrors, FormErrors } from '~/components/form';
import { Button } from '~/components/ui/button';
import {
  Dialog,
  DialogContent,
  DialogDescription,
  DialogFooter,
  DialogHeader,
  DialogTitle,
} from '~/components/ui/dialog';
import { Input, Textarea } from '~/components/ui/input';
import { Label } from '~/components/ui/label';
import { Alert } from '~/components/ui/misc';
import { NativeSelect } from '~/components/ui/native-select';
import { formatCount, formatMoney } from '~/lib/format';
import { changeSchema, splitTxids } from './change-schema';
import type { ChangeReply } from './changes.server';
import { CHANGE_ACTION_NAMES, CHANGE_ACTIONS, type ChangeAction } from './conversion-text';

export type ChangeRequest = { action: ChangeAction; mode: 'ids' | 'txids' };
export type ReviewOffer = { id: number; name: string; currency: string };

// What a conversion the change leaves alone already is.
const UNCHANGED: Record<ChangeAction, string> = {
  approve: 'approved',
  reject: 'rejected',
  pend: 'pending',
  reverse: 'rejected',
  adjust: 'at these amounts',
};

const plural = (n: number) => `${formatCount(n)} ${n === 1 ? 'conversion' : 'conversions'}`;

/**
 * Approve, reject, set pending, reverse or adjust conversions, picked on the page or by txids
 * pasted: always a dry run first ("N conversions will change"), then the same change applied on
 * confirmation. Changing any field after the dry run asks for a new one.
 */
export function ChangeDialog({
  role,
  request,
  onClose,
  onApplied,
  conversionIds,
  currency,
  offers,
  current,
}: {
  role: 'admin' | 'advertiser';
  request: ChangeRequest | null;
  onClose: () => void;
  onApplied?: () => void;
  conversionIds: string[];
  /** The currency of the picked conversions' amounts (null when they differ). */
  currency: string | null;
  offers: ReviewOffer[];
  /** The amounts now, when one conversion is reviewed. */
  current?: { payoutMinor?: number | undefined; revenueMinor?: number | undefined };
}) {
  return (
    <Dialog open={request !== null} onOpenChange={(open) => (open ? null : onClose())}>
      <DialogContent className="max-h-[calc(100dvh-2rem)] overflow-y-auto sm:max-w-lg">
        {request ? (
          <ChangeForm
            key={`${request.mode}:${request.action}`}
            role={role}
            request={request}
            onClose={onClose}
            onApplied={onApplied}
            conversionIds={conversionIds}
            currency={currency}
            offers={offers}
            current={current}
          />
        ) : null}
      </DialogContent>
    </Dialog>
  );
}

function ChangeForm({
  role,
  request,
  onClose,
  onApplied,
  conversionIds,
  currency: idsCurrency,
  offers,
  current,
}: {
  role: 'admin' | 'advertiser';
  request: ChangeRequest;
  onClose: () => void;
  onApplied?: (() => void) | undefined;
  conversionIds: string[];
  currency: string | null;
  offers: ReviewOffer[];
  current?: { payoutMinor?: number | undefined; revenueMinor?: number | undefined } | undefined;
}) {
  const fetcher = useFetcher<ChangeReply>();
  const [action, setAction] = useState<ChangeAction>(request.action);
  const [offerId, setOfferId] = useState<string>(offers.length === 1 ? String(offers[0]?.id) : '');
  const [txidCount, setTxidCount] = useState(0);
  const [preview, setPreview] = useState<{ matched: number; changed: number } | null>(null);
  const handled = useRef<ChangeReply | undefined>(undefined);
  const schema = changeSchema(role);
  const [form, fields] = useForm({
    lastResult: fetcher.state === 'idle' ? fetcher.data?.reply : undefined,
    onValidate: ({ formData }) => parseWithZod(formData, { schema }),
    shouldValidate: 'onSubmit',
    shouldRevalidate: 'onInput',
  });

  // Each answer once: a preview shows its count; an applied change says so and closes.
  useEffect(() => {
    const answer = fetcher.data;
    if (fetcher.state !== 'idle' || !answer || handled.current === answer) return;
    handled.current = answer;
    const outcome = answer.outcome;
    if (!outcome) return;
    if (outcome.intent === 'preview') {
      setPreview({ matched: outcome.matched, changed: outcome.changed });
      return;
    }
    toast.success(
      outcome.changed === 0
        ? 'Nothing changed.'
        : `${plural(outcome.changed)} ${CHANGE_ACTIONS[outcome.action].past}.`,
    );
    onApplied?.();
    onClose();
  }, [fetcher.state, fetcher.data, onApplied, onClose]);

  const currency =
    request.mode === 'ids' ? idsCurrency : (offers.find((o) => String(o.id) === offerId)?.currency ?? null);
  const busy = fetcher.state !== 'idle';
  const pendingIntent = busy ? fetcher.formData?.get('intent') : null;
  const adjust = action === 'adjust';
  const needsReason = action === 'reverse' || action === 'adjust';
  const destructive = action === 'reject' || action === 'reverse';
  const target =
    request.mode === 'ids'
      ? plural(conversionIds.length)
      : txidCount > 0
        ? `${formatCount(txidCount)} ${txidCount === 1 ? 'txid' : 'txids'}`
        : 'conversions by txid';

  return (
    <>
      <DialogHeader>
        <DialogTitle>
          {CHANGE_ACTIONS[action].label}: {target}
        </DialogTitle>
        <DialogDescription>
          {request.mode === 'ids'
            ? 'Check first: nothing changes until you confirm.'
            : 'Paste order ids (txids) of one offer, one a line. Check first: nothing changes until you confirm.'}
        </DialogDescription>
      </DialogHeader>
      <fetcher.Form
        method="post"
        action="/conversions/changes"
        className="grid gap-4"
        {...getFormProps(form)}
        onInput={() => setPreview(null)}
        onChange={() => setPreview(null)}
      >
        <input type="hidden" name="mode" value={request.mode} />
        <input type="hidden" name="currency" value={currency ?? 'USD'} />
        {request.mode === 'ids'
          ? conversionIds.map((id) => <input key={id} type="hidden" name="conversionIds" value={id} />)
          : null}
        <FieldErrors errors={fields.conversionIds.errors} />

        <div className="grid gap-1.5">
          <Label htmlFor={fields.action.id}>Change</Label>
          <NativeSelect
            {...controlled(getSelectProps(fields.action))}
            value={action}
            onChange={(event) => setAction(event.currentTarget.value as ChangeAction)}
          >
            {CHANGE_ACTION_NAMES.map((name) => (
              <option key={name} value={name} disabled={name === 'adjust' && currency === null}>
                {CHANGE_ACTIONS[name].label}
                {name === 'reverse' ? ' (undo a counted conversion, e.g. a refund)' : ''}
              </option>
            ))}
          </NativeSelect>
          {request.mode === 'ids' && currency === null ? (
            <p className="text-xs text-muted-foreground">
              Amounts can be adjusted together only for conversions in one currency.
            </p>
          ) : null}
        </div>

        {request.mode === 'txids' ? (
          <>
            <div className="grid gap-1.5">
              <Label htmlFor={fields.offerId.id}>Offer</Label>
              <NativeSelect
                {...controlled(getSelectProps(fields.offerId))}
                value={offerId}
                onChange={(event) => setOfferId(event.currentTarget.value)}
              >
                <option value="">Pick the offer of these orders</option>
                {offers.map((offer) => (
                  <option key={offer.id} value={offer.id}>
                    #{offer.id} · {offer.name}
                  </option>
                ))}
              </NativeSelect>
              <FieldErrors id={fields.offerId.errorId} errors={fields.offerId.errors} />
            </div>
            <div className="grid gap-1.5">
              <Label htmlFor={fields.txids.id}>Txids</Label>
              <Textarea
                {...getTextareaProps(fields.txids)}
                rows={5}
                spellCheck={false}
                placeholder={'ORDER-1001\nORDER-1002'}
                className="font-mono text-[12.5px]"
                onChange={(event) => setTxidCount(splitTxids(event.currentTarget.value).length)}
              />
              <FieldErrors id={fields.txids.errorId} errors={fields.txids.errors} />
            </div>
          </>
        ) : null}

        {adjust && currency ? (
          <div className="grid gap-4 sm:grid-cols-2">
            {role === 'admin' ? (
              <MoneyInput
                label="New payout"
                hint={
                  current?.payoutMinor !== undefined
                    ? `Now ${formatMoney(current.payoutMinor, currency)}`
                    : 'What the affiliate earns'
                }
                currency={currency}
                meta={fields.payout}
              />
            ) : null}
            <MoneyInput
              label="New revenue"
              hint={
                current?.revenueMinor !== undefined
                  ? `Now ${formatMoney(current.revenueMinor, currency)}`
                  : 'What you pay the network'
              }
              currency={currency}
              meta={fields.revenue}
            />
          </div>
        ) : null}

        <div className="grid gap-1.5">
          <Label htmlFor={fields.reason.id}>
            Reason{' '}
            {needsReason ? null : <span className="font-normal text-muted-foreground">(optional)</span>}
          </Label>
          <Textarea
            {...getTextareaProps(fields.reason)}
            rows={2}
            placeholder={action === 'reverse' ? 'e.g. refunded on Nov 28' : 'Kept in the change log'}
          />
          <FieldErrors id={fields.reason.errorId} errors={fields.reason.errors} />
        </div>

        <FormErrors errors={form.errors} />

        {preview ? (
          <Alert
            variant={preview.changed > 0 && destructive ? 'warning' : 'default'}
            className="flex items-start gap-2"
          >
            {preview.changed > 0 ? (
              <InfoIcon className="mt-0.5 size-4 shrink-0" aria-hidden />
            ) : (
              <CheckCircle2Icon className="mt-0.5 size-4 shrink-0" aria-hidden />
            )}
            <div className="grid gap-0.5">
              <p className="font-medium">
                {preview.changed > 0
                  ? `${plural(preview.changed)} will change.`
                  : preview.matched === 0
                    ? 'No conversion you may change matches.'
                    : 'Nothing would change.'}
              </p>
              {preview.matched > preview.changed ? (
                <p className="text-muted-foreground">
                  {preview.matched - preview.changed === 1
                    ? `1 of the ${formatCount(preview.matched)} found is ${UNCHANGED[action]} already.`
                    : `${formatCount(preview.matched - preview.changed)} of the ${formatCount(preview.matched)} found are ${UNCHANGED[action]} already.`}
                </p>
              ) : null}
              {request.mode === 'txids' && txidCount > preview.matched ? (
                <p className="text-muted-foreground">
                  {formatCount(txidCount - preview.matched)} of the {formatCount(txidCount)} txids match no
                  conversion of this offer that you may change.
                </p>
              ) : null}
            </div>
          </Alert>
        ) : null}

        <DialogFooter>
          <Button type="button" variant="outline" onClick={onClose}>
            Cancel
          </Button>
          {preview && preview.changed > 0 ? (
            <IntentButton
              intent="apply"
              busy={pendingIntent === 'apply'}
              disabled={busy}
              variant={destructive ? 'destructive' : 'default'}
            >
              {CHANGE_ACTIONS[action].label} {plural(preview.changed)}
            </IntentButton>
          ) : (
            <IntentButton intent="preview" busy={pendingIntent === 'preview'} disabled={busy}>
              Check what changes
            </IntentButton>
          )}
        </DialogFooter>
      </fetcher.Form>
    </>
  );
}

/** A select's props for a controlled select (its value is kept in state, not given by default). */
function controlled<T extends { defaultValue?: unknown }>(props: T): Omit<T, 'defaultValue'> {
  const { defaultValue: _, ...rest } = props;
  return rest;
}

function IntentButton({
  intent,
  busy,
  children,
  ...props
}: {
  intent: 'preview' | 'apply';
  busy: boolean;
  children: ReactNode;
  disabled?: boolean;
  variant?: 'default' | 'destructive';
}) {
  return (
    <Button type="submit" name="intent" value={intent} {...props}>
      {busy ? <Loader2Icon className="animate-spin" aria-hidden /> : null}
      {children}
    </Button>
  );
}

function MoneyInput({
  label,
  hint,
  currency,
  meta,
}: {
  label: string;
  hint: string;
  currency: string;
  meta: Parameters<typeof getInputProps>[0];
}) {
  return (
    <div className="grid gap-1.5">
      <Label htmlFor={meta.id}>
        {label} <span className="font-normal text-muted-foreground">({currency})</span>
      </Label>
      <Input
        {...getInputProps(meta, { type: 'text', ariaDescribedBy: `${meta.id}-hint` })}
        inputMode="decimal"
        placeholder="0.00"
        autoComplete="off"
      />
      <p id={`${meta.id}-hint`} className="text-xs text-muted-foreground">
        {hint}
      </p>
      <FieldErrors id={meta.errorId} errors={meta.errors} />
    </div>
  );
}
