import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { openImage, sniffImageType } from './image-input.ts';

/** A wide grey image with a saturated red disc near its right end. */
function widePhotoWithSubject() {
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="1600" height="400"><rect width="1600" height="400" fill="#9ca3af"/><circle cx="1380" cy="200" r="120" fill="#dc2626"/></svg>`;
  return sharp(Buffer.from(svg)).jpeg().toBuffer();
}

describe('openImage', () => {
  it('crops a photo to exactly the slot around its subject, never stretching it', async () => {
    const source = await openImage(await widePhotoWithSubject(), 'the master');
    const square = await source.size({ width: 300, height: 300 }, 'cover');
    expect([square.width, square.height]).toEqual([300, 300]);
    const pixels = Buffer.from(square.src.split(',')[1]!, 'base64');
    const { channels } = await sharp(pixels).stats();
    // A centre crop would be all grey; the attention crop keeps the red subject.
    expect(channels[0]!.mean - channels[1]!.mean).toBeGreaterThan(40);
  });

  it('fits a product inside the slot, keeping its transparency', async () => {
    const cutout = await sharp({
      create: { width: 200, height: 400, channels: 4, background: { r: 0, g: 0, b: 0, alpha: 0 } },
    })
      .composite([
        {
          input: Buffer.from(
            '<svg xmlns="http://www.w3.org/2000/svg" width="200" height="400"><rect x="50" y="50" width="100" height="300" fill="#2563eb"/></svg>',
          ),
        },
      ])
      .png()
      .toBuffer();
    const fitted = await (await openImage(cutout, 'the product')).size(
      { width: 300, height: 300 },
      'contain',
    );
    expect([fitted.width, fitted.height]).toEqual([150, 300]);
    expect(fitted.src.startsWith('data:image/png;base64,')).toBe(true);
  });

  it('knows images by their bytes and refuses SVG and non-images', async () => {
    const png = await sharp({ create: { width: 2, height: 2, channels: 3, background: '#fff' } })
      .png()
      .toBuffer();
    const webp = await sharp(png).webp().toBuffer();
    const jpeg = await sharp(png).jpeg().toBuffer();
    expect([png, jpeg, webp].map(sniffImageType)).toEqual(['png', 'jpeg', 'webp']);
    expect(
      sniffImageType(Buffer.from('<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg"/>')),
    ).toBe('svg');
    await expect(openImage(Buffer.from('<svg/>'), 'the logo')).rejects.toMatchObject({
      code: 'unsupported_image',
    });
    await expect(
      openImage(Buffer.concat([png.subarray(0, 20), Buffer.alloc(20)]), 'the logo'),
    ).rejects.toMatchObject({ code: 'unsupported_image' });
  });
});
