import { CalendarIcon, GlobeIcon, RotateCcwIcon } from 'lucide-react';
import { useEffect, useId, useState } from 'react';
import { Link } from 'react-router';
import { Button } from '~/components/ui/button';
import { Card, CardContent } from '~/components/ui/card';
import { Input } from '~/components/ui/input';
import { Label } from '~/components/ui/label';
import { NativeSelect } from '~/components/ui/native-select';
import { Switch } from '~/components/ui/switch';
import { cn } from '~/lib/utils';
import type { NameMaps } from './labels';
import {
  DIMENSION_LABEL,
  type Dimension,
  daysIn,
  dimensionsFor,
  filtersFor,
  type Granularity,
  PRESET_LABEL,
  PRESETS,
  type Preset,
  type ReportView,
  type Role,
} from './report-view';

const GRANULARITIES: { value: Granularity; label: string }[] = [
  { value: 'day', label: 'Day' },
  { value: 'hour', label: 'Hour' },
  { value: 'total', label: 'Total' },
];

/** Zones the browser knows, the viewer's own and the chosen one first among them. */
function timeZones(current: string): string[] {
  let all: string[] = [];
  try {
    all = Intl.supportedValuesOf('timeZone');
  } catch {
    all = ['UTC'];
  }
  if (!all.includes('UTC')) all = ['UTC', ...all];
  return all.includes(current) ? all : [current, ...all];
}

/**
 * The report's controls. Every change is a new URL (`onChange` gets the view with the change
 * applied; the page navigates), so the builder shows exactly what the URL holds.
 */
export function ReportBuilder({
  view,
  role,
  names,
  onChange,
}: {
  view: ReportView;
  role: Role;
  names: NameMaps;
  onChange: (changes: Partial<ReportView>) => void;
}) {
  const id = useId();
  // The full list only in the browser: the server's list may differ from it (hydration).
  const [allZones, setAllZones] = useState<string[] | null>(null);
  useEffect(() => setAllZones(timeZones('UTC')), []);
  const zones = allZones
    ? allZones.includes(view.timezone)
      ? allZones
      : [view.timezone, ...allZones]
    : [...new Set([view.timezone, 'UTC'])];
  const filters = filtersFor(role);
  const dims = dimensionsFor(role);
  const [from, setFrom] = useState(view.range.from);
  const [to, setTo] = useState(view.range.to);
  const [rangeKey, setRangeKey] = useState(`${view.range.from}/${view.range.to}`);
  // The inputs follow the URL when it changes (back button, a preset).
  if (rangeKey !== `${view.range.from}/${view.range.to}`) {
    setRangeKey(`${view.range.from}/${view.range.to}`);
    setFrom(view.range.from);
    setTo(view.range.to);
  }
  const customInvalid =
    from > to
      ? 'The end date is before the start date.'
      : daysIn({ from, to }) > 366
        ? 'At most 366 days.'
        : null;
  const applyCustom = (nextFrom: string, nextTo: string) => {
    if (!nextFrom || !nextTo || nextFrom > nextTo || daysIn({ from: nextFrom, to: nextTo }) > 366) return;
    onChange({ preset: 'custom', range: { from: nextFrom, to: nextTo } });
  };
  const toggle = (dimension: Dimension) => {
    const has = view.groupBy.includes(dimension);
    onChange({
      groupBy: has ? view.groupBy.filter((d) => d !== dimension) : [...view.groupBy, dimension].slice(0, 6),
    });
  };
  const sorted = (map: Record<number, string>) =>
    Object.entries(map)
      .map(([key, name]) => ({ id: Number(key), name }))
      .sort((a, b) => a.name.localeCompare(b.name));
  const tooLongForHours = daysIn(view.range) > 31;
  const granularity = (
    <fieldset className="grid gap-1.5">
      <legend className="mb-1.5 text-xs font-medium text-muted-foreground">Rows by</legend>
      <div className="inline-flex h-9 w-fit items-center rounded-lg bg-muted p-1 text-sm">
        {GRANULARITIES.map((g) => {
          const disabled = g.value === 'hour' && tooLongForHours;
          return (
            <button
              key={g.value}
              type="button"
              aria-pressed={view.granularity === g.value}
              disabled={disabled}
              title={disabled ? 'Hours are for ranges of up to 31 days' : undefined}
              onClick={() => onChange({ granularity: g.value })}
              className={cn(
                'rounded-md px-3 py-1 font-medium text-muted-foreground transition-colors hover:text-foreground focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-ring disabled:pointer-events-none disabled:opacity-40',
                view.granularity === g.value && 'bg-card text-foreground shadow-sm',
              )}
            >
              {g.label}
            </button>
          );
        })}
      </div>
    </fieldset>
  );
  return (
    <Card>
      <CardContent className="grid gap-4 p-4">
        <div className="grid grid-cols-2 gap-3 sm:grid-cols-3 lg:flex lg:flex-wrap lg:items-end">
          <div className="col-span-2 grid gap-1.5 sm:col-span-1 lg:w-40">
            <Label
              htmlFor={`${id}-range`}
              className="flex items-center gap-1.5 text-xs text-muted-foreground"
            >
              <CalendarIcon className="size-3.5" aria-hidden />
              Date range
            </Label>
            <NativeSelect
              id={`${id}-range`}
              value={view.preset}
              onChange={(e) => {
                const preset = e.target.value as Preset;
                onChange(preset === 'custom' ? { preset, range: view.range } : { preset });
              }}
            >
              {PRESETS.map((p) => (
                <option key={p} value={p}>
                  {PRESET_LABEL[p]}
                </option>
              ))}
            </NativeSelect>
          </div>
          {view.preset === 'custom' ? (
            <fieldset className="col-span-2 grid grid-cols-2 gap-2 lg:flex">
              <legend className="sr-only">Custom range</legend>
              <div className="grid gap-1.5 lg:w-38">
                <Label htmlFor={`${id}-from`} className="text-xs text-muted-foreground">
                  From
                </Label>
                <Input
                  id={`${id}-from`}
                  type="date"
                  value={from}
                  max={to}
                  aria-invalid={customInvalid ? true : undefined}
                  aria-describedby={customInvalid ? `${id}-range-error` : undefined}
                  onChange={(e) => {
                    setFrom(e.target.value);
                    applyCustom(e.target.value, to);
                  }}
                />
              </div>
              <div className="grid gap-1.5 lg:w-38">
                <Label htmlFor={`${id}-to`} className="text-xs text-muted-foreground">
                  To
                </Label>
                <Input
                  id={`${id}-to`}
                  type="date"
                  value={to}
                  min={from}
                  aria-invalid={customInvalid ? true : undefined}
                  aria-describedby={customInvalid ? `${id}-range-error` : undefined}
                  onChange={(e) => {
                    setTo(e.target.value);
                    applyCustom(from, e.target.value);
                  }}
                />
              </div>
              {customInvalid ? (
                <p id={`${id}-range-error`} className="col-span-2 self-end pb-2 text-xs text-destructive">
                  {customInvalid}
                </p>
              ) : null}
            </fieldset>
          ) : null}
          <div className="col-span-2 grid gap-1.5 sm:col-span-1 lg:w-52">
            <Label htmlFor={`${id}-tz`} className="flex items-center gap-1.5 text-xs text-muted-foreground">
              <GlobeIcon className="size-3.5" aria-hidden />
              Time zone
            </Label>
            <NativeSelect
              id={`${id}-tz`}
              value={view.timezone}
              onChange={(e) => onChange({ timezone: e.target.value })}
            >
              {zones.map((zone) => (
                <option key={zone} value={zone}>
                  {zone.replaceAll('_', ' ')}
                </option>
              ))}
            </NativeSelect>
          </div>
          {filters.includes('offer') ? (
            <FilterSelect
              id={`${id}-offer`}
              label="Offer"
              all="All offers"
              value={view.offerId}
              options={sorted(names.offers)}
              onChange={(offerId) => onChange({ offerId })}
            />
          ) : null}
          {filters.includes('affiliate') ? (
            role === 'advertiser' ? (
              <AffiliateIdFilter
                id={`${id}-affiliate`}
                value={view.affiliateId}
                onChange={(affiliateId) => onChange({ affiliateId })}
              />
            ) : (
              <FilterSelect
                id={`${id}-affiliate`}
                label="Affiliate"
                all="All affiliates"
                value={view.affiliateId}
                options={sorted(names.affiliates)}
                onChange={(affiliateId) => onChange({ affiliateId })}
              />
            )
          ) : null}
          {filters.includes('advertiser') ? (
            <FilterSelect
              id={`${id}-advertiser`}
              label="Advertiser"
              all="All advertisers"
              value={view.advertiserId}
              options={sorted(names.advertisers)}
              onChange={(advertiserId) => onChange({ advertiserId })}
            />
          ) : null}
        </div>

        <div className="flex flex-col gap-3 border-t pt-3 lg:flex-row lg:items-end">
          <fieldset className="grid min-w-0 flex-1 gap-1.5">
            <legend className="mb-1.5 text-xs font-medium text-muted-foreground">
              Group by {view.groupBy.length ? <span className="font-normal">(in this order)</span> : null}
            </legend>
            <div className="flex flex-wrap gap-1.5">
              {dims.map((dimension) => {
                const position = view.groupBy.indexOf(dimension);
                const active = position >= 0;
                return (
                  <button
                    key={dimension}
                    type="button"
                    aria-pressed={active}
                    disabled={!active && view.groupBy.length >= 6}
                    onClick={() => toggle(dimension)}
                    className={cn(
                      'inline-flex h-7 items-center gap-1.5 rounded-full border px-3 text-xs font-medium transition-colors focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-ring disabled:opacity-40',
                      active
                        ? 'border-primary/40 bg-primary/10 text-primary'
                        : 'border-input bg-card text-muted-foreground hover:bg-accent hover:text-accent-foreground',
                    )}
                  >
                    {active ? (
                      <span className="flex size-4 items-center justify-center rounded-full bg-primary text-[10px] text-primary-foreground">
                        {position + 1}
                      </span>
                    ) : null}
                    {DIMENSION_LABEL[dimension]}
                  </button>
                );
              })}
            </div>
          </fieldset>
          <div className="flex flex-wrap items-end gap-x-4 gap-y-3">
            {granularity}
            <div className="flex h-9 items-center gap-2">
              <Switch
                id={`${id}-compare`}
                checked={view.compare}
                onCheckedChange={(compare) => onChange({ compare })}
              />
              <Label htmlFor={`${id}-compare`} className="text-sm font-normal">
                Compare
                <span className="sr-only"> with the previous period</span>
              </Label>
            </div>
            <Button asChild variant="ghost" size="sm" className="h-9 text-muted-foreground">
              <Link to="/reports" aria-label="Reset the report">
                <RotateCcwIcon aria-hidden />
                Reset
              </Link>
            </Button>
          </div>
        </div>
      </CardContent>
    </Card>
  );
}

function FilterSelect({
  id,
  label,
  all,
  value,
  options,
  onChange,
}: {
  id: string;
  label: string;
  all: string;
  value: number | null;
  options: { id: number; name: string }[];
  onChange: (value: number | null) => void;
}) {
  // A filter on an id the viewer cannot list (from a shared link) still shows.
  const known = value === null || options.some((o) => o.id === value);
  return (
    <div className="grid min-w-0 gap-1.5 lg:w-48">
      <Label htmlFor={id} className="text-xs text-muted-foreground">
        {label}
      </Label>
      <NativeSelect
        id={id}
        value={value === null ? '' : String(value)}
        onChange={(e) => onChange(e.target.value ? Number(e.target.value) : null)}
      >
        <option value="">{all}</option>
        {known ? null : <option value={String(value)}>{`${label} #${value}`}</option>}
        {options.map((o) => (
          <option key={o.id} value={String(o.id)}>
            {o.name}
          </option>
        ))}
      </NativeSelect>
    </div>
  );
}

/** Advertisers cannot list affiliates: they filter by the id their reports show. */
function AffiliateIdFilter({
  id,
  value,
  onChange,
}: {
  id: string;
  value: number | null;
  onChange: (value: number | null) => void;
}) {
  const [text, setText] = useState(value === null ? '' : String(value));
  const apply = () => {
    const trimmed = text.trim();
    if (trimmed === '') return onChange(null);
    if (/^[1-9]\d{0,9}$/.test(trimmed)) onChange(Number(trimmed));
  };
  return (
    <div className="grid gap-1.5 lg:w-36">
      <Label htmlFor={id} className="text-xs text-muted-foreground">
        Affiliate ID
      </Label>
      <Input
        id={id}
        inputMode="numeric"
        placeholder="All"
        value={text}
        onChange={(e) => setText(e.target.value)}
        onBlur={apply}
        onKeyDown={(e) => {
          if (e.key === 'Enter') apply();
        }}
      />
    </div>
  );
}
