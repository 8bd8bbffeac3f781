import { describe, expect, it } from 'vitest';
import type { BrandKit } from '../render/brand-kit.ts';
import { brandPrompt, colourName } from './brand-prompt.ts';

const brandKit: BrandKit = {
  name: 'Lumen Travel',
  colors: { primary: '#0f766e', secondary: '#f97316', background: '#f8fafc', text: '#0f172a' },
  font: 'poppins',
  tone: 'warm, calm, premium',
  bannedWords: ['cheap', 'guaranteed'],
};
const copy = {
  headline: 'Sunsets you will remember',
  subline: 'Seven nights by the lake.',
  callToAction: 'Book now',
};

describe('brandPrompt', () => {
  it('carries the brand, its colours in words and hex, its tone, the copy, the scene, no text and the aspect', () => {
    const prompt = brandPrompt({
      provider: 'openai',
      kind: 'image',
      brandKit,
      copy,
      prompt: 'a lake at sunset seen from a wooden deck',
      aspectRatio: '3:2',
    });
    for (const part of [
      '"Lumen Travel"',
      'teal (#0f766e)',
      'orange (#f97316)',
      'white (#f8fafc)',
      'warm, calm, premium',
      'Sunsets you will remember',
      'a lake at sunset seen from a wooden deck',
      'No text',
      'Never show, say or suggest these words: cheap, guaranteed',
      'Aspect ratio 3:2, landscape',
    ])
      expect(prompt).toContain(part);
  });

  it('asks a video for no on-screen text', () => {
    const prompt = brandPrompt({ provider: 'gemini', kind: 'video', brandKit, copy, aspectRatio: '9:16' });
    expect(prompt).toContain('advertising video');
    expect(prompt).toContain('No on-screen text');
    expect(prompt).toContain('9:16, portrait');
  });

  it('refuses a prompt or copy using a banned word before anything is sent', () => {
    const refuse = (over: { prompt?: string; headline?: string }) => () =>
      brandPrompt({
        provider: 'stability',
        kind: 'image',
        brandKit,
        copy: { ...copy, ...(over.headline ? { headline: over.headline } : {}) },
        prompt: over.prompt,
        aspectRatio: '1:1',
      });
    expect(refuse({ prompt: 'CHEAP flights over the lake' })).toThrow(
      expect.objectContaining({ code: 'moderation_refused', detail: { provider: 'stability' } }),
    );
    expect(refuse({ headline: 'Guaranteed sunsets' })).toThrow(/guaranteed/);
  });

  it('names colours in plain words', () => {
    expect(
      ['#ffffff', '#000000', '#808080', '#dc2626', '#1e3a8a', '#16a34a', '#fde68a', '#7c2d12', '#9333ea'].map(
        colourName,
      ),
    ).toEqual(['white', 'black', 'grey', 'red', 'dark blue', 'green', 'light yellow', 'brown', 'purple']);
  });
});
