import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import opentype from 'opentype.js';

/**
 * The bundled font families a brand kit chooses from. They ship as @fontsource packages, so a
 * render needs no network and no system fonts; satori reads WOFF (not WOFF2) in Node.
 */
export const FONT_FAMILIES = {
  inter: { name: 'Inter', package: '@fontsource/inter', headlineWeight: 800, tracking: -0.03 },
  poppins: { name: 'Poppins', package: '@fontsource/poppins', headlineWeight: 700, tracking: -0.015 },
  'playfair-display': {
    name: 'Playfair Display',
    package: '@fontsource/playfair-display',
    headlineWeight: 700,
    tracking: -0.01,
  },
  'roboto-slab': {
    name: 'Roboto Slab',
    package: '@fontsource/roboto-slab',
    headlineWeight: 700,
    tracking: -0.02,
  },
} as const;

export type FontFamilyId = keyof typeof FONT_FAMILIES;
export const FONT_FAMILY_IDS = Object.keys(FONT_FAMILIES) as [FontFamilyId, ...FontFamilyId[]];

/** Body, emphasis, buttons and headlines; every family has them. */
export const FONT_WEIGHTS = [400, 500, 700, 800] as const;
export type FontWeight = (typeof FONT_WEIGHTS)[number];

/** What satori's `fonts` option takes. */
export interface SatoriFont {
  name: string;
  data: Buffer;
  weight: FontWeight;
  style: 'normal';
}

/**
 * One family loaded: the font files for satori (kept in one array, which satori caches by
 * identity) and the parsed glyph metrics that fitting measures text with.
 */
export interface LoadedFamily {
  id: FontFamilyId;
  name: string;
  satoriFonts: SatoriFont[];
  metrics: Map<FontWeight, opentype.Font>;
}

export interface FontSet {
  family(id: FontFamilyId): LoadedFamily;
}

const require = createRequire(import.meta.url);

function fontFile(id: FontFamilyId, weight: FontWeight): string {
  return require.resolve(`${FONT_FAMILIES[id].package}/files/${id}-latin-${weight}-normal.woff`);
}

async function loadFamily(id: FontFamilyId): Promise<LoadedFamily> {
  const satoriFonts: SatoriFont[] = [];
  const metrics = new Map<FontWeight, opentype.Font>();
  for (const weight of FONT_WEIGHTS) {
    const data = await readFile(fontFile(id, weight));
    satoriFonts.push({ name: FONT_FAMILIES[id].name, data, weight, style: 'normal' });
    metrics.set(
      weight,
      opentype.parse(data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength)),
    );
  }
  return { id, name: FONT_FAMILIES[id].name, satoriFonts, metrics };
}

let loading: Promise<FontSet> | undefined;

/**
 * Every bundled family, read from node_modules once per process (about 100 ms) and kept: fonts
 * are the largest fixed cost of a render.
 */
export function loadFonts(): Promise<FontSet> {
  loading ??= (async () => {
    const families = new Map<FontFamilyId, LoadedFamily>();
    for (const id of FONT_FAMILY_IDS) families.set(id, await loadFamily(id));
    // Inter has the widest coverage (arrows, currency signs, accents): satori falls back to the
    // fonts listed after a family for glyphs that family lacks.
    const inter = families.get('inter')!.satoriFonts;
    for (const family of families.values()) {
      if (family.id !== 'inter') family.satoriFonts.push(...inter);
    }
    return {
      family(id) {
        const loaded = families.get(id);
        if (!loaded) throw new Error(`font family ${id} is not bundled`);
        return loaded;
      },
    };
  })();
  loading.catch(() => {
    loading = undefined;
  });
  return loading;
}
