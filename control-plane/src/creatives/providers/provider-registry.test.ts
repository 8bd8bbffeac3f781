import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type OpenAiFake, startOpenAiFake } from '../../../test/fakes/openai-fake.ts';
import { settingsSchema } from '../../settings.ts';
import { creativeProvidersOf } from './provider-registry.ts';

const base = {
  INGEST_SIGNING_SECRET: 'i'.repeat(32),
  CONFIG_SIGNING_SECRET: 'c'.repeat(32),
};

describe('creativeProvidersOf', () => {
  let fake: OpenAiFake;
  beforeAll(async () => {
    fake = await startOpenAiFake();
  });
  afterAll(() => fake.close());

  it('offers the templates alone without keys, the real hosts by default', () => {
    const settings = settingsSchema.parse(base);
    expect([...creativeProvidersOf(settings).keys()]).toEqual(['templates']);
    expect([settings.OPENAI_BASE_URL, settings.GEMINI_BASE_URL, settings.STABILITY_API_BASE]).toEqual([
      'https://api.openai.com/v1',
      'https://generativelanguage.googleapis.com',
      'https://api.stability.ai',
    ]);
  });

  it('enables each AI provider by its key, at its base URL setting', async () => {
    const settings = settingsSchema.parse({
      ...base,
      OPENAI_API_KEY: fake.apiKey,
      OPENAI_BASE_URL: fake.url,
      GEMINI_API_KEY: 'AIza-test',
      STABILITY_API_KEY: 'sk-test',
    });
    const providers = creativeProvidersOf(settings);
    expect([...providers.keys()]).toEqual(['templates', 'openai', 'gemini', 'stability']);
    expect(providers.get('stability')!.supports).toEqual({ image: true, video: false });
    // The OpenAI provider talks to the base URL of the settings.
    const [master] = await providers.get('openai')!.generate({
      kind: 'image',
      brandKit: {
        name: 'Lumen',
        colors: { primary: '#0f766e', secondary: '#f97316', background: '#f8fafc', text: '#0f172a' },
        font: 'inter',
        bannedWords: [],
      },
      copy: { headline: 'Sunsets', callToAction: 'Book' },
      placements: ['320x50'],
      format: 'png',
    });
    expect(master).toMatchObject({ provider: 'openai', placement: null });
    expect(fake.requests.length).toBeGreaterThan(0);
  });

  it('refuses a base URL that is not http(s)', () => {
    expect(settingsSchema.safeParse({ ...base, GEMINI_BASE_URL: 'ftp://x' }).success).toBe(false);
  });
});
