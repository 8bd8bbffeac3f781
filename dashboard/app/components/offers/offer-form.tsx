import {
  type FieldMetadata,
  type FormMetadata,
  getCollectionProps,
  getFormProps,
  getInputProps,
  type SubmissionResult,
  useForm,
} from '@conform-to/react';
import { parseWithZod } from '@conform-to/zod/v4';
import { substituteMacros } from '@tas/shared/macros';
import { currencyExponent } from '@tas/shared/minor-units';
import {
  AlertTriangleIcon,
  ArrowDownIcon,
  ArrowUpIcon,
  KeyRoundIcon,
  PlusIcon,
  Trash2Icon,
} from 'lucide-react';
import { Form, Link } from 'react-router';
import { cn } from '~/lib/utils';
import { Field, FieldErrors, FormErrors, SubmitButton } from '../form';
import { Button } from '../ui/button';
import { Input } from '../ui/input';
import { Label } from '../ui/label';
import { Alert } from '../ui/misc';
import { currencyAdornment, moneyText, parseMoneyText, parsePercentText, percentText } from './amounts';
import {
  AffixField,
  CheckboxField,
  CheckboxGroup,
  FormSection,
  SelectField,
  TextareaField,
} from './form-parts';
import {
  type Offer,
  type OfferFormInput,
  type OfferRequest,
  offerFormDefaults,
  offerFormSchema,
} from './offer-form-schema';
import {
  CAP_KEYS,
  CAP_LABEL,
  DEVICE_LABEL,
  formatHours,
  OFFER_STATUSES,
  OS_LABEL,
  PAYOUT_TYPE_HINT,
  PAYOUT_TYPE_LABEL,
  PAYOUT_TYPES,
  type PayoutType,
  SOURCES_LABEL,
  STATUS_LABEL,
  VISIBILITIES,
  VISIBILITY_HINT,
  VISIBILITY_LABEL,
} from './offer-text';

export const CURRENCIES = [
  'USD',
  'EUR',
  'GBP',
  'CAD',
  'AUD',
  'NZD',
  'CHF',
  'SEK',
  'NOK',
  'DKK',
  'PLN',
  'CZK',
  'BRL',
  'MXN',
  'INR',
  'JPY',
  'KRW',
  'SGD',
  'HKD',
  'ZAR',
  'AED',
  'KWD',
] as const;

/** The macros a destination may carry, filled at the edge on every click. */
const DESTINATION_MACROS = [
  'click_id',
  'aff_id',
  'sub1',
  'sub2',
  'sub3',
  'sub4',
  'sub5',
  'source_id',
  'offer_id',
  'country',
  'creative_id',
] as const;

const SECTIONS = [
  { id: 'basics', title: 'Basics', fields: ['name', 'description', 'advertiserId', 'status', 'visibility'] },
  { id: 'payout', title: 'Payout & revenue', fields: ['payoutType', 'currency', 'payout', 'revenue'] },
  {
    id: 'destination',
    title: 'Destination',
    fields: ['destinationUrl', 'previewUrl', 'fallbackUrl', 'deepLink'],
  },
  { id: 'landing-pages', title: 'Landing pages', fields: ['landingPages'] },
  {
    id: 'conversions',
    title: 'Conversions',
    fields: ['events', 'defaultEvent', 'attributionWindowHours', 'conversionSources', 'postback'],
  },
  { id: 'targeting', title: 'Targeting', fields: ['countries', 'devices', 'operatingSystems'] },
  { id: 'caps', title: 'Caps', fields: ['caps'] },
  { id: 'fraud', title: 'Fraud rules', fields: ['fraud'] },
  { id: 'privacy', title: 'Privacy', fields: ['privacy'] },
] as const;

function sectionOf(field: string): string | undefined {
  return SECTIONS.find((section) => section.fields.some((prefix) => field.startsWith(prefix)))?.id;
}

/** Puts a macro at the caret of a text input, as if typed (so the form sees the change). */
function insertAtCaret(inputId: string, text: string) {
  const input = document.getElementById(inputId);
  if (!(input instanceof HTMLInputElement)) return;
  const start = input.selectionStart ?? input.value.length;
  const end = input.selectionEnd ?? start;
  const next = `${input.value.slice(0, start)}${text}${input.value.slice(end)}`;
  Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value')?.set?.call(input, next);
  input.dispatchEvent(new Event('input', { bubbles: true }));
  input.focus();
  input.setSelectionRange(start + text.length, start + text.length);
}

function randomSecret(): string {
  const bytes = new Uint8Array(24);
  crypto.getRandomValues(bytes);
  return btoa(String.fromCharCode(...bytes))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '');
}

function setInputValue(inputId: string, value: string) {
  const input = document.getElementById(inputId);
  if (!(input instanceof HTMLInputElement)) return;
  Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value')?.set?.call(input, value);
  input.dispatchEvent(new Event('input', { bubbles: true }));
}

const SAMPLE_CLICK = {
  click_id: 'CLICK_ID',
  aff_id: '42',
  sub1: 'sub1',
  sub2: 'sub2',
  sub3: 'sub3',
  sub4: 'sub4',
  sub5: 'sub5',
  source_id: 'source',
  country: 'US',
  creative_id: '7',
};

export type OfferFormProps = {
  mode: 'create' | 'edit';
  offer: Offer | null;
  lastResult: SubmissionResult<string[]> | null | undefined;
  /** Admins pick the advertiser of a new offer. */
  advertisers: { id: number; name: string }[] | null;
  cancelTo: string;
};

export function OfferForm({ mode, offer, lastResult, advertisers, cancelTo }: OfferFormProps) {
  const needsAdvertiser = mode === 'create' && advertisers !== null;
  const schema = offerFormSchema({ mode, needsAdvertiser, currency: offer?.currency });
  const [form, fields] = useForm<OfferFormInput, OfferRequest>({
    id: offer ? `offer-${offer.id}` : 'offer-new',
    lastResult,
    defaultValue: offerFormDefaults(offer),
    shouldValidate: 'onBlur',
    shouldRevalidate: 'onInput',
    onValidate: ({ formData }) => parseWithZod(formData, { schema }),
  });

  const payoutType = (fields.payoutType.value ?? 'cpa') as PayoutType;
  const revshare = payoutType === 'revshare';
  const currency = offer?.currency ?? fields.currency.value ?? 'USD';
  const errorsBySection: Record<string, number> = {};
  for (const [name, errors] of Object.entries(form.allErrors)) {
    const section = sectionOf(name);
    if (section && errors.length > 0) errorsBySection[section] = (errorsBySection[section] ?? 0) + 1;
  }

  return (
    <Form
      method="post"
      {...getFormProps(form)}
      className="grid grid-cols-1 gap-6 lg:grid-cols-[11rem_minmax(0,1fr)]"
    >
      <nav aria-label="Offer sections" className="lg:sticky lg:top-20 lg:self-start">
        <ul className="-mx-1 flex gap-1 overflow-x-auto pb-1 lg:mx-0 lg:flex-col lg:overflow-visible">
          {SECTIONS.map((section) => (
            <li key={section.id} className="shrink-0">
              <a
                href={`#${section.id}`}
                className="flex items-center justify-between gap-2 rounded-md px-2.5 py-1.5 text-sm text-muted-foreground hover:bg-accent hover:text-accent-foreground"
              >
                {section.title}
                {errorsBySection[section.id] ? (
                  <span className="rounded-full bg-destructive/12 px-1.5 text-xs font-medium text-destructive">
                    {errorsBySection[section.id]}
                    <span className="sr-only"> errors</span>
                  </span>
                ) : null}
              </a>
            </li>
          ))}
        </ul>
      </nav>

      <div className="grid min-w-0 gap-6">
        <FormSection id="basics" title="Basics" description="What affiliates see in the marketplace.">
          <Field meta={fields.name} label="Name" inputProps={{ autoComplete: 'off', maxLength: 200 }} />
          <TextareaField
            meta={fields.description}
            label="Description"
            hint="Rules, allowed traffic, restrictions: shown to affiliates."
            textareaProps={{ rows: 3 }}
          />
          {needsAdvertiser ? (
            <SelectField
              meta={fields.advertiserId}
              label="Advertiser"
              options={[
                { value: '', label: 'Choose the advertiser' },
                ...(advertisers ?? []).map((advertiser) => ({
                  value: String(advertiser.id),
                  label: `${advertiser.name} (#${advertiser.id})`,
                })),
              ]}
            />
          ) : null}
          <div className="grid gap-5 sm:grid-cols-2">
            <SelectField
              meta={fields.status}
              label="Status"
              hint="Only active offers take clicks; paused ones send visitors to the fallback."
              options={OFFER_STATUSES.map((status) => ({ value: status, label: STATUS_LABEL[status] }))}
            />
            <SelectField
              meta={fields.visibility}
              label="Visibility"
              hint={VISIBILITY_HINT[(fields.visibility.value as keyof typeof VISIBILITY_HINT) ?? 'public']}
              options={VISIBILITIES.map((visibility) => ({
                value: visibility,
                label: VISIBILITY_LABEL[visibility],
              }))}
            />
          </div>
        </FormSection>

        <FormSection
          id="payout"
          title="Payout & revenue"
          description="What affiliates earn and what the advertiser pays, per event or as a share of the sale."
        >
          <div className="grid gap-5 sm:grid-cols-2">
            <SelectField
              meta={fields.payoutType}
              label="Payout type"
              hint={PAYOUT_TYPE_HINT[payoutType]}
              options={PAYOUT_TYPES.map((type) => ({
                value: type,
                label: `${PAYOUT_TYPE_LABEL[type]} · ${PAYOUT_TYPE_HINT[type].toLowerCase()}`,
              }))}
            />
            {mode === 'create' ? (
              <SelectField
                meta={fields.currency}
                label="Currency"
                hint={`Amounts in ${currency} have ${currencyExponent(currency)} decimals. It cannot change later.`}
                options={CURRENCIES.map((code) => ({ value: code, label: code }))}
              />
            ) : (
              <div className="grid content-start gap-1.5">
                <span className="text-sm font-medium">Currency</span>
                <p className="flex h-9 items-center text-sm">{currency}</p>
                <p className="text-xs text-muted-foreground">
                  An offer’s currency is set when it is created.
                </p>
              </div>
            )}
          </div>
          {mode === 'edit' && offer && payoutType !== offer.payoutType ? (
            <Alert variant="warning">
              <AlertTriangleIcon aria-hidden />
              <p>
                Changing the payout type ends every affiliate’s payout override on this offer (they were set
                in the old unit). Clicks from now on earn the new payout.
              </p>
            </Alert>
          ) : null}
          <div className="grid gap-5 sm:grid-cols-2">
            <AffixField
              key={`payout-${revshare}`}
              meta={fields.payout}
              label={revshare ? 'Affiliate share' : 'Affiliate payout'}
              prefix={revshare ? undefined : currencyAdornment(currency)}
              suffix={revshare ? '% of sale' : undefined}
              hint={revshare ? 'Up to two decimals, e.g. 12.5' : `In ${currency}, e.g. 12.50`}
              inputProps={{
                inputMode: 'decimal',
                autoComplete: 'off',
                placeholder: revshare ? '10' : '0.00',
              }}
            />
            <AffixField
              key={`revenue-${revshare}`}
              meta={fields.revenue}
              label={revshare ? 'Advertiser share' : 'Advertiser revenue'}
              prefix={revshare ? undefined : currencyAdornment(currency)}
              suffix={revshare ? '% of sale' : undefined}
              hint="What the network is paid: the margin is the difference."
              inputProps={{
                inputMode: 'decimal',
                autoComplete: 'off',
                placeholder: revshare ? '15' : '0.00',
              }}
            />
          </div>
          <MarginLine
            payout={fields.payout.value}
            revenue={fields.revenue.value}
            revshare={revshare}
            currency={currency}
          />
        </FormSection>

        <FormSection
          id="destination"
          title="Destination"
          description="Where clicks go. Macros in braces are filled in at the edge on every click."
        >
          <div className="grid gap-2">
            <Field
              meta={fields.destinationUrl}
              label="Destination URL"
              inputProps={{
                inputMode: 'url',
                autoComplete: 'off',
                spellCheck: false,
                placeholder: 'https://shop.example.com/?click_id={click_id}&aff={aff_id}',
                className: 'font-mono text-xs',
              }}
            />
            <div className="flex flex-wrap items-center gap-1">
              <span className="mr-1 text-xs text-muted-foreground" aria-hidden>
                Insert:
              </span>
              {DESTINATION_MACROS.map((macro) => (
                <button
                  key={macro}
                  type="button"
                  aria-label={`Insert {${macro}} into the destination URL`}
                  onClick={() => insertAtCaret(fields.destinationUrl.id, `{${macro}}`)}
                  className="rounded border bg-muted/60 px-1.5 py-0.5 font-mono text-[11px] text-muted-foreground hover:border-primary/50 hover:text-foreground focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-ring"
                >
                  {`{${macro}}`}
                </button>
              ))}
            </div>
            {fields.destinationUrl.value ? (
              <p className="text-xs text-muted-foreground">
                Example click:{' '}
                <code className="font-mono break-all text-foreground/80">
                  {substituteMacros(fields.destinationUrl.value, {
                    ...SAMPLE_CLICK,
                    offer_id: offer ? String(offer.id) : '1',
                  })}
                </code>
              </p>
            ) : null}
          </div>
          <div className="grid gap-5 sm:grid-cols-2">
            <Field
              meta={fields.previewUrl}
              label="Preview URL"
              hint="The page affiliates look at before promoting. Optional."
              inputProps={{ inputMode: 'url', spellCheck: false, placeholder: 'https://shop.example.com/' }}
            />
            <Field
              meta={fields.fallbackUrl}
              label="Fallback URL"
              hint="Where capped, paused, untargeted or refused clicks go. Optional."
              inputProps={{ inputMode: 'url', spellCheck: false, placeholder: 'https://shop.example.com/' }}
            />
          </div>
          <div className="grid gap-3 rounded-lg border p-4">
            <CheckboxField
              meta={fields.deepLinksAllowed}
              label="Allow deep links"
              hint="Affiliates may send visitors to a specific page of the advertiser (url= on their link)."
            />
            {fields.deepLinksAllowed.value === 'on' ? (
              <TextareaField
                meta={fields.deepLinkHosts}
                label="Allowed hosts"
                hint="One per line; *.example.com covers its subdomains. Empty: only the destination’s host."
                textareaProps={{ rows: 3, spellCheck: false, className: 'font-mono text-xs' }}
              />
            ) : (
              <input
                type="hidden"
                name={fields.deepLinkHosts.name}
                value={fields.deepLinkHosts.value ?? ''}
              />
            )}
          </div>
        </FormSection>

        <LandingPages form={form} field={fields.landingPages} />

        <FormSection
          id="conversions"
          title="Conversions"
          description="The events the advertiser reports, how long a click can earn them, and who may report them."
        >
          <div className="grid gap-5 sm:grid-cols-2">
            <Field
              meta={fields.events}
              label="Events"
              hint="Comma-separated: lowercase letters, digits and _. E.g. conversion, lead, sale"
              inputProps={{ autoComplete: 'off', spellCheck: false }}
            />
            <DefaultEventSelect meta={fields.defaultEvent} events={fields.events.value} />
          </div>
          <div className="grid gap-5 sm:grid-cols-2">
            <AffixField
              meta={fields.attributionWindowHours}
              label="Attribution window"
              type="number"
              suffix="hours"
              hint={(() => {
                const hours = Number(fields.attributionWindowHours.value);
                return Number.isInteger(hours) && hours > 0
                  ? `${formatHours(hours)} after the click`
                  : 'How long after a click a conversion is credited to it';
              })()}
              inputProps={{ min: 1, max: 8760, step: 1 }}
            />
            <SelectField
              meta={fields.conversionSources}
              label="Accepted conversion sources"
              hint={
                offer
                  ? `Accepted now: ${SOURCES_LABEL[offer.acceptedConversionSources].toLowerCase()}.`
                  : 'Default: both, or postbacks only once a secret or IP allowlist is set.'
              }
              options={[
                { value: 'default', label: 'Default (by postback security)' },
                { value: 'postback', label: SOURCES_LABEL.postback },
                { value: 'pixel', label: SOURCES_LABEL.pixel },
                { value: 'postback_and_pixel', label: SOURCES_LABEL.postback_and_pixel },
              ]}
            />
          </div>
          <PostbackSecret
            mode={mode}
            hasSecret={offer?.hasPostbackSecret ?? false}
            modeMeta={fields.postbackSecretMode}
            secretMeta={fields.postbackSecret}
          />
          <TextareaField
            meta={fields.postbackIpAllowlist}
            label="Postback IP allowlist"
            hint="One address or CIDR range per line. When set, advertiser postbacks are taken only from these."
            textareaProps={{
              rows: 3,
              spellCheck: false,
              className: 'font-mono text-xs',
              placeholder: '203.0.113.0/24',
            }}
          />
        </FormSection>

        <FormSection
          id="targeting"
          title="Targeting"
          description="Who may see the destination. Visitors outside go to the fallback. Empty means any."
        >
          <Field
            meta={fields.countries}
            label="Countries"
            hint="ISO codes, comma-separated, e.g. US, GB, DE. Empty: every country."
            inputProps={{ autoComplete: 'off', spellCheck: false, className: 'uppercase' }}
          />
          <CheckboxGroup
            meta={fields.devices}
            legend="Devices"
            hint="None checked: every device."
            options={Object.entries(DEVICE_LABEL).map(([value, label]) => ({ value, label }))}
          />
          <CheckboxGroup
            meta={fields.operatingSystems}
            legend="Operating systems"
            hint="None checked: every system."
            options={Object.entries(OS_LABEL).map(([value, label]) => ({ value, label }))}
          />
        </FormSection>

        <Caps form={form} field={fields.caps} />

        <Fraud field={fields.fraud} />

        <Privacy field={fields.privacy} />

        <div className="sticky bottom-0 z-10 -mx-1 grid gap-3 border-t bg-background/95 px-1 py-3 backdrop-blur supports-[backdrop-filter]:bg-background/85">
          <FormErrors errors={form.errors} />
          <div className="flex items-center justify-between gap-3">
            <p className="hidden text-xs text-muted-foreground sm:block">
              {Object.keys(errorsBySection).length > 0
                ? 'Some fields need attention: see the sections marked in red.'
                : mode === 'edit'
                  ? 'Changes reach the edge at once; payout changes apply to new clicks.'
                  : 'Active and paused offers are published to the edge at once.'}
            </p>
            <div className="ml-auto flex gap-2">
              <Button asChild variant="outline">
                <Link to={cancelTo}>Cancel</Link>
              </Button>
              <SubmitButton>{mode === 'edit' ? 'Save changes' : 'Create offer'}</SubmitButton>
            </div>
          </div>
        </div>
      </div>
    </Form>
  );
}

function MarginLine({
  payout,
  revenue,
  revshare,
  currency,
}: {
  payout: string | undefined;
  revenue: string | undefined;
  revshare: boolean;
  currency: string;
}) {
  const p = revshare ? parsePercentText(payout ?? '') : parseMoneyText(payout ?? '', currency);
  const r = revshare ? parsePercentText(revenue ?? '') : parseMoneyText(revenue ?? '', currency);
  if (!p.ok || !r.ok) return null;
  const margin = r.value - p.value;
  const text = revshare
    ? `${margin < 0 ? '-' : ''}${percentText(Math.abs(margin))}% of each sale`
    : `${margin < 0 ? '-' : ''}${currencyAdornment(currency)}${moneyText(Math.abs(margin), currency)} per event`;
  return (
    <p
      className={cn('text-sm', margin < 0 ? 'text-destructive' : 'text-muted-foreground')}
      aria-live="polite"
    >
      Network margin: <span className="font-medium tabular-nums">{text}</span>
      {margin < 0 ? ' — the payout is higher than the revenue.' : ''}
    </p>
  );
}

function DefaultEventSelect({
  meta,
  events,
}: {
  meta: Meta<string | undefined>;
  events: string | undefined;
}) {
  const names = [
    ...new Set(
      (events ?? '')
        .split(/[\s,;]+/)
        .map((name) => name.trim().toLowerCase())
        .filter(Boolean),
    ),
  ];
  // An event no longer in the list cannot stay the default: the first one takes its place.
  const options = names;
  return (
    <SelectField
      key={options.join(',')}
      meta={meta}
      label="Default event"
      hint="Used when a postback names no event."
      options={(options.length > 0 ? options : ['conversion']).map((name) => ({ value: name, label: name }))}
    />
  );
}

function PostbackSecret({
  mode,
  hasSecret,
  modeMeta,
  secretMeta,
}: {
  mode: 'create' | 'edit';
  hasSecret: boolean;
  modeMeta: Meta<OfferFormInput['postbackSecretMode']>;
  secretMeta: Meta<string | undefined>;
}) {
  const choices =
    mode === 'edit' && hasSecret
      ? [
          { value: 'keep', label: 'Keep the current secret' },
          { value: 'set', label: 'Replace it' },
          { value: 'clear', label: 'Remove it' },
        ]
      : [
          { value: mode === 'edit' ? 'keep' : 'clear', label: 'No secret' },
          { value: 'set', label: 'Set a secret' },
        ];
  const chosen = modeMeta.value ?? modeMeta.initialValue;
  return (
    <fieldset className="grid gap-3 rounded-lg border p-4" aria-describedby={`${modeMeta.id}-hint`}>
      <legend className="flex items-center gap-2 px-1 text-sm font-medium">
        <KeyRoundIcon className="size-4 text-muted-foreground" aria-hidden />
        Postback secret
        <span className="font-normal text-muted-foreground">
          · {hasSecret ? 'a secret is set' : 'none set'}
        </span>
      </legend>
      <p id={`${modeMeta.id}-hint`} className="-mt-1 text-xs text-muted-foreground">
        Postbacks must carry it (secret=…). It is never shown again once saved.
      </p>
      <div className="flex flex-wrap gap-2">
        {getCollectionProps(modeMeta, { type: 'radio', options: choices.map((choice) => choice.value) }).map(
          (props) => (
            <label
              key={props.key}
              htmlFor={props.id}
              className="inline-flex cursor-pointer items-center gap-2 rounded-md border bg-card px-2.5 py-1.5 text-sm has-[:checked]:border-primary has-[:checked]:bg-primary/8 has-[:focus-visible]:ring-2 has-[:focus-visible]:ring-ring"
            >
              <input {...props} key={props.key} className="size-3.5 accent-primary" />
              {choices.find((choice) => choice.value === props.value)?.label}
            </label>
          ),
        )}
      </div>
      {chosen === 'set' ? (
        <div className="grid gap-1.5">
          <Label htmlFor={secretMeta.id}>New secret</Label>
          <div className="flex gap-2">
            <Input
              {...getInputProps(secretMeta, { type: 'text' })}
              autoComplete="off"
              spellCheck={false}
              className="font-mono text-xs"
              placeholder="8 to 128 characters"
            />
            <Button
              type="button"
              variant="outline"
              onClick={() => setInputValue(secretMeta.id, randomSecret())}
            >
              Generate
            </Button>
          </div>
          <FieldErrors id={secretMeta.errorId} errors={secretMeta.errors} />
        </div>
      ) : null}
    </fieldset>
  );
}

type FormHandle = FormMetadata<OfferFormInput, string[]>;
type Meta<T> = FieldMetadata<T, OfferFormInput, string[]>;

function LandingPages({ form, field }: { form: FormHandle; field: Meta<OfferFormInput['landingPages']> }) {
  const pages = field.getFieldList();
  const weights = pages.map((page) => {
    const weight = Number(page.getFieldset().weight.value);
    return Number.isInteger(weight) && weight > 0 ? weight : 0;
  });
  const total = weights.reduce((sum, weight) => sum + weight, 0);
  return (
    <FormSection
      id="landing-pages"
      title="Landing pages"
      description="Split traffic between pages by weight. Without any, every click goes to the destination URL."
      actions={
        <Button
          variant="outline"
          size="sm"
          {...form.insert.getButtonProps({
            name: field.name,
            defaultValue: { name: '', url: '', weight: '1' },
          })}
        >
          <PlusIcon aria-hidden />
          Add page
        </Button>
      }
    >
      {pages.length === 0 ? (
        <p className="text-sm text-muted-foreground">
          No landing pages: every click goes to the destination URL.
        </p>
      ) : (
        <ol className="grid gap-3">
          {pages.map((page, index) => {
            const item = page.getFieldset();
            const share = total > 0 ? (weights[index] ?? 0) / total : 0;
            return (
              <li key={page.key} className="grid gap-3 rounded-lg border p-3">
                <input {...getInputProps(item.id, { type: 'hidden' })} />
                <div className="flex items-center justify-between gap-2">
                  <span className="text-xs font-medium text-muted-foreground">
                    Page {index + 1} ·{' '}
                    <span className="tabular-nums text-foreground">{(share * 100).toFixed(1)}%</span> of
                    traffic
                  </span>
                  <div className="flex gap-1">
                    <Button
                      variant="ghost"
                      size="icon"
                      className="size-7"
                      aria-label={`Move page ${index + 1} up`}
                      disabled={index === 0}
                      {...form.reorder.getButtonProps({ name: field.name, from: index, to: index - 1 })}
                    >
                      <ArrowUpIcon aria-hidden />
                    </Button>
                    <Button
                      variant="ghost"
                      size="icon"
                      className="size-7"
                      aria-label={`Move page ${index + 1} down`}
                      disabled={index === pages.length - 1}
                      {...form.reorder.getButtonProps({ name: field.name, from: index, to: index + 1 })}
                    >
                      <ArrowDownIcon aria-hidden />
                    </Button>
                    <Button
                      variant="ghost"
                      size="icon"
                      className="size-7 text-muted-foreground hover:text-destructive"
                      aria-label={`Remove page ${index + 1}`}
                      {...form.remove.getButtonProps({ name: field.name, index })}
                    >
                      <Trash2Icon aria-hidden />
                    </Button>
                  </div>
                </div>
                <div className="grid gap-3 sm:grid-cols-[12rem_minmax(0,1fr)_7rem]">
                  <Field meta={item.name} label="Name" inputProps={{ autoComplete: 'off' }} />
                  <Field
                    meta={item.url}
                    label="URL"
                    inputProps={{ inputMode: 'url', spellCheck: false, className: 'font-mono text-xs' }}
                  />
                  <Field
                    meta={item.weight}
                    label="Weight"
                    type="number"
                    inputProps={{ min: 1, max: 10000 }}
                  />
                </div>
                <div className="h-1 overflow-hidden rounded-full bg-muted" aria-hidden>
                  <div className="h-full bg-primary/70" style={{ width: `${share * 100}%` }} />
                </div>
              </li>
            );
          })}
        </ol>
      )}
      <FieldErrors id={field.errorId} errors={field.errors} />
    </FormSection>
  );
}

type CapsInput = NonNullable<OfferFormInput['caps']>;

function LimitInputs({
  legend,
  hint,
  field,
}: {
  legend: string;
  hint: string;
  field: Meta<CapsInput['offer']>;
}) {
  const limits = field.getFieldset();
  return (
    <fieldset className="grid gap-3">
      <legend className="mb-1 text-sm font-medium">
        {legend} <span className="font-normal text-muted-foreground">· {hint}</span>
      </legend>
      <div className="grid grid-cols-2 gap-3 lg:grid-cols-4">
        {CAP_KEYS.map((key) => (
          <Field
            key={key}
            meta={limits[key]}
            label={CAP_LABEL[key]}
            type="number"
            inputProps={{ min: 0, placeholder: 'No cap', inputMode: 'numeric' }}
          />
        ))}
      </div>
    </fieldset>
  );
}

function Caps({ form, field }: { form: FormHandle; field: Meta<OfferFormInput['caps']> }) {
  const caps = field.getFieldset();
  const overrides = caps.affiliateOverrides.getFieldList();
  return (
    <FormSection
      id="caps"
      title="Caps"
      description="Enforced at the edge per UTC day and month. Over a cap, clicks go to the fallback. Empty: no cap."
    >
      <LimitInputs legend="Whole offer" hint="across all affiliates" field={caps.offer} />
      <LimitInputs legend="Each affiliate" hint="unless overridden below" field={caps.perAffiliate} />
      <div className="grid gap-3">
        <div className="flex items-center justify-between gap-2">
          <h4 className="text-sm font-medium">Affiliate overrides</h4>
          <Button
            variant="outline"
            size="sm"
            {...form.insert.getButtonProps({
              name: caps.affiliateOverrides.name,
              defaultValue: { affiliateId: '' },
            })}
          >
            <PlusIcon aria-hidden />
            Add override
          </Button>
        </div>
        {overrides.length === 0 ? (
          <p className="text-sm text-muted-foreground">Every affiliate has the caps above.</p>
        ) : (
          <ol className="grid gap-3">
            {overrides.map((override, index) => {
              const item = override.getFieldset();
              return (
                <li key={override.key} className="grid gap-3 rounded-lg border p-3">
                  <div className="flex items-end justify-between gap-2">
                    <Field
                      meta={item.affiliateId}
                      label="Affiliate id"
                      type="number"
                      className="w-40"
                      inputProps={{ min: 1, inputMode: 'numeric' }}
                    />
                    <Button
                      variant="ghost"
                      size="icon"
                      className="size-8 text-muted-foreground hover:text-destructive"
                      aria-label={`Remove cap override ${index + 1}`}
                      {...form.remove.getButtonProps({ name: caps.affiliateOverrides.name, index })}
                    >
                      <Trash2Icon aria-hidden />
                    </Button>
                  </div>
                  <div className="grid grid-cols-2 gap-3 lg:grid-cols-4">
                    {CAP_KEYS.map((key) => (
                      <Field
                        key={key}
                        meta={item[key]}
                        label={CAP_LABEL[key]}
                        type="number"
                        inputProps={{ min: 0, placeholder: 'No cap', inputMode: 'numeric' }}
                      />
                    ))}
                  </div>
                </li>
              );
            })}
          </ol>
        )}
      </div>
    </FormSection>
  );
}

function Fraud({ field }: { field: Meta<OfferFormInput['fraud']> }) {
  const fraud = field.getFieldset();
  return (
    <FormSection
      id="fraud"
      title="Fraud rules"
      description="Checked at the edge on every click and conversion, on top of the network’s blocklists."
    >
      <div className="grid gap-5 sm:grid-cols-2">
        <AffixField
          meta={fraud.duplicateClickWindowSeconds}
          label="Duplicate click window"
          type="number"
          suffix="seconds"
          hint="Same IP, offer and affiliate within it is a duplicate. 0: off."
          inputProps={{ min: 0, max: 2_592_000 }}
        />
        <AffixField
          meta={fraud.maxClicksPerIpPerMinute}
          label="IP velocity limit"
          type="number"
          suffix="clicks/min"
          hint="Per IP across the network’s offers. Empty: no limit."
          inputProps={{ min: 1, max: 100_000, placeholder: 'No limit' }}
        />
        <AffixField
          meta={fraud.minSecondsToConvert}
          label="Minimum time to convert"
          type="number"
          suffix="seconds"
          hint="Faster conversions are flagged. Empty: not checked."
          inputProps={{ min: 0, placeholder: 'Not checked' }}
        />
        <AffixField
          meta={fraud.maxSecondsToConvert}
          label="Maximum time to convert"
          type="number"
          suffix="seconds"
          hint="Slower conversions are flagged. Empty: not checked."
          inputProps={{ min: 0, placeholder: 'Not checked' }}
        />
      </div>
      <SelectField
        meta={fraud.action}
        label="What happens to flagged clicks"
        className="sm:max-w-sm"
        options={[
          { value: 'flag', label: 'Record and redirect as usual' },
          { value: 'fallback', label: 'Record and send to the fallback' },
        ]}
      />
      <div className="grid gap-5 sm:grid-cols-2">
        <TextareaField
          meta={fraud.blockedIps}
          label="Blocked IPs"
          hint="One address or CIDR range per line."
          textareaProps={{
            rows: 4,
            spellCheck: false,
            className: 'font-mono text-xs',
            placeholder: '198.51.100.7',
          }}
        />
        <TextareaField
          meta={fraud.blockedUserAgents}
          label="Blocked user agents"
          hint="One per line; matched case-insensitively anywhere in the user agent."
          textareaProps={{
            rows: 4,
            spellCheck: false,
            className: 'font-mono text-xs',
            placeholder: 'HeadlessChrome',
          }}
        />
      </div>
    </FormSection>
  );
}

const FOLLOW_NETWORK = { value: 'network', label: 'As the network settings say' };

function Privacy({ field }: { field: Meta<OfferFormInput['privacy']> }) {
  const privacy = field.getFieldset();
  return (
    <FormSection
      id="privacy"
      title="Privacy"
      description="What the edge keeps of each visitor and when it may store or forward: the network’s settings unless set here."
    >
      <div className="grid gap-5 sm:grid-cols-2">
        <SelectField
          meta={privacy.ipMode}
          label="IP addresses"
          hint="Blocklists and geo use the whole IP first; counters, dedupe and stored rows get only this."
          options={[
            FOLLOW_NETWORK,
            { value: 'full', label: 'Keep whole' },
            { value: 'truncated', label: 'Truncate (IPv4 /24, IPv6 /48)' },
            { value: 'hashed', label: 'Keyed hash (dedupe and velocity still work)' },
          ]}
        />
        <SelectField
          meta={privacy.userAgentMode}
          label="User agents"
          hint="Bots are detected on the whole user agent first."
          options={[
            FOLLOW_NETWORK,
            { value: 'full', label: 'Keep whole' },
            { value: 'parsed', label: 'Only browser family, OS and device' },
          ]}
        />
        <SelectField
          meta={privacy.consentRequired}
          label="Click cookie"
          hint="With consent required, no cookie (nor /t.js storage) unless the visit carries consent."
          options={[
            FOLLOW_NETWORK,
            { value: 'no', label: 'Always set it' },
            { value: 'yes', label: 'Only with the visitor’s consent' },
          ]}
        />
        <SelectField
          meta={privacy.forwardEuVisitors}
          label="EU/EEA/UK visitors and ad platforms"
          hint="By the click’s country. Kept out, their conversions are counted but not forwarded."
          options={[
            FOLLOW_NETWORK,
            { value: 'no', label: 'Keep them out of forwarding' },
            { value: 'yes', label: 'Forward their conversions' },
          ]}
        />
      </div>
    </FormSection>
  );
}
