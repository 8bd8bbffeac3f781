import type { Settings } from '../../settings.ts';
import type { CreativeProvider, CreativeProviderId } from './creative-provider.ts';
import { geminiProvider } from './gemini.ts';
import { openAiProvider } from './openai.ts';
import { stabilityProvider } from './stability.ts';
import { templatesProvider } from './templates.ts';

type ProviderSettings = Pick<
  Settings,
  | 'OPENAI_API_KEY'
  | 'OPENAI_BASE_URL'
  | 'GEMINI_API_KEY'
  | 'GEMINI_BASE_URL'
  | 'STABILITY_API_KEY'
  | 'STABILITY_API_BASE'
>;

/**
 * The creative providers this installation offers: the offline templates always, each AI provider
 * when its key is set (at the base URL of its setting, the real host by default).
 */
export function creativeProvidersOf(settings: ProviderSettings): Map<CreativeProviderId, CreativeProvider> {
  const providers: CreativeProvider[] = [templatesProvider()];
  if (settings.OPENAI_API_KEY)
    providers.push(openAiProvider({ apiKey: settings.OPENAI_API_KEY, baseURL: settings.OPENAI_BASE_URL }));
  if (settings.GEMINI_API_KEY)
    providers.push(geminiProvider({ apiKey: settings.GEMINI_API_KEY, baseUrl: settings.GEMINI_BASE_URL }));
  if (settings.STABILITY_API_KEY)
    providers.push(
      stabilityProvider({ apiKey: settings.STABILITY_API_KEY, apiBase: settings.STABILITY_API_BASE }),
    );
  return new Map(providers.map((p) => [p.id, p]));
}
