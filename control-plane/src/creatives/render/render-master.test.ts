import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { contains } from './box.ts';
import { colourSpread, decode, difference } from './pixel-checks.ts';
import { type PlacementId, placement } from './placements.ts';
import { renderCreatives } from './render-creatives.ts';
import { renderMasterEdits } from './render-master.ts';
import { samplePhoto } from './sample-images.ts';

const brandKit = {
  name: 'Lumen Travel',
  colors: { primary: '#0f766e', secondary: '#f97316', background: '#f8fafc', text: '#0f172a' },
  font: 'poppins' as const,
};
const copy = {
  headline: 'Sunsets you will remember',
  subline: 'Seven nights by the lake.',
  callToAction: 'Book now',
};

describe('renderMasterEdits', () => {
  it('recomposes one master into each placement, the photo cropped to the layout’s slot and the copy in the safe area', async () => {
    const master = await samplePhoto(800, 533);
    const cases = [
      ['bold-split', ['1080x1920', '300x250', '728x90', '160x600', '320x50']],
      ['centered-hero', ['300x250', '320x50']],
    ] as const;
    for (const [layout, ids] of cases) {
      const placements = [...ids] as PlacementId[];
      const edits = await renderMasterEdits({ master, brandKit, copy, layout, placements, format: 'webp' });
      const plain = await renderCreatives({ brandKit, copy, layout, placements, format: 'webp' });
      for (const [i, edit] of edits.entries()) {
        const { width, height, safeArea } = placement(placements[i]!);
        const meta = await sharp(edit.bytes).metadata();
        expect([meta.format, meta.width, meta.height]).toEqual(['webp', width, height]);
        expect(await colourSpread(edit.bytes)).toBeGreaterThan(20);
        expect(contains(safeArea, edit.textArea)).toBe(true);
        // The photo is there: the edit differs from the same template without it, well outside the text.
        const changed = difference(await decode(edit.bytes), await decode(plain[i]!.bytes));
        expect(changed.outside(edit.textArea), `${layout} ${placements[i]}`).toBeGreaterThan(
          width * height * 0.05,
        );
      }
    }
  });

  it('refuses a master that is no image', async () => {
    await expect(
      renderMasterEdits({ master: Buffer.from('GIF89a...'), brandKit, copy }),
    ).rejects.toMatchObject({ code: 'unsupported_image' });
  });
});
