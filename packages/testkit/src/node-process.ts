/**
 * A Node program as a child process that is ready once an HTTP endpoint answers 200: the
 * websocket-service (service.ts) and the benchmarks' baseline servers. Stopping is SIGTERM, then
 * SIGKILL if it has not exited after a while.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { POLL_INTERVAL_MS } from './wait.js';

/** A process that ignores SIGTERM this long gets SIGKILL: a stop never hangs a run. */
const STOP_TIMEOUT_MS = 15_000;

export interface NodeProcessOptions {
  /** What the errors call it. */
  readonly name: string;
  /** The program (a built .js file). */
  readonly main: string;
  /** Merged over this process's environment. */
  readonly env: Record<string, string>;
  /** Polled until it answers 200. */
  readonly readyUrl: string;
  readonly readyTimeoutMs: number;
  /** Node flags before the program (Node refuses some in NODE_OPTIONS, e.g. --cpu-prof). */
  readonly nodeArgs?: readonly string[];
  /** Each line of the child's stderr; without it the child writes to this process's stderr. */
  readonly onStderrLine?: (line: string) => void;
  /** How often readyUrl is polled: the resolution of readyMs. */
  readonly readyPollMs?: number;
}

export interface NodeProcess {
  readonly pid: number;
  readonly child: ChildProcess;
  /** Spawn → first 200 from readyUrl, in ms. */
  readonly readyMs: number;
  /** SIGKILL: no goodbye to clients, no clean disconnect. */
  kill9(): Promise<void>;
  /** SIGTERM and wait for exit (SIGKILL after a while). */
  stop(): Promise<void>;
}

const hasExited = (child: ChildProcess): boolean => child.exitCode !== null || child.signalCode !== null;

/** SIGTERM, wait for the exit; SIGKILL if it takes longer than timeoutMs. */
export async function stopProcess(child: ChildProcess, timeoutMs = STOP_TIMEOUT_MS): Promise<void> {
  if (hasExited(child)) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  await exited;
  clearTimeout(timer);
}

/**
 * Node 24 reports kafkajs 2.2.4's negative timer delay as a warning on every Kafka connection (kafkajs
 * issue #1751; the delay becomes 1 ms, as kafkajs means): silenced, so a test's stderr shows real problems.
 */
const NODE_ARGS = ['--disable-warning=TimeoutNegativeWarning'];

export async function startNodeProcess(options: NodeProcessOptions): Promise<NodeProcess> {
  const { name, onStderrLine } = options;
  const started = performance.now();
  const child = spawn(process.execPath, [...NODE_ARGS, ...(options.nodeArgs ?? []), options.main], {
    env: { ...process.env, ...options.env },
    stdio: ['ignore', 'ignore', onStderrLine ? 'pipe' : 'inherit'],
  });
  if (onStderrLine && child.stderr) createInterface({ input: child.stderr }).on('line', onStderrLine);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const deadline = started + options.readyTimeoutMs;
  try {
    // Polled here rather than with waitFor, so that a child that exits fails at once.
    for (;;) {
      if (hasExited(child)) throw new Error(`${name} exited (${child.exitCode ?? child.signalCode}) before it was ready`);
      if (
        await fetch(options.readyUrl).then(
          (response) => response.ok,
          () => false,
        )
      )
        break;
      if (performance.now() > deadline) throw new Error(`${name} was not ready within ${options.readyTimeoutMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, options.readyPollMs ?? POLL_INTERVAL_MS));
    }
  } catch (err) {
    // Never leave a process behind holding the port.
    child.kill('SIGKILL');
    await exited;
    throw err;
  }
  const readyMs = performance.now() - started;
  return {
    pid: child.pid!,
    child,
    readyMs,
    async kill9() {
      child.kill('SIGKILL');
      await exited;
    },
    stop: () => stopProcess(child),
  };
}
