/** What every benchmark command does around its run: options, clean-up on exit and signals, exit code. */
import { UsageError, parseOptions, usage, type OptionSpec, type Options } from './args.js';
import { Cleanup } from './cleanup.js';

/** Progress on stderr, each line with the seconds since the benchmark started. */
export const log = (line: string): void => {
  const seconds = (performance.now() / 1_000).toFixed(1).padStart(6);
  process.stderr.write(line.startsWith('\n') ? `${line}\n` : `[${seconds} s] ${line}\n`);
};

export async function runCommand<S extends OptionSpec>(command: string, spec: S, run: (options: Options<S>, cleanup: Cleanup) => Promise<void>): Promise<void> {
  let options: Options<S> & { help: boolean };
  try {
    options = parseOptions(process.argv.slice(2), spec);
  } catch (err) {
    if (err instanceof UsageError) {
      process.stderr.write(`${command}: ${err.message}\n${usage(command, spec)}\n`);
      process.exitCode = 2;
      return;
    }
    throw err;
  }
  if (options.help) {
    process.stdout.write(`${usage(command, spec)}\n`);
    return;
  }
  const cleanup = new Cleanup();
  const removeHandlers = cleanup.onSignals();
  try {
    await run(options, cleanup);
  } catch (err) {
    process.stderr.write(`${command}: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exitCode = 1;
  } finally {
    await cleanup.run();
    removeHandlers();
  }
}
