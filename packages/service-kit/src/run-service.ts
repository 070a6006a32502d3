/**
 * A service process from start to exit, written once for every service:
 *
 *   loadConfig(env) ── ConfigError ──▶ message on stderr, exit code 2 (nothing started)
 *        │
 *   build(config, log) → listen() ──▶ "<name> listening" with describe(config)
 *        │
 *   SIGTERM / SIGINT (the first one) ──▶ close(): in-flight work finishes, connections are closed,
 *                                        clients told to go elsewhere; exit code 1 if closing fails
 *
 * The process exits by itself once close() has let go of every handle: never process.exit().
 */
import { ConfigError } from './parse-env.js';
import { createLogger, type Logger } from './logger.js';

/** What a service built from its config can do: start serving, and stop doing so gracefully. */
export interface Runnable {
  listen(): Promise<unknown>;
  close(): Promise<unknown>;
}

export interface ServiceDefinition<C extends { readonly logLevel: string }> {
  /** Names the process in log lines and on stderr. */
  readonly name: string;
  readonly loadConfig: (env: NodeJS.ProcessEnv) => C;
  readonly build: (config: C, log: Logger) => Runnable;
  /** What the "listening" line says about the running service (ports, upstreams; never secrets). */
  readonly describe: (config: C) => Record<string, unknown>;
}

export interface ServiceProcess {
  readonly env: NodeJS.ProcessEnv;
  readonly stderr: { write(text: string): unknown };
  on(signal: 'SIGTERM' | 'SIGINT', listener: () => void): unknown;
  exitCode?: number | string | null | undefined;
}

export const SHUTDOWN_SIGNALS = ['SIGTERM', 'SIGINT'] as const;

/** Runs the service in `proc` (the real process unless a test passes another). */
export async function runService<C extends { readonly logLevel: string }>(
  definition: ServiceDefinition<C>,
  proc: ServiceProcess = process,
): Promise<void> {
  try {
    await start(definition, proc);
  } catch (err) {
    proc.stderr.write(`${definition.name}: fatal: ${err instanceof Error ? err.stack : String(err)}\n`);
    proc.exitCode = 1;
  }
}

async function start<C extends { readonly logLevel: string }>(definition: ServiceDefinition<C>, proc: ServiceProcess): Promise<void> {
  let config: C;
  try {
    config = definition.loadConfig(proc.env);
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    proc.stderr.write(`${definition.name}: ${err.message}\n`);
    proc.exitCode = 2;
    return;
  }
  const log = createLogger(definition.name, config.logLevel);
  const service = definition.build(config, log);

  let closing = false;
  const shutdown = (signal: string): void => {
    if (closing) return;
    closing = true;
    log.info({ signal }, 'shutting down');
    service.close().then(
      () => log.info('closed'),
      (err: unknown) => {
        log.error({ err }, 'error while closing');
        proc.exitCode = 1;
      },
    );
  };
  for (const signal of SHUTDOWN_SIGNALS) proc.on(signal, () => shutdown(signal));

  await service.listen();
  log.info(definition.describe(config), `${definition.name} listening`);
}
