/**
 * A benchmark or tool that must undo what it did: cli-kit's runCli (usage, --help, exit codes) with a
 * Cleanup that runs after the command, whether it succeeded, failed or was interrupted.
 */
import { runCli, type CliProcess } from '@orders-live/cli-kit';
import { Cleanup } from './cleanup.js';

export interface CommandDefinition<O extends { readonly help: boolean }> {
  readonly name: string;
  readonly usage: string;
  readonly parse: (argv: readonly string[], env: NodeJS.ProcessEnv) => O;
  readonly run: (options: O, cleanup: Cleanup) => Promise<void>;
  /** What the clean-up undoes, named in the message on Ctrl-C. */
  readonly undoes?: string;
}

export async function runCommand<O extends { readonly help: boolean }>(definition: CommandDefinition<O>, proc?: CliProcess): Promise<void> {
  const { run, undoes, ...cli } = definition;
  await runCli(
    {
      ...cli,
      run: async (options) => {
        const cleanup = new Cleanup();
        const removeHandlers = cleanup.onSignals(undoes);
        try {
          await run(options, cleanup);
        } finally {
          await cleanup.run();
          removeHandlers();
        }
      },
    },
    proc,
  );
}
