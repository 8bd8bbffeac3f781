import { SparklesIcon } from 'lucide-react';
import { type ReactNode, useState } from 'react';
import { Form, Link } from 'react-router';
import { z } from 'zod';
import { FieldErrors, FormErrors, SubmitButton } from '~/components/form';
import { Input } from '~/components/ui/input';
import { Label } from '~/components/ui/label';
import { NativeSelect } from '~/components/ui/native-select';
import { cn } from '~/lib/utils';
import {
  type BrandKit,
  LAYOUT_IDS,
  LAYOUTS,
  PLACEMENT_IDS,
  PLACEMENTS,
  PROVIDER_IDS,
  PROVIDERS,
  VIDEO_PLACEMENT_IDS,
} from './studio-options';

const id = z
  .string('Choose one')
  .regex(/^[1-9]\d{0,9}$/, 'Choose one')
  .transform(Number);
const optionalText = (max: number, message: string) =>
  z
    .string()
    .trim()
    .max(max, message)
    .optional()
    .transform((v) => (v ? v : undefined));

/** The studio's form as the server reads it, with the job API's rules (creative-job-service.ts). */
export const studioJobSchema = z
  .object({
    campaignId: id,
    brandKitId: id,
    provider: z.enum(PROVIDER_IDS).default('templates'),
    kind: z.enum(['image', 'video']).default('image'),
    layout: z.enum(LAYOUT_IDS).optional(),
    placements: z.array(z.enum(PLACEMENT_IDS)).min(1, 'Choose at least one placement'),
    headline: z.string().trim().min(1, 'Write a headline').max(200, '200 characters at most'),
    subline: optionalText(300, '300 characters at most'),
    callToAction: z.string().trim().min(1, 'Write the button’s words').max(40, '40 characters at most'),
    prompt: optionalText(2000, '2,000 characters at most'),
  })
  .superRefine((r, ctx) => {
    if (r.kind === 'video' && r.placements.some((p) => !VIDEO_PLACEMENT_IDS.includes(p)))
      ctx.addIssue({
        code: 'custom',
        path: ['placements'],
        message: `Videos come in ${VIDEO_PLACEMENT_IDS.join(' and ')} only`,
      });
  });
export type StudioFields = keyof z.input<typeof studioJobSchema>;
export type StudioFormResult = {
  ok: false;
  fieldErrors: Partial<Record<StudioFields, string[]>>;
  formErrors: string[];
};

/** FormData to the schema's input (placements come as repeated checkboxes). */
export function studioFormInput(form: FormData) {
  const text = (name: string) => {
    const value = form.get(name);
    return typeof value === 'string' && value !== '' ? value : undefined;
  };
  return {
    campaignId: text('campaignId'),
    brandKitId: text('brandKitId'),
    provider: text('provider'),
    kind: text('kind'),
    layout: text('layout'),
    placements: form.getAll('placements').filter((p) => typeof p === 'string'),
    headline: text('headline') ?? '',
    subline: text('subline'),
    callToAction: text('callToAction') ?? '',
    prompt: text('prompt'),
  };
}

/** The job request the form makes: the API's body, copy grouped, layout for templates only. */
export function studioJobBody(input: z.output<typeof studioJobSchema>) {
  return {
    campaignId: input.campaignId,
    brandKitId: input.brandKitId,
    provider: input.provider,
    kind: input.kind,
    copy: {
      headline: input.headline,
      callToAction: input.callToAction,
      ...(input.subline ? { subline: input.subline } : {}),
    },
    ...(input.provider === 'templates' ? { layout: input.layout ?? 'bold-split' } : {}),
    ...(input.provider !== 'templates' && input.prompt ? { prompt: input.prompt } : {}),
    placements: input.placements,
    format: 'png' as const,
  };
}

function Control({
  id,
  label,
  hint,
  errors,
  children,
  className,
}: {
  id: string;
  label: string;
  hint?: ReactNode;
  errors?: string[] | undefined;
  children: ReactNode;
  className?: string;
}) {
  return (
    <div className={cn('grid content-start gap-1.5', className)}>
      <Label htmlFor={id}>{label}</Label>
      {children}
      {hint ? <p className="text-xs text-muted-foreground">{hint}</p> : null}
      <FieldErrors errors={errors} />
    </div>
  );
}

export function StudioForm({
  campaigns,
  kits,
  defaults,
  result,
}: {
  campaigns: { id: number; name: string; advertiserId: number }[];
  kits: BrandKit[];
  defaults: { campaignId: string; brandKitId: string };
  result: StudioFormResult | undefined;
}) {
  const errors = result?.fieldErrors ?? {};
  const [campaignId, setCampaignId] = useState(defaults.campaignId);
  // A job pairs a campaign with a kit of the same advertiser (admins see every advertiser's).
  const advertiserId = campaigns.find((c) => String(c.id) === campaignId)?.advertiserId;
  const usableKits = advertiserId === undefined ? kits : kits.filter((k) => k.advertiserId === advertiserId);
  const [kind, setKind] = useState<'image' | 'video'>('image');
  const [provider, setProvider] = useState<string>('templates');
  const [layout, setLayout] = useState<string>('bold-split');
  const [placements, setPlacements] = useState<Set<string>>(new Set(PLACEMENT_IDS));
  const allowed = (p: string) => kind === 'image' || VIDEO_PLACEMENT_IDS.includes(p as never);
  const paid = PROVIDERS.find((p) => p.id === provider)?.paid ?? false;

  return (
    <Form method="post" className="grid gap-5">
      <input type="hidden" name="intent" value="generate" />
      <div className="grid gap-4 sm:grid-cols-2">
        <Control id="studio-campaign" label="Campaign" errors={errors.campaignId}>
          <NativeSelect
            id="studio-campaign"
            name="campaignId"
            value={campaignId}
            onChange={(e) => setCampaignId(e.target.value)}
          >
            <option value="">Choose a campaign</option>
            {campaigns.map((c) => (
              <option key={c.id} value={c.id}>
                {c.name}
              </option>
            ))}
          </NativeSelect>
        </Control>
        <Control
          id="studio-brand-kit"
          label="Brand kit"
          errors={errors.brandKitId}
          hint={
            <Link to="/creatives/brand-kit" className="hover:underline">
              Edit brand kits
            </Link>
          }
        >
          <NativeSelect id="studio-brand-kit" name="brandKitId" defaultValue={defaults.brandKitId}>
            <option value="">Choose a brand kit</option>
            {usableKits.map((k) => (
              <option key={k.id} value={k.id}>
                {k.name} (v{k.version})
              </option>
            ))}
          </NativeSelect>
        </Control>
        <Control
          id="studio-provider"
          label="Provider"
          errors={errors.provider}
          hint={
            paid
              ? 'Paid: the job shows its cost estimate before anything is spent. Refused if this server has no key for it.'
              : 'Rendered here from your brand kit; no cost.'
          }
        >
          <NativeSelect
            id="studio-provider"
            name="provider"
            value={provider}
            onChange={(e) => setProvider(e.target.value)}
          >
            {PROVIDERS.map((p) => (
              <option key={p.id} value={p.id}>
                {p.name}
              </option>
            ))}
          </NativeSelect>
        </Control>
        <Control id="studio-kind" label="Kind" errors={errors.kind}>
          <NativeSelect
            id="studio-kind"
            name="kind"
            value={kind}
            onChange={(e) => {
              const next = e.target.value === 'video' ? 'video' : 'image';
              setKind(next);
              if (next === 'video')
                setPlacements(
                  new Set([...placements].filter((p) => VIDEO_PLACEMENT_IDS.includes(p as never))),
                );
            }}
          >
            <option value="image">Image (PNG)</option>
            <option value="video">Video (6 s MP4)</option>
          </NativeSelect>
        </Control>
      </div>

      {provider === 'templates' ? (
        <fieldset>
          <legend className="mb-2 text-sm font-medium">Layout</legend>
          <div className="grid gap-2 sm:grid-cols-2 xl:grid-cols-4">
            {LAYOUTS.map((l) => (
              <label
                key={l.id}
                className={cn(
                  'grid cursor-pointer gap-0.5 rounded-lg border p-3 text-sm has-[:focus-visible]:ring-2 has-[:focus-visible]:ring-ring',
                  layout === l.id ? 'border-primary bg-primary/5' : 'hover:bg-muted/60',
                )}
              >
                <span className="flex items-center gap-2 font-medium">
                  <input
                    type="radio"
                    name="layout"
                    value={l.id}
                    checked={layout === l.id}
                    onChange={() => setLayout(l.id)}
                    className="size-3.5 accent-[var(--color-primary)]"
                  />
                  {l.name}
                </span>
                <span className="text-xs text-muted-foreground">{l.hint}</span>
              </label>
            ))}
          </div>
          <FieldErrors errors={errors.layout} />
        </fieldset>
      ) : (
        <Control
          id="studio-prompt"
          label="Prompt"
          errors={errors.prompt}
          hint="What the picture shows; the brand kit’s colours, tone and banned words are added for you."
        >
          <textarea
            id="studio-prompt"
            name="prompt"
            rows={3}
            maxLength={2000}
            placeholder="A sunlit kitchen, a steaming mug on the counter"
            className="w-full rounded-md border border-input bg-transparent px-3 py-2 text-sm shadow-xs focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-ring"
          />
        </Control>
      )}

      <fieldset>
        <legend className="mb-2 text-sm font-medium">Placements</legend>
        <div className="grid gap-2 sm:grid-cols-2 xl:grid-cols-4">
          {PLACEMENTS.map((p) => {
            const enabled = allowed(p.id);
            return (
              <label
                key={p.id}
                className={cn(
                  'flex items-center gap-2 rounded-md border px-3 py-2 text-sm',
                  enabled ? 'cursor-pointer hover:bg-muted/60' : 'opacity-50',
                )}
              >
                <input
                  type="checkbox"
                  name="placements"
                  value={p.id}
                  disabled={!enabled}
                  checked={enabled && placements.has(p.id)}
                  onChange={(e) => {
                    const next = new Set(placements);
                    if (e.target.checked) next.add(p.id);
                    else next.delete(p.id);
                    setPlacements(next);
                  }}
                  className="size-3.5 accent-[var(--color-primary)]"
                />
                <span className="font-mono">{p.id}</span>
                <span className="truncate text-xs text-muted-foreground">{p.name}</span>
              </label>
            );
          })}
        </div>
        <FieldErrors errors={errors.placements} />
      </fieldset>

      <div className="grid gap-4 sm:grid-cols-[2fr_2fr_1fr]">
        <Control id="studio-headline" label="Headline" errors={errors.headline}>
          <Input id="studio-headline" name="headline" maxLength={200} autoComplete="off" />
        </Control>
        <Control id="studio-subline" label="Subline (optional)" errors={errors.subline}>
          <Input id="studio-subline" name="subline" maxLength={300} autoComplete="off" />
        </Control>
        <Control id="studio-cta" label="Call to action" errors={errors.callToAction}>
          <Input
            id="studio-cta"
            name="callToAction"
            maxLength={40}
            autoComplete="off"
            placeholder="Shop now"
          />
        </Control>
      </div>
      <FormErrors errors={result?.formErrors} />
      <div className="flex justify-end border-t pt-4">
        <SubmitButton intent="generate">
          <SparklesIcon aria-hidden />
          Generate
        </SubmitButton>
      </div>
    </Form>
  );
}
