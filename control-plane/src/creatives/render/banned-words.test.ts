import { describe, expect, it } from 'vitest';
import { findBannedWords } from './banned-words.ts';

describe('findBannedWords', () => {
  it('matches whole words and phrases, ignoring case and accents', () => {
    expect(findBannedWords(['FREE shipping, Garantie incluse'], ['free', 'garantie', 'cheap'])).toEqual([
      'free',
      'garantie',
    ]);
    expect(findBannedWords(['Café crème'], ['cafe'])).toEqual(['cafe']);
    expect(findBannedWords(['Totally risk-free!'], ['risk free'])).toEqual(['risk free']);
  });

  it('does not match inside words, nor a phrase split across texts', () => {
    expect(findBannedWords(['Freedom for everyone'], ['free'])).toEqual([]);
    expect(findBannedWords(['No risk', 'free returns'], ['risk free'])).toEqual([]);
    expect(findBannedWords([undefined, ''], ['free'])).toEqual([]);
  });
});
