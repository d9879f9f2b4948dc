import { validateHeaderValue } from 'node:http';
import { warningHeader } from './warnings';

describe('warningHeader', () => {
  it('quotes the text as upstream does', () => {
    expect(warningHeader('unknown field "spec.x"')).toBe('299 - "unknown field \\"spec.x\\""');
  });

  it('escapes what node would refuse in a header, so that a JSON reader gets the text back', () => {
    expect(warningHeader('unknown field "😀"')).toBe('299 - "unknown field \\"\\ud83d\\ude00\\""');
    for (const text of ['unknown field "spec.😀"', 'a\u007fb', 'a\nb\u0000', 'é\u0085']) {
      const value = warningHeader(text);
      expect(() => validateHeaderValue('Warning', value)).not.toThrow();
      expect(value).toMatch(/^[\x20-\x7e]*$/);
      expect(JSON.parse(value.slice('299 - '.length))).toBe(text);
    }
  });
});
