import { z } from 'zod';
import { brandKitSchema } from './brand-kit.ts';
import { creativeCopySchema } from './creative-copy.ts';
import { LAYOUT_IDS } from './layouts.ts';
import { PLACEMENT_IDS } from './placements.ts';
import { CreativeRenderError } from './render-error.ts';

export const placementListSchema = z
  .array(z.enum(PLACEMENT_IDS))
  .min(1)
  .default([...PLACEMENT_IDS])
  .transform((ids) => [...new Set(ids)])
  .describe('Placements to render, WIDTHxHEIGHT; all of them by default');

export const imageFormatSchema = z.enum(['png', 'webp']).default('png');

/** A template render: one brand kit and one copy, in one layout, for each placement asked. */
export const renderRequestSchema = z
  .object({
    brandKit: brandKitSchema,
    copy: creativeCopySchema,
    layout: z.enum(LAYOUT_IDS).default('bold-split'),
    placements: placementListSchema,
    format: imageFormatSchema,
  })
  .describe('A creative rendered from a template');

export type RenderRequest = z.infer<typeof renderRequestSchema>;
export type RenderRequestInput = z.input<typeof renderRequestSchema>;

/** Parses input at the renderer's boundary (a job's payload), refusing it with `invalid_request`. */
export function parseRenderInput<S extends z.ZodType>(schema: S, input: unknown): z.infer<S> {
  const parsed = schema.safeParse(input);
  if (!parsed.success) {
    throw new CreativeRenderError('invalid_request', z.prettifyError(parsed.error), { cause: parsed.error });
  }
  return parsed.data;
}
