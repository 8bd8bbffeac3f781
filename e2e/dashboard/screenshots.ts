import { mkdirSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Page } from 'playwright-core';

/** Where runs save screenshots for review: e2e/screenshots/ (git-ignored), or TAS_SCREENSHOT_DIR. */
export const SCREENSHOT_ROOT = resolve(
  process.env.TAS_SCREENSHOT_DIR ?? join(import.meta.dirname, '..', 'screenshots'),
);

export type Screenshots = {
  dir: string;
  /** Saves a full-page PNG as `<nn>-<name>.png`, numbered in the order taken; returns its path. */
  take(page: Page, name: string): Promise<string>;
  taken: string[];
};

/**
 * A fresh folder of screenshots for one suite (the previous run's are removed), printed so the run
 * says where to look.
 */
export function screenshotFolder(suite: string): Screenshots {
  const dir = join(SCREENSHOT_ROOT, suite);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  console.log(`screenshots: ${dir}`);
  const taken: string[] = [];
  let count = 0;
  return {
    dir,
    taken,
    async take(page, name) {
      // Numbered when asked, so pages shot side by side keep distinct numbers.
      const file = join(
        dir,
        `${String(++count).padStart(2, '0')}-${name.replace(/[^a-z0-9-]+/gi, '-').toLowerCase()}.png`,
      );
      // Caret and animations off, so two runs of an unchanged page give the same picture.
      await page.screenshot({ path: file, fullPage: true, animations: 'disabled', caret: 'hide' });
      taken.push(file);
      return file;
    },
  };
}
