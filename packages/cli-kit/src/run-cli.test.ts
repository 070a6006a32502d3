import { describe, expect, it } from 'vitest';
import { UsageError, runCli, type CliProcess } from './run-cli.js';

function fakeProcess(...args: string[]): CliProcess & { out: string; err: string } {
  const proc = {
    argv: ['node', 'tool.js', ...args],
    env: {},
    out: '',
    err: '',
    stdout: { write: (text: string) => (proc.out += text) },
    stderr: { write: (text: string) => (proc.err += text) },
    exitCode: undefined as number | undefined,
  };
  return proc;
}

const definition = (run: (options: { help: boolean; n: number }) => Promise<void> = async () => {}) => ({
  name: 'tool',
  usage: 'usage: tool [--n <count>]',
  parse: (argv: readonly string[]) => {
    if (argv.includes('--bad')) throw new UsageError('unknown option --bad');
    return { help: argv.includes('--help'), n: 1 };
  },
  run,
});

describe('runCli', () => {
  it('runs the tool with its options', async () => {
    const proc = fakeProcess();
    const seen: number[] = [];
    await runCli(
      definition(async ({ n }) => void seen.push(n)),
      proc,
    );
    expect(seen).toEqual([1]);
    expect(proc.exitCode).toBeUndefined();
  });

  it('answers --help with the usage on stdout and runs nothing', async () => {
    const proc = fakeProcess('--help');
    await runCli(
      definition(() => Promise.reject(new Error('ran'))),
      proc,
    );
    expect(proc.out).toBe('usage: tool [--n <count>]\n');
    expect(proc.exitCode).toBeUndefined();
  });

  it('exits with 2, the reason and the usage on a usage error', async () => {
    const proc = fakeProcess('--bad');
    await runCli(definition(), proc);
    expect(proc.err).toBe('tool: unknown option --bad\nusage: tool [--n <count>]\n');
    expect(proc.exitCode).toBe(2);
  });

  it('exits with 1 and the message when the run fails', async () => {
    const proc = fakeProcess();
    await runCli(
      definition(() => Promise.reject(new Error('database unreachable'))),
      proc,
    );
    expect(proc.err).toBe('tool: database unreachable\n');
    expect(proc.exitCode).toBe(1);
  });
});
