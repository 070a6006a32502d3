/**
 * What a benchmark or tool must undo — processes it started, rows it inserted, the connector config
 * it changed — run last-in first-out in a finally, and on Ctrl-C / SIGTERM too. A second signal
 * exits at once.
 */

type Step = { readonly label: string; readonly run: () => Promise<void> | void };

export class Cleanup {
  readonly #steps: Step[] = [];
  #running: Promise<void> | undefined;

  /** Registers an undo step; returns a function that runs it now (and unregisters it). */
  add(label: string, run: () => Promise<void> | void): () => Promise<void> {
    const step: Step = { label, run };
    this.#steps.push(step);
    return async () => {
      const index = this.#steps.indexOf(step);
      if (index < 0) return;
      this.#steps.splice(index, 1);
      await step.run();
    };
  }

  /** Runs every step, newest first; a failing step is reported and the others still run. */
  run(): Promise<void> {
    this.#running ??= (async () => {
      while (this.#steps.length > 0) {
        const step = this.#steps.pop()!;
        try {
          await step.run();
        } catch (err) {
          process.stderr.write(`cleanup: ${step.label} failed: ${err instanceof Error ? err.message : String(err)}\n`);
        }
      }
      this.#running = undefined;
    })();
    return this.#running;
  }

  /** On SIGINT/SIGTERM: clean up, then exit 130/143. Returns a function that removes the handlers. */
  onSignals(what = 'processes, rows, connector config'): () => void {
    const handler = (signal: NodeJS.Signals) => {
      if (this.#running) {
        process.stderr.write(`\n${signal} again: exiting without finishing the clean-up\n`);
        process.exit(1);
      }
      process.stderr.write(`\n${signal}: cleaning up (${what})…\n`);
      void this.run().finally(() => process.exit(signal === 'SIGINT' ? 130 : 143));
    };
    process.on('SIGINT', handler);
    process.on('SIGTERM', handler);
    return () => {
      process.off('SIGINT', handler);
      process.off('SIGTERM', handler);
    };
  }
}
