/** What every benchmark command does around its run: options, clean-up on exit and signals, exit code. */
import { runCommand, type Cleanup } from '@orders-live/testkit';
import { parseOptions, usage, type OptionSpec, type Options } from '@orders-live/cli-kit';

/** Progress on stderr, each line with the seconds since the benchmark started. */
export const log = (line: string): void => {
  const seconds = (performance.now() / 1_000).toFixed(1).padStart(6);
  process.stderr.write(line.startsWith('\n') ? `${line}\n` : `[${seconds} s] ${line}\n`);
};

export async function runBenchmark<S extends OptionSpec>(
  command: string,
  spec: S,
  run: (options: Options<S>, cleanup: Cleanup) => Promise<void>,
): Promise<void> {
  await runCommand<Options<S> & { help: boolean }>({
    name: command,
    usage: usage(command, spec),
    parse: (argv) => parseOptions(argv, spec),
    run,
  });
}
