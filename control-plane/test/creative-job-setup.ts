import { assetUrlSigner } from '../src/creatives/assets/asset-urls.ts';
import type { ProviderSet } from '../src/creatives/jobs/creative-job-service.ts';
import { createJobWorker, type JobWorkerOptions } from '../src/creatives/jobs/creative-job-worker.ts';
import {
  type CreativeProvider,
  CreativeProviderError,
  type GenerationRequest,
} from '../src/creatives/providers/creative-provider.ts';
import { templatesProvider } from '../src/creatives/providers/templates.ts';
import type { AssetStorage } from '../src/creatives/storage/asset-storage.ts';
import { memoryAssetStorage } from '../src/creatives/storage/memory-storage.ts';
import type { Database } from '../src/db/database.ts';
import { call, type Session, type TestApp } from './api-client.ts';
import { apiBrandKit, imageBytes } from './creative-setup.ts';
import { acceptingEdge } from './fixtures.ts';
import { apiCampaign, apiOffer } from './offer-setup.ts';
import { JWT_SECRET, testApp } from './test-app.ts';

/**
 * A paid provider for tests (it speaks only the CreativeProvider interface, no wire format): each
 * generation reports half its progress, then waits until `release()` or its signal aborts, and
 * answers a master (no placement) and one image per placement, as the AI providers do;
 * `failures` are thrown by the first calls, in order.
 */
export function gatedProvider(failures: CreativeProviderError[] = []) {
  const waiting: (() => void)[] = [];
  const calls: GenerationRequest[] = [];
  let aborted = 0;
  const provider: CreativeProvider = {
    id: 'stability',
    supports: { image: true, video: false },
    estimateCost: (r) => ({
      currency: 'USD',
      amountMinor: 4 * r.placements.length,
      basis: '4 cents an image',
    }),
    async generate(request) {
      calls.push(request);
      const failure = failures.shift();
      if (failure) throw failure;
      request.onProgress?.(0.5);
      await new Promise<void>((resolve, reject) => {
        waiting.push(resolve);
        request.signal?.addEventListener('abort', () => {
          aborted++;
          waiting.splice(waiting.indexOf(resolve), 1);
          reject(new CreativeProviderError('cancelled', 'Stopped.', { provider: 'stability' }));
        });
      });
      // As the AI providers do: the master first (no placement), then each placement made from it.
      const master = {
        bytes: await imageBytes(96, 64, 'png', '#118833'),
        contentType: 'image/png',
        width: 96,
        height: 64,
        placement: null,
        provider: 'stability' as const,
        model: 'fake-diffusion-1',
        prompt: `Acme: ${request.prompt ?? ''}`,
      };
      const placed = await Promise.all(
        request.placements.map(async (placement) => {
          const [width, height] = placement.split('x').map(Number) as [number, number];
          return {
            bytes: await imageBytes(width, height, 'png', '#118833'),
            contentType: 'image/png',
            width,
            height,
            placement,
            provider: 'stability' as const,
            model: 'fake-diffusion-1',
            prompt: `Acme: ${request.prompt ?? ''}`,
          };
        }),
      );
      return [master, ...placed];
    },
  };
  return {
    provider,
    calls,
    aborted: () => aborted,
    waiting: () => waiting.length,
    release: () => {
      for (const resolve of waiting.splice(0)) resolve();
    },
  };
}

/** The app and a worker over the same storage and providers, as server.ts wires them. */
export function jobTestbed(db: Database, extra: ProviderSet = {}, options: JobWorkerOptions = {}) {
  const storage: AssetStorage = memoryAssetStorage();
  const providers: ProviderSet = { templates: templatesProvider(), ...extra };
  const app = testApp(db, { assetStorage: storage, creativeProviders: providers });
  const worker = createJobWorker(
    {
      db,
      edge: acceptingEdge,
      storage,
      urls: assetUrlSigner(JWT_SECRET, 'http://127.0.0.1:8788'),
      providers,
    },
    { backoffMs: 1, cancelPollMs: 20, ...options },
  );
  return { app, worker, storage };
}

/** An advertiser's campaign (on an offer) and brand kit, ready for jobs. */
export async function jobSubjects(app: TestApp, owner: Session) {
  const offer = await apiOffer(app, owner);
  const campaign = await apiCampaign(app, owner, { offerId: offer.id });
  const kit = await apiBrandKit(app, owner);
  return { offerId: offer.id, campaignId: campaign.id, brandKitId: kit.id };
}

export const COPY = { headline: 'Spring sale on every plant', callToAction: 'Shop now', badge: '-20%' };

export type JobBody = { id: number; status: string; progress: number; attempts: number } & Record<
  string,
  unknown
>;

export async function postJob(app: TestApp, session: Session, body: Record<string, unknown>) {
  return call(app, 'POST', '/api/v1/creative-jobs', {
    token: session.accessToken,
    body: { copy: COPY, ...body },
  });
}

export async function getJob(app: TestApp, session: Session, id: number): Promise<JobBody> {
  return (await (
    await call(app, 'GET', `/api/v1/creative-jobs/${id}`, { token: session.accessToken })
  ).json()) as JobBody;
}

/** Polls until `check` holds (a worker's job runs in the background). */
export async function waitFor(check: () => Promise<boolean> | boolean, what: string, timeoutMs = 10_000) {
  const until = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
