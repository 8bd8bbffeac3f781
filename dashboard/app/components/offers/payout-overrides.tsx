import {
  getFormProps,
  getInputProps,
  getSelectProps,
  type SubmissionResult,
  useForm,
} from '@conform-to/react';
import { parseWithZod } from '@conform-to/zod/v4';
import { HistoryIcon, Loader2Icon, PencilIcon, PlusIcon, Trash2Icon, UsersIcon } from 'lucide-react';
import { useEffect, useState } from 'react';
import { useFetcher } from 'react-router';
import type { components } from '~/api/schema';
import { formatBps, formatDateTime, formatMoney } from '~/lib/format';
import { FieldErrors, FormErrors } from '../form';
import { Button } from '../ui/button';
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '../ui/card';
import {
  Dialog,
  DialogContent,
  DialogDescription,
  DialogFooter,
  DialogHeader,
  DialogTitle,
} from '../ui/dialog';
import { Input } from '../ui/input';
import { Label } from '../ui/label';
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from '../ui/table';
import { currencyAdornment, moneyText, percentText } from './amounts';
import { useResultToast } from './applications-table';
import { formatPayout, type PayoutType, payoutUnit } from './offer-text';
import { payoutOverrideSchema } from './payout-override-schema';

type PayoutOverride = components['schemas']['PayoutOverride'];
type OfferPayout = {
  id: number;
  payoutType: PayoutType;
  payoutMinor: number;
  payoutBps: number;
  currency: string;
};
export type PayoutActionData = { ok: boolean; message: string; result?: SubmissionResult<string[]> };

const END_REASON: Record<NonNullable<PayoutOverride['endReason']>, string> = {
  payout_type_changed: 'Payout type changed',
  replaced: 'Replaced',
  removed: 'Removed',
};

function overrideAmount(override: PayoutOverride, currency: string): string {
  return override.payoutType === 'revshare'
    ? formatBps(override.payoutBps)
    : formatMoney(override.payoutMinor, currency);
}

/** The affiliates paid differently from the offer's default, with the form to set or end one. */
export function PayoutOverrides({
  offer,
  history,
  affiliateName,
  affiliates,
}: {
  offer: OfferPayout;
  /** Every version, newest first (history=true); those without effectiveTo are in force. */
  history: PayoutOverride[];
  affiliateName: (id: number) => string;
  /** Affiliates to pick from (admins); empty: the id is typed. */
  affiliates: { id: number; name: string }[];
}) {
  const current = history.filter((override) => override.effectiveTo === null);
  const [editing, setEditing] = useState<{ affiliateId: number | null; amount: string } | null>(null);
  const [showHistory, setShowHistory] = useState(false);
  const ended = history.filter((override) => override.effectiveTo !== null);
  return (
    <Card>
      <CardHeader className="flex-row items-start justify-between gap-3 space-y-0">
        <div className="grid gap-1.5">
          <CardTitle>Payouts</CardTitle>
          <CardDescription>
            Default {formatPayout(offer)} {payoutUnit(offer.payoutType)}. Overrides apply to new clicks.
          </CardDescription>
        </div>
        <Button size="sm" variant="outline" onClick={() => setEditing({ affiliateId: null, amount: '' })}>
          <PlusIcon aria-hidden />
          Override
        </Button>
      </CardHeader>
      <CardContent className="grid gap-3">
        {current.length === 0 ? (
          <p className="flex items-center gap-2 rounded-lg border border-dashed px-3 py-3 text-sm text-muted-foreground">
            <UsersIcon className="size-4 shrink-0" aria-hidden />
            Every affiliate earns the default. Pay a partner more (or less) with an override.
          </p>
        ) : (
          <div className="rounded-lg border">
            <Table>
              <caption className="sr-only">Payout overrides in force</caption>
              <TableHeader>
                <TableRow className="hover:bg-transparent">
                  <TableHead>Affiliate</TableHead>
                  <TableHead className="text-right">Payout</TableHead>
                  <TableHead>Since</TableHead>
                  <TableHead>
                    <span className="sr-only">Actions</span>
                  </TableHead>
                </TableRow>
              </TableHeader>
              <TableBody>
                {current.map((override) => (
                  <TableRow key={override.affiliateId}>
                    <TableCell>
                      <span className="font-medium">{affiliateName(override.affiliateId)}</span>
                      <span className="ml-1.5 text-xs text-muted-foreground">#{override.affiliateId}</span>
                    </TableCell>
                    <TableCell className="text-right font-medium tabular-nums">
                      {overrideAmount(override, offer.currency)}
                    </TableCell>
                    <TableCell className="text-muted-foreground">
                      {formatDateTime(override.effectiveFrom)}
                    </TableCell>
                    <TableCell>
                      <div className="flex justify-end gap-1">
                        <Button
                          size="icon"
                          variant="ghost"
                          className="size-8"
                          aria-label={`Change the payout of ${affiliateName(override.affiliateId)}`}
                          onClick={() =>
                            setEditing({
                              affiliateId: override.affiliateId,
                              amount:
                                override.payoutType === 'revshare'
                                  ? percentText(override.payoutBps)
                                  : moneyText(override.payoutMinor, offer.currency),
                            })
                          }
                        >
                          <PencilIcon aria-hidden />
                        </Button>
                        <EndOverride
                          affiliateId={override.affiliateId}
                          label={affiliateName(override.affiliateId)}
                        />
                      </div>
                    </TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          </div>
        )}
        {ended.length > 0 ? (
          <div>
            <Button
              variant="ghost"
              size="sm"
              aria-expanded={showHistory}
              onClick={() => setShowHistory((shown) => !shown)}
            >
              <HistoryIcon aria-hidden />
              {showHistory ? 'Hide history' : `History (${ended.length} ended)`}
            </Button>
            {showHistory ? (
              <div className="mt-2 rounded-lg border">
                <Table>
                  <caption className="sr-only">Ended payout overrides</caption>
                  <TableHeader>
                    <TableRow className="hover:bg-transparent">
                      <TableHead>Affiliate</TableHead>
                      <TableHead className="text-right">Payout</TableHead>
                      <TableHead>From</TableHead>
                      <TableHead>To</TableHead>
                      <TableHead>Ended</TableHead>
                    </TableRow>
                  </TableHeader>
                  <TableBody>
                    {ended.map((override) => (
                      <TableRow key={`${override.affiliateId}-${override.effectiveFrom}`}>
                        <TableCell>{affiliateName(override.affiliateId)}</TableCell>
                        <TableCell className="text-right tabular-nums">
                          {overrideAmount(override, offer.currency)}
                        </TableCell>
                        <TableCell className="text-muted-foreground">
                          {formatDateTime(override.effectiveFrom)}
                        </TableCell>
                        <TableCell className="text-muted-foreground">
                          {formatDateTime(override.effectiveTo)}
                        </TableCell>
                        <TableCell className="text-muted-foreground">
                          {override.endReason ? END_REASON[override.endReason] : '–'}
                        </TableCell>
                      </TableRow>
                    ))}
                  </TableBody>
                </Table>
              </div>
            ) : null}
          </div>
        ) : null}
      </CardContent>
      <Dialog open={editing !== null} onOpenChange={(open) => (open ? null : setEditing(null))}>
        {editing ? (
          <OverrideDialog
            offer={offer}
            initial={editing}
            affiliates={affiliates}
            affiliateName={affiliateName}
            onDone={() => setEditing(null)}
          />
        ) : null}
      </Dialog>
    </Card>
  );
}

function EndOverride({ affiliateId, label }: { affiliateId: number; label: string }) {
  const fetcher = useFetcher<PayoutActionData>();
  useResultToast(fetcher.data);
  const busy = fetcher.state !== 'idle';
  return (
    <fetcher.Form
      method="post"
      onSubmit={(event) => {
        if (!window.confirm(`End ${label}’s override? New clicks earn the default payout.`))
          event.preventDefault();
      }}
    >
      <input type="hidden" name="intent" value="endPayout" />
      <input type="hidden" name="affiliateId" value={affiliateId} />
      <Button
        type="submit"
        size="icon"
        variant="ghost"
        className="size-8 text-muted-foreground hover:text-destructive"
        disabled={busy}
        aria-label={`End the payout override of ${label}`}
      >
        {busy ? <Loader2Icon className="animate-spin" aria-hidden /> : <Trash2Icon aria-hidden />}
      </Button>
    </fetcher.Form>
  );
}

function OverrideDialog({
  offer,
  initial,
  affiliates,
  affiliateName,
  onDone,
}: {
  offer: OfferPayout;
  initial: { affiliateId: number | null; amount: string };
  affiliates: { id: number; name: string }[];
  affiliateName: (id: number) => string;
  onDone: () => void;
}) {
  const fetcher = useFetcher<PayoutActionData>();
  const schema = payoutOverrideSchema(offer);
  const [form, fields] = useForm({
    lastResult: fetcher.data?.result,
    defaultValue: { affiliateId: initial.affiliateId ?? '', amount: initial.amount },
    onValidate: ({ formData }) => parseWithZod(formData, { schema }),
    shouldRevalidate: 'onBlur',
  });
  useResultToast(fetcher.data?.ok ? fetcher.data : undefined);
  useEffect(() => {
    if (fetcher.state === 'idle' && fetcher.data?.ok) onDone();
  }, [fetcher.state, fetcher.data, onDone]);
  const busy = fetcher.state !== 'idle';
  const revshare = offer.payoutType === 'revshare';
  return (
    <DialogContent>
      <DialogHeader>
        <DialogTitle>
          {initial.affiliateId ? `Payout of ${affiliateName(initial.affiliateId)}` : 'New payout override'}
        </DialogTitle>
        <DialogDescription>
          {revshare
            ? 'A share of each sale'
            : `An amount in ${offer.currency} ${payoutUnit(offer.payoutType)}`}
          , for clicks from now on. Earlier clicks keep the payout they had.
        </DialogDescription>
      </DialogHeader>
      <fetcher.Form method="post" className="grid gap-4" {...getFormProps(form)}>
        <input type="hidden" name="intent" value="setPayout" />
        {initial.affiliateId ? (
          <input type="hidden" name={fields.affiliateId.name} value={initial.affiliateId} />
        ) : (
          <div className="grid gap-1.5">
            <Label htmlFor={fields.affiliateId.id}>Affiliate</Label>
            {affiliates.length > 0 ? (
              <select
                {...getSelectProps(fields.affiliateId)}
                className="h-9 rounded-md border border-input bg-card px-3 text-sm shadow-xs focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-ring"
              >
                <option value="">Choose an affiliate</option>
                {affiliates.map((affiliate) => (
                  <option key={affiliate.id} value={affiliate.id}>
                    {affiliate.name} (#{affiliate.id})
                  </option>
                ))}
              </select>
            ) : (
              <Input
                {...getInputProps(fields.affiliateId, { type: 'number' })}
                min={1}
                placeholder="e.g. 42"
                inputMode="numeric"
              />
            )}
            <FieldErrors id={fields.affiliateId.errorId} errors={fields.affiliateId.errors} />
          </div>
        )}
        <div className="grid gap-1.5">
          <Label htmlFor={fields.amount.id}>
            {revshare ? 'Share of the sale (%)' : `Payout (${offer.currency})`}
          </Label>
          <div className="relative">
            <span className="pointer-events-none absolute top-1/2 left-3 -translate-y-1/2 text-sm text-muted-foreground">
              {revshare ? '%' : currencyAdornment(offer.currency)}
            </span>
            <Input
              {...getInputProps(fields.amount, { type: 'text' })}
              inputMode="decimal"
              autoComplete="off"
              className="pl-10 tabular-nums"
              placeholder={revshare ? '12.5' : '12.50'}
            />
          </div>
          <FieldErrors id={fields.amount.errorId} errors={fields.amount.errors} />
        </div>
        <FormErrors errors={form.errors} />
        <DialogFooter>
          <Button type="button" variant="outline" onClick={onDone}>
            Cancel
          </Button>
          <Button type="submit" disabled={busy}>
            {busy ? <Loader2Icon className="animate-spin" aria-hidden /> : null}
            Save payout
          </Button>
        </DialogFooter>
      </fetcher.Form>
    </DialogContent>
  );
}
