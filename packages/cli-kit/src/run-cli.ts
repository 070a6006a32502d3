/**
 * A command-line tool from argv to exit code, written once for every tool (npm run simulate, token,
 * events, test:chaos, the benchmarks):
 *
 *   parse(argv, env) ── UsageError ──▶ "<name>: <reason>" and the usage text on stderr, exit code 2
 *        │ options.help ──▶ the usage text on stdout, exit code 0
 *        ▼
 *   run(options) ── throws ──▶ "<name>: <message>" on stderr, exit code 1
 *
 * The process then exits by itself once run() has let go of every handle.
 */

/** The command line was wrong: the message says how, the usage text follows it. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

export interface CliDefinition<O extends { readonly help: boolean }> {
  readonly name: string;
  readonly usage: string;
  readonly parse: (argv: readonly string[], env: NodeJS.ProcessEnv) => O;
  readonly run: (options: O) => Promise<void>;
}

export interface CliProcess {
  readonly argv: readonly string[];
  readonly env: NodeJS.ProcessEnv;
  readonly stdout: { write(text: string): unknown };
  readonly stderr: { write(text: string): unknown };
  exitCode?: number | string | null | undefined;
}

/** Runs the tool in `proc` (the real process unless a test passes another). */
export async function runCli<O extends { readonly help: boolean }>(
  definition: CliDefinition<O>,
  proc: CliProcess = process,
): Promise<void> {
  const { name, usage } = definition;
  let options: O;
  try {
    options = definition.parse(proc.argv.slice(2), proc.env);
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    proc.stderr.write(`${name}: ${err.message}\n${usage}\n`);
    proc.exitCode = 2;
    return;
  }
  if (options.help) {
    proc.stdout.write(`${usage}\n`);
    return;
  }
  try {
    await definition.run(options);
  } catch (err) {
    proc.stderr.write(`${name}: ${err instanceof Error ? err.message : String(err)}\n`);
    proc.exitCode = 1;
  }
}
