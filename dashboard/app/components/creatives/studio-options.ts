import type { components } from '~/api/schema';

export type BrandKit = components['schemas']['BrandKit'];
export type CreativeJob = components['schemas']['CreativeJob'];
type JobRequest = components['schemas']['CreativeJobRequest'];
export type PlacementId = JobRequest['placements'][number];
export type LayoutId = NonNullable<JobRequest['layout']>;
export type ProviderId = JobRequest['provider'];
export type FontId = components['schemas']['BrandKitRequest']['font'];

/** The renderer's placements (control-plane/src/creatives/render/placements.ts), in its order. */
export const PLACEMENTS: readonly { id: PlacementId; name: string; width: number; height: number }[] = [
  { id: '1200x628', name: 'Facebook/LinkedIn link', width: 1200, height: 628 },
  { id: '1080x1080', name: 'Square', width: 1080, height: 1080 },
  { id: '1080x1920', name: 'Story', width: 1080, height: 1920 },
  { id: '300x250', name: 'Medium rectangle', width: 300, height: 250 },
  { id: '728x90', name: 'Leaderboard', width: 728, height: 90 },
  { id: '160x600', name: 'Wide skyscraper', width: 160, height: 600 },
  { id: '320x50', name: 'Mobile banner', width: 320, height: 50 },
];
export const PLACEMENT_IDS = PLACEMENTS.map((p) => p.id) as [PlacementId, ...PlacementId[]];
/** Videos come in these only (render-video.ts). */
export const VIDEO_PLACEMENT_IDS: readonly PlacementId[] = ['1080x1080', '1080x1920'];

export const LAYOUTS: readonly { id: LayoutId; name: string; hint: string }[] = [
  { id: 'bold-split', name: 'Bold split', hint: 'A brand-coloured panel beside the message' },
  { id: 'centered-hero', name: 'Centred hero', hint: 'One big headline in the middle' },
  { id: 'minimal-card', name: 'Minimal card', hint: 'A quiet card on the background colour' },
  { id: 'product-spotlight', name: 'Product spotlight', hint: 'Room for the product, text at the side' },
];
export const LAYOUT_IDS = LAYOUTS.map((l) => l.id) as [LayoutId, ...LayoutId[]];

/** The renderer's bundled font families (render/fonts.ts). */
export const FONTS: readonly { id: FontId; name: string }[] = [
  { id: 'inter', name: 'Inter' },
  { id: 'poppins', name: 'Poppins' },
  { id: 'playfair-display', name: 'Playfair Display' },
  { id: 'roboto-slab', name: 'Roboto Slab' },
];
export const FONT_IDS = FONTS.map((f) => f.id) as [FontId, ...FontId[]];

/**
 * The providers the API takes. It does not say which are configured: templates always are, an AI
 * provider only when its key is set on the server, and the job is refused otherwise.
 */
export const PROVIDERS: readonly { id: ProviderId; name: string; paid: boolean }[] = [
  { id: 'templates', name: 'Templates (offline, free)', paid: false },
  { id: 'openai', name: 'OpenAI', paid: true },
  { id: 'gemini', name: 'Google Gemini', paid: true },
  { id: 'stability', name: 'Stability AI', paid: true },
];
export const PROVIDER_IDS = PROVIDERS.map((p) => p.id) as [ProviderId, ...ProviderId[]];

export const ACTIVE_JOB_STATUSES: readonly CreativeJob['status'][] = ['queued', 'running'];

/** The name the job worker gives a placement's creative (jobs/job-outputs.ts), by its tail. */
export function isJobCreative(name: string, jobId: number): boolean {
  return name.endsWith(` · job ${jobId}`);
}
