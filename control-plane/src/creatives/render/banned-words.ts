/**
 * Words and phrases of `banned` that appear in `texts`, as the brand kit spells them. Matching
 * ignores case and accents and respects word boundaries, so "free" is caught in "FREE shipping"
 * and "Frée" but not in "freedom", and a phrase matches only as consecutive words.
 */
export function findBannedWords(texts: (string | undefined)[], banned: readonly string[]): string[] {
  const words = texts.flatMap((t) => (t ? tokens(t) : []));
  // Tokens of different texts must not join into a phrase: separate them.
  const joined = ` ${texts.map((t) => (t ? tokens(t).join(' ') : '')).join(' | ')} `;
  const found = banned.filter((entry) => {
    const phrase = tokens(entry);
    if (phrase.length === 0) return false;
    if (phrase.length === 1) return words.includes(phrase[0]!);
    return joined.includes(` ${phrase.join(' ')} `);
  });
  return [...new Set(found)];
}

function tokens(text: string): string[] {
  return (
    text
      .normalize('NFKD')
      .replace(/\p{M}/gu, '')
      .toLowerCase()
      .match(/[\p{L}\p{N}]+/gu) ?? []
  );
}
