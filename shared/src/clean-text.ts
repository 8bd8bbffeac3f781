/**
 * Text that visitors and advertisers send (sub ids, user agents, referrers, txids) travels to
 * Postgres, whose `text` cannot hold U+0000 and whose UTF-8 cannot hold a lone surrogate. One
 * such value used to fail a whole ingest batch, so the edge cleans what it may alter (tracking
 * values: strip) and refuses what is an identity (txids: an altered txid could merge two orders).
 */

// C0 controls, DEL and C1 controls: no tracking value needs them, and some break storage or logs.
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f-\u009f]/g;
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
const HAS_CONTROL_CHARACTER = /[\u0000-\u001f\u007f-\u009f]/;
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/** True when the text holds a control character (U+0000-U+001F, U+007F-U+009F). */
export function hasControlCharacters(value: string): boolean {
  return HAS_CONTROL_CHARACTER.test(value);
}

/**
 * A tracking value as it may be stored: control characters removed, lone surrogates replaced by
 * U+FFFD, cut to `max` UTF-16 units without splitting a surrogate pair. Empty becomes null, so a
 * click is never lost (nor a sub set) for a value that was all noise.
 */
export function cleanText(value: string | null | undefined, max: number): string | null {
  if (value === null || value === undefined || value === '') return null;
  let text = value;
  if (HAS_CONTROL_CHARACTER.test(text)) text = text.replace(CONTROL_CHARACTERS, '');
  if (text.length > max) {
    // A pair cut in half would leave a lone high surrogate: cut before it instead.
    const last = text.charCodeAt(max - 1);
    text = text.slice(0, last >= 0xd800 && last <= 0xdbff ? max - 1 : max);
  }
  text = text.replace(LONE_SURROGATE, '\ufffd');
  return text === '' ? null : text;
}

/** Bytes of the text in UTF-8, counted without encoding it. */
export function utf8Length(value: string): number {
  let bytes = 0;
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i);
    if (code < 0x80) bytes += 1;
    else if (code < 0x800) bytes += 2;
    else if (code >= 0xd800 && code <= 0xdbff && i + 1 < value.length) {
      const next = value.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        bytes += 4;
        i++;
      } else bytes += 3;
    } else bytes += 3;
  }
  return bytes;
}
