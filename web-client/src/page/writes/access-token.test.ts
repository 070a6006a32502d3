import { describe, expect, it } from 'vitest';
import { tokenFromFragment } from './access-token.js';

describe('tokenFromFragment', () => {
  it.each([
    ['#access_token=abc.def.ghi', 'abc.def.ghi'],
    ['access_token=abc', 'abc'],
    ['#x=1&access_token=abc&y=2', 'abc'],
    ['', undefined],
    ['#', undefined],
    ['#access_token=', undefined],
    ['#token=abc', undefined],
  ])('%j → %j', (hash, expected) => {
    expect(tokenFromFragment(hash)).toBe(expected);
  });
});
