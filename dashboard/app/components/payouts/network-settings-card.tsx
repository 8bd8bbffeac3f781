import { formatDecimalAmount } from '@tas/shared/minor-units';
import { type ReactNode, useState } from 'react';
import { Form } from 'react-router';
import { FieldErrors, FormErrors, SubmitButton } from '~/components/form';
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '~/components/ui/card';
import { Input } from '~/components/ui/input';
import { Label } from '~/components/ui/label';
import { NativeSelect } from '~/components/ui/native-select';
import { Switch } from '~/components/ui/switch';
import type { Schemas } from '~/lib/api.server';
import { ordinal, WEEKDAYS } from './labels';
import type { FormAnswer } from './payouts-actions.server';

type Settings = Schemas['NetworkPayoutSettings'];

/** A labelled control with its hint and its error beside it. */
function Row({
  id,
  label,
  hint,
  error,
  children,
}: {
  id: string;
  label: string;
  hint?: string;
  error?: string | undefined;
  children: (described: string | undefined) => ReactNode;
}) {
  const described =
    [hint ? `${id}-hint` : null, error ? `${id}-error` : null].filter(Boolean).join(' ') || undefined;
  return (
    <div className="grid content-start gap-1.5">
      <Label htmlFor={id}>{label}</Label>
      {children(described)}
      {hint ? (
        <p id={`${id}-hint`} className="text-xs text-muted-foreground">
          {hint}
        </p>
      ) : null}
      <FieldErrors id={`${id}-error`} errors={error ? [error] : undefined} />
    </div>
  );
}

/** The network's payout defaults: when runs go out, the minimum and the hold (validated on the server). */
export function NetworkPayoutSettingsCard({
  settings,
  answer,
}: {
  settings: Settings | null;
  answer: FormAnswer | null;
}) {
  const [schedule, setSchedule] = useState<string>(settings?.schedule ?? 'weekly');
  const errors = answer?.intent === 'network-settings' && !answer.ok ? answer : null;
  const fieldError = (name: string) => errors?.fieldErrors[name];
  if (!settings)
    return (
      <Card>
        <CardHeader>
          <CardTitle>Payout settings</CardTitle>
          <CardDescription>
            The network’s payout settings could not be loaded. Reload the page to try again.
          </CardDescription>
        </CardHeader>
      </Card>
    );
  const perCurrency = Object.entries(settings.minimumByCurrency);
  return (
    <Card>
      <CardHeader>
        <CardTitle>Payout settings</CardTitle>
        <CardDescription>
          The network’s defaults; an affiliate may have its own schedule, minimum or hold.
        </CardDescription>
      </CardHeader>
      <CardContent>
        <Form method="post" noValidate className="grid gap-5">
          <div className="flex items-start gap-3">
            <Switch
              id="payout-automatic"
              name="automatic"
              defaultChecked={settings.automatic}
              aria-describedby="payout-automatic-hint"
              className="mt-0.5"
            />
            <div className="grid gap-1">
              <Label htmlFor="payout-automatic">Automatic payouts</Label>
              <p id="payout-automatic-hint" className="text-xs text-muted-foreground">
                On: runs start by themselves on schedule. Off: an admin plans and pays each run here.
              </p>
            </div>
          </div>
          <div className="grid gap-4 sm:grid-cols-2 lg:grid-cols-4">
            <Row id="payout-schedule" label="Schedule" error={fieldError('schedule')}>
              {(described) => (
                <NativeSelect
                  id="payout-schedule"
                  name="schedule"
                  value={schedule}
                  onChange={(event) => setSchedule(event.target.value)}
                  aria-describedby={described}
                >
                  <option value="weekly">Weekly</option>
                  <option value="monthly">Monthly</option>
                </NativeSelect>
              )}
            </Row>
            {schedule === 'weekly' ? (
              <Row
                id="payout-weekly-day"
                label="Day of the week"
                hint="In UTC."
                error={fieldError('weeklyDay')}
              >
                {(described) => (
                  <NativeSelect
                    id="payout-weekly-day"
                    name="weeklyDay"
                    defaultValue={String(settings.weeklyDay)}
                    aria-describedby={described}
                  >
                    {WEEKDAYS.map((day, index) => (
                      <option key={day} value={index + 1}>
                        {day}
                      </option>
                    ))}
                  </NativeSelect>
                )}
              </Row>
            ) : (
              <Row
                id="payout-monthly-day"
                label="Day of the month"
                hint="1 to 28, in UTC."
                error={fieldError('monthlyDay')}
              >
                {(described) => (
                  <NativeSelect
                    id="payout-monthly-day"
                    name="monthlyDay"
                    defaultValue={String(settings.monthlyDay)}
                    aria-describedby={described}
                  >
                    {Array.from({ length: 28 }, (_, index) => index + 1).map((day) => (
                      <option key={day} value={day}>
                        {ordinal(day)}
                      </option>
                    ))}
                  </NativeSelect>
                )}
              </Row>
            )}
            {/* The day not shown keeps its value. */}
            {schedule === 'weekly' ? (
              <input type="hidden" name="monthlyDay" value={settings.monthlyDay} />
            ) : (
              <input type="hidden" name="weeklyDay" value={settings.weeklyDay} />
            )}
            <Row
              id="payout-minimum"
              label="Default minimum"
              hint={
                perCurrency.length > 0
                  ? `Where no currency has its own (${perCurrency.map(([c, m]) => `${c} ${formatDecimalAmount(m, c)}`).join(', ')}).`
                  : 'In each currency; 0 for none.'
              }
              error={fieldError('defaultMinimum')}
            >
              {(described) => (
                <Input
                  id="payout-minimum"
                  name="defaultMinimum"
                  inputMode="decimal"
                  defaultValue={formatDecimalAmount(settings.defaultMinimumMinor, 'USD')}
                  aria-invalid={fieldError('defaultMinimum') ? true : undefined}
                  aria-describedby={described}
                />
              )}
            </Row>
            <Row
              id="payout-hold"
              label="Hold (days)"
              hint="Conversions approved this recently wait for the next run."
              error={fieldError('holdDays')}
            >
              {(described) => (
                <Input
                  id="payout-hold"
                  name="holdDays"
                  type="number"
                  min={0}
                  max={365}
                  defaultValue={settings.holdDays}
                  aria-invalid={fieldError('holdDays') ? true : undefined}
                  aria-describedby={described}
                />
              )}
            </Row>
          </div>
          <FormErrors errors={errors?.formError ? [errors.formError] : undefined} />
          <SubmitButton intent="network-settings" className="justify-self-start">
            Save payout settings
          </SubmitButton>
        </Form>
      </CardContent>
    </Card>
  );
}
