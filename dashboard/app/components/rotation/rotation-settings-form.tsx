import type { ReactNode } from 'react';
import { Form } from 'react-router';
import { FieldErrors, FormErrors, SubmitButton } from '~/components/form';
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '~/components/ui/card';
import { Input } from '~/components/ui/input';
import { Label } from '~/components/ui/label';
import { Alert } from '~/components/ui/misc';
import { NativeSelect } from '~/components/ui/native-select';
import { formatDateTime } from '~/lib/format';
import type { RotationAnswer, RotationSettings } from './rotation.server';

function Row({
  id,
  label,
  hint,
  error,
  children,
}: {
  id: string;
  label: string;
  hint: string;
  error: string | undefined;
  children: (describedBy: string) => ReactNode;
}) {
  return (
    <div className="grid content-start gap-1.5">
      <Label htmlFor={id}>{label}</Label>
      {children(`${id}-hint${error ? ` ${id}-error` : ''}`)}
      <p id={`${id}-hint`} className="text-xs text-muted-foreground">
        {hint}
      </p>
      <FieldErrors id={`${id}-error`} errors={error ? [error] : undefined} />
    </div>
  );
}

/**
 * How the offer's traffic is shared: the advertiser's weights, or the bandit's. Validated on the
 * server (rotation.server.ts) with the API's bounds.
 */
export function RotationSettingsForm({
  settings,
  answer,
}: {
  settings: RotationSettings;
  answer: RotationAnswer | null;
}) {
  const errors = answer && !answer.ok ? answer : null;
  const error = (name: string) => errors?.fieldErrors[name];
  const input = (id: string, name: string, value: string) => (describedBy: string) => (
    <Input
      id={id}
      name={name}
      inputMode="decimal"
      defaultValue={value}
      aria-describedby={describedBy}
      aria-invalid={error(name) ? true : undefined}
    />
  );
  return (
    <Card>
      <CardHeader>
        <CardTitle>Rotation</CardTitle>
        <CardDescription>
          Manual: the edge rotates by your weights. Bandit: weights follow conversions per click, recomputed
          on the interval; your own weights are kept for when you switch back.
          {settings.computedAt ? ` Last run ${formatDateTime(settings.computedAt)} UTC.` : ''}
        </CardDescription>
      </CardHeader>
      <CardContent>
        <Form method="post" noValidate className="grid gap-5" aria-label="Rotation settings">
          <input type="hidden" name="intent" value="rotation" />
          <div className="grid gap-4 sm:grid-cols-2 lg:grid-cols-5">
            <Row id="rotation-mode" label="Mode" hint="Who sets the weights" error={error('mode')}>
              {(describedBy) => (
                <NativeSelect
                  id="rotation-mode"
                  name="mode"
                  defaultValue={settings.mode}
                  aria-describedby={describedBy}
                >
                  <option value="manual">Manual weights</option>
                  <option value="bandit">Bandit (learns)</option>
                </NativeSelect>
              )}
            </Row>
            <Row
              id="rotation-exploration"
              label="Exploration (%)"
              hint="Kept for testing, shared by the arms"
              error={error('explorationPercent')}
            >
              {input('rotation-exploration', 'explorationPercent', String(settings.explorationBps / 100))}
            </Row>
            <Row
              id="rotation-window"
              label="Window (days)"
              hint="Clicks this recent count"
              error={error('decayWindowDays')}
            >
              {input('rotation-window', 'decayWindowDays', String(settings.decayWindowDays))}
            </Row>
            <Row
              id="rotation-min-clicks"
              label="Minimum clicks"
              hint="Before weights move"
              error={error('minClicks')}
            >
              {input('rotation-min-clicks', 'minClicks', String(settings.minClicks))}
            </Row>
            <Row
              id="rotation-interval"
              label="Interval (minutes)"
              hint="How often it recomputes"
              error={error('intervalMinutes')}
            >
              {input('rotation-interval', 'intervalMinutes', String(settings.intervalMinutes))}
            </Row>
          </div>
          <FormErrors errors={errors?.formError ? [errors.formError] : undefined} />
          {answer?.ok && answer.message ? (
            <Alert variant="success" role="status">
              {answer.message}
            </Alert>
          ) : null}
          <div>
            <SubmitButton intent="rotation">Save rotation</SubmitButton>
          </div>
        </Form>
      </CardContent>
    </Card>
  );
}
