import { describe, expect, it } from 'vitest';
import { csvLine } from './csv.ts';

describe('csvLine', () => {
  it('quotes what needs quoting and defuses formulas', () => {
    expect(csvLine(['a', 1, null, 'x,y', 'say "hi"', 'two\nlines'])).toBe(
      'a,1,,"x,y","say ""hi""","two\nlines"\r\n',
    );
    expect(csvLine(['=HYPERLINK("http://evil")', '+1', '-2', '@SUM(A1)'])).toBe(
      `"'=HYPERLINK(""http://evil"")",'+1,'-2,'@SUM(A1)\r\n`,
    );
    expect(csvLine([-5])).toBe('-5\r\n');
  });
});
