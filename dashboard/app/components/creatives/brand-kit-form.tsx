import { PlusIcon, XIcon } from 'lucide-react';
import { type KeyboardEvent, useId, useState } from 'react';
import { Form } from 'react-router';
import { z } from 'zod';
import { FieldErrors, FormErrors, SubmitButton } from '~/components/form';
import { Button } from '~/components/ui/button';
import { Input } from '~/components/ui/input';
import { Label } from '~/components/ui/label';
import { NativeSelect } from '~/components/ui/native-select';
import { type BrandKit, FONT_IDS, FONTS } from './studio-options';

const hex = z
  .string()
  .trim()
  .regex(/^#[0-9a-fA-F]{6}$/, 'A colour as #rrggbb')
  .transform((v) => v.toLowerCase());
const optionalId = z
  .string()
  .regex(/^[1-9]\d{0,9}$/)
  .transform(Number)
  .optional()
  .or(z.literal('').transform(() => undefined));

/** The brand kit form as the server reads it (the API's rules: control-plane render/brand-kit.ts). */
export const brandKitFormSchema = z.object({
  kitId: optionalId,
  advertiserId: optionalId,
  name: z.string('Name the brand').trim().min(1, 'Name the brand').max(60, '60 characters at most'),
  primary: hex,
  secondary: hex,
  background: hex,
  text: hex,
  font: z.enum(FONT_IDS, 'Choose one of the fonts'),
  tone: z.string().trim().max(300, '300 characters at most').optional(),
  bannedWords: z
    .array(z.string().trim().min(1).max(80, 'A banned word has 80 characters at most'))
    .max(500, '500 words at most'),
  removeLogo: z.literal('on').optional(),
});
export type BrandKitFormFields = keyof z.input<typeof brandKitFormSchema> | 'logo';
export type BrandKitFormResult = {
  ok: false;
  fieldErrors: Partial<Record<BrandKitFormFields, string[]>>;
  formErrors: string[];
};

/** FormData to the schema's input: banned words come as repeated fields, blank ones dropped. */
export function brandKitFormInput(form: FormData) {
  const text = (name: string) => {
    const value = form.get(name);
    return typeof value === 'string' ? value : undefined;
  };
  return {
    kitId: text('kitId') ?? '',
    advertiserId: text('advertiserId') ?? '',
    name: text('name'),
    primary: text('primary'),
    secondary: text('secondary'),
    background: text('background'),
    text: text('text'),
    font: text('font'),
    tone: text('tone') || undefined,
    bannedWords: form
      .getAll('bannedWords')
      .filter((w): w is string => typeof w === 'string' && w.trim() !== ''),
    removeLogo: text('removeLogo'),
  };
}

const COLOURS = [
  { name: 'primary', label: 'Primary', hint: 'Panels, gradients' },
  { name: 'secondary', label: 'Accent', hint: 'Buttons, badges' },
  { name: 'background', label: 'Background', hint: 'Cards, backdrops' },
  { name: 'text', label: 'Text', hint: 'On the background' },
] as const;

const DEFAULT_COLOURS = { primary: '#4f46e5', secondary: '#f59e0b', background: '#ffffff', text: '#111827' };

function ColourField({
  name,
  label,
  hint,
  defaultValue,
  errors,
}: {
  name: string;
  label: string;
  hint: string;
  defaultValue: string;
  errors: string[] | undefined;
}) {
  const id = useId();
  const [value, setValue] = useState(defaultValue);
  const valid = /^#[0-9a-fA-F]{6}$/.test(value);
  return (
    <div className="grid content-start gap-1.5">
      <Label htmlFor={id}>{label}</Label>
      <div className="flex items-center gap-2">
        <input
          type="color"
          aria-label={`${label} colour picker`}
          value={valid ? value.toLowerCase() : '#000000'}
          onChange={(e) => setValue(e.target.value)}
          className="h-9 w-10 shrink-0 cursor-pointer rounded-md border bg-transparent p-0.5"
        />
        <Input
          id={id}
          name={name}
          value={value}
          onChange={(e) => setValue(e.target.value)}
          maxLength={7}
          spellCheck={false}
          autoComplete="off"
          className="font-mono uppercase"
          aria-invalid={errors ? true : undefined}
          aria-describedby={`${id}-hint`}
        />
      </div>
      <p id={`${id}-hint`} className="text-xs text-muted-foreground">
        {hint}
      </p>
      <FieldErrors errors={errors} />
    </div>
  );
}

function BannedWords({ defaultValue, errors }: { defaultValue: string[]; errors: string[] | undefined }) {
  const id = useId();
  const [words, setWords] = useState(defaultValue);
  const [draft, setDraft] = useState('');
  const add = () => {
    const word = draft.trim();
    if (word && !words.some((w) => w.toLowerCase() === word.toLowerCase())) setWords([...words, word]);
    setDraft('');
  };
  const onKey = (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.key === 'Enter' || e.key === ',') {
      e.preventDefault();
      add();
    }
  };
  return (
    <div className="grid gap-1.5">
      <Label htmlFor={id}>Banned words</Label>
      <div className="flex gap-2">
        <Input
          id={id}
          value={draft}
          onChange={(e) => setDraft(e.target.value)}
          onKeyDown={onKey}
          maxLength={80}
          placeholder="A word or phrase, then Enter"
          autoComplete="off"
          aria-describedby={`${id}-hint`}
        />
        <Button type="button" variant="outline" onClick={add} disabled={!draft.trim()}>
          <PlusIcon aria-hidden />
          Add
        </Button>
      </div>
      <p id={`${id}-hint`} className="text-xs text-muted-foreground">
        No creative of this brand may use them: a job whose copy or AI output has one fails.
      </p>
      {words.length > 0 ? (
        <ul className="flex flex-wrap gap-1.5" aria-label="Words never to use">
          {words.map((word) => (
            <li
              key={word}
              className="inline-flex items-center gap-1 rounded-full border bg-muted/60 py-0.5 pr-1 pl-2.5 text-xs"
            >
              {word}
              <input type="hidden" name="bannedWords" value={word} />
              <button
                type="button"
                onClick={() => setWords(words.filter((w) => w !== word))}
                className="rounded-full p-0.5 text-muted-foreground hover:bg-muted hover:text-foreground"
                aria-label={`Remove ${word}`}
              >
                <XIcon className="size-3" aria-hidden />
              </button>
            </li>
          ))}
        </ul>
      ) : null}
      <FieldErrors errors={errors} />
    </div>
  );
}

/** Creating a brand kit (kit null) or saving a new version of one. */
export function BrandKitForm({
  kit,
  logoUrl,
  advertisers,
  result,
}: {
  kit: BrandKit | null;
  logoUrl: string | null;
  /** Admins creating a kit choose whose it is. */
  advertisers: { id: number; name: string }[] | null;
  result: BrandKitFormResult | undefined;
}) {
  const errors = result?.fieldErrors ?? {};
  const colours = kit?.colors ?? DEFAULT_COLOURS;
  return (
    <Form
      method="post"
      encType="multipart/form-data"
      className="grid gap-5"
      key={`${kit?.id}-${kit?.version}`}
    >
      {kit ? <input type="hidden" name="kitId" value={kit.id} /> : null}
      {!kit && advertisers ? (
        <div className="grid gap-1.5">
          <Label htmlFor="brand-kit-advertiser">Advertiser</Label>
          <NativeSelect id="brand-kit-advertiser" name="advertiserId" defaultValue="">
            <option value="">Choose the advertiser</option>
            {advertisers.map((a) => (
              <option key={a.id} value={a.id}>
                {a.name}
              </option>
            ))}
          </NativeSelect>
          <FieldErrors errors={errors.advertiserId} />
        </div>
      ) : null}
      <div className="grid gap-1.5">
        <Label htmlFor="brand-kit-name">Brand name</Label>
        <Input
          id="brand-kit-name"
          name="name"
          defaultValue={kit?.name ?? ''}
          maxLength={60}
          autoComplete="off"
          aria-describedby="brand-kit-name-hint"
          aria-invalid={errors.name ? true : undefined}
        />
        <p id="brand-kit-name-hint" className="text-xs text-muted-foreground">
          Shown as a wordmark when there is no logo.
        </p>
        <FieldErrors errors={errors.name} />
      </div>
      <fieldset className="grid gap-3">
        <legend className="mb-2 text-sm font-medium">Colours</legend>
        <div className="grid gap-4 sm:grid-cols-2 xl:grid-cols-4">
          {COLOURS.map((c) => (
            <ColourField
              key={c.name}
              name={c.name}
              label={c.label}
              hint={c.hint}
              defaultValue={colours[c.name]}
              errors={errors[c.name]}
            />
          ))}
        </div>
      </fieldset>
      <div className="grid gap-4 sm:grid-cols-2">
        <div className="grid content-start gap-1.5">
          <Label htmlFor="brand-kit-font">Font</Label>
          <NativeSelect id="brand-kit-font" name="font" defaultValue={kit?.font ?? 'inter'}>
            {FONTS.map((f) => (
              <option key={f.id} value={f.id}>
                {f.name}
              </option>
            ))}
          </NativeSelect>
          <FieldErrors errors={errors.font} />
        </div>
        <div className="grid content-start gap-1.5">
          <Label htmlFor="brand-kit-logo">Logo</Label>
          <div className="flex items-center gap-3">
            {logoUrl ? (
              <img
                src={logoUrl}
                alt="Current logo"
                className="size-12 shrink-0 rounded-md border bg-muted/60 object-contain p-1"
              />
            ) : null}
            <Input
              id="brand-kit-logo"
              name="logo"
              type="file"
              accept="image/png,image/jpeg,image/webp"
              aria-describedby="brand-kit-logo-hint"
            />
          </div>
          <p id="brand-kit-logo-hint" className="text-xs text-muted-foreground">
            PNG, JPEG or WebP up to 10 MB{kit?.logoAssetId ? '; leave empty to keep the current one' : ''}.
          </p>
          {kit?.logoAssetId ? (
            <label className="flex items-center gap-2 text-xs">
              <input type="checkbox" name="removeLogo" className="size-3.5" />
              Remove the logo (use the wordmark)
            </label>
          ) : null}
          <FieldErrors errors={errors.logo} />
        </div>
      </div>
      <div className="grid gap-1.5">
        <Label htmlFor="brand-kit-tone">Tone of voice</Label>
        <textarea
          id="brand-kit-tone"
          name="tone"
          defaultValue={kit?.tone ?? ''}
          maxLength={300}
          rows={2}
          placeholder="Warm, direct, no exclamation marks"
          aria-describedby="brand-kit-tone-hint"
          className="min-h-16 w-full rounded-md border border-input bg-transparent px-3 py-2 text-sm shadow-xs focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-ring"
        />
        <p id="brand-kit-tone-hint" className="text-xs text-muted-foreground">
          Given to AI providers with every prompt; templates use your copy as written.
        </p>
        <FieldErrors errors={errors.tone} />
      </div>
      <BannedWords defaultValue={kit?.bannedWords ?? []} errors={errors.bannedWords} />
      <FormErrors errors={result?.formErrors} />
      <div className="flex items-center justify-between gap-3 border-t pt-4">
        <p className="text-xs text-muted-foreground">
          {kit
            ? `Saving makes version ${kit.version + 1}; jobs made earlier keep the version they used.`
            : 'Saving makes version 1.'}
        </p>
        <SubmitButton>{kit ? 'Save new version' : 'Create brand kit'}</SubmitButton>
      </div>
    </Form>
  );
}
