import { describe, expect, it } from 'vitest';
import { UsageError } from './run-cli.js';
import { flag, num, nums, parseOptions, str, usage } from './option-table.js';

const spec = {
  clients: num(1000, 'clients', 1),
  steps: nums([1000, 5000], 'steps', 1),
  json: str('', 'extra JSON path'),
  noBaseline: flag('skip the baseline'),
};

describe('parseOptions', () => {
  it('gives the defaults when nothing is passed', () => {
    expect(parseOptions([], spec)).toEqual({ help: false, clients: 1000, steps: [1000, 5000], json: '', noBaseline: false });
  });

  it('reads kebab-case flags, numbers, lists (with a k suffix) and strings', () => {
    const options = parseOptions(['--clients', '20', '--steps', '1k,10k', '--json', 'out.json', '--no-baseline'], spec);
    expect(options).toEqual({ help: false, clients: 20, steps: [1000, 10000], json: 'out.json', noBaseline: true });
  });

  it('refuses unknown options, non-numbers and values under the minimum', () => {
    expect(() => parseOptions(['--nope', '1'], spec)).toThrow(UsageError);
    expect(() => parseOptions(['--clients', 'many'], spec)).toThrow(/expects a number/);
    expect(() => parseOptions(['--clients', '0'], spec)).toThrow(/at least 1/);
  });

  it('documents every option with its default', () => {
    expect(usage('bench', spec)).toContain('--no-baseline');
    expect(usage('bench', spec)).toContain('(default 1000,5000)');
  });
});
