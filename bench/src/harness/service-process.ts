/**
 * The built websocket-service as a child process, for benchmarks. Like testkit's
 * startServiceProcess, plus what measuring needs: node flags (testkit cannot pass them, and Node
 * refuses --cpu-prof in NODE_OPTIONS), a ready timeout that suits a million-row topic, and the time
 * from spawn to the first 200 on /readyz.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { REPO_ROOT, freePort, type StackEndpoints } from '@orders-live/testkit';
import { createInterface } from 'node:readline';
import { sleep } from './clock.js';
import { collectGarbage, inspectArgs, isInspectorBanner } from './inspector.js';

export const SERVICE_MAIN = `${REPO_ROOT}services/websocket-service/dist/main.js`;
/** /readyz is polled this often while waiting: the resolution of the start-up time. */
export const READY_POLL_MS = 20;
const STOP_TIMEOUT_MS = 15_000;

export interface ServiceOptions {
  readonly env?: Record<string, string>;
  /** Write a V8 CPU profile (.cpuprofile) into this directory when the process exits. */
  readonly cpuProfileDir?: string;
  readonly readyTimeoutMs?: number;
  /** Open the V8 inspector on a loopback port, so the benchmark can force a GC before reading memory. */
  readonly inspect?: boolean;
}

export interface RunningService {
  readonly pid: number;
  readonly port: number;
  readonly httpUrl: string;
  readonly wsUrl: string;
  /** Spawn → first 200 from /readyz, in ms. */
  readonly readyMs: number;
  readonly child: ChildProcess;
  /** A full GC now (only when started with `inspect`). */
  readonly collectGarbage: (() => Promise<void>) | undefined;
  /** SIGTERM, wait for exit (SIGKILL after a while). Writes the CPU profile, if asked for. */
  stop(): Promise<void>;
}

/** Passes a child's stderr through, without the inspector's banner lines. */
export function forwardStderr(child: ChildProcess): void {
  if (!child.stderr) return;
  createInterface({ input: child.stderr }).on('line', (line) => {
    if (!isInspectorBanner(line)) process.stderr.write(`${line}\n`);
  });
}

export function assertServiceBuilt(): void {
  if (!existsSync(SERVICE_MAIN)) throw new Error(`${SERVICE_MAIN} is missing: run \`npm run build\` first`);
}

export async function stopChild(child: ChildProcess, timeoutMs = STOP_TIMEOUT_MS): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  await exited;
  clearTimeout(timer);
}

export async function startService(stack: StackEndpoints, options: ServiceOptions = {}): Promise<RunningService> {
  assertServiceBuilt();
  const port = await freePort();
  const inspectorPort = options.inspect ? await freePort() : undefined;
  const nodeArgs = [...(options.cpuProfileDir ? ['--cpu-prof', `--cpu-prof-dir=${options.cpuProfileDir}`] : []), ...(inspectorPort ? inspectArgs(inspectorPort) : [])];
  const started = performance.now();
  const child = spawn(process.execPath, [...nodeArgs, SERVICE_MAIN], {
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', KAFKA_BROKERS: stack.kafkaBrokers.join(','), LOG_LEVEL: 'warn', ...options.env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  forwardStderr(child);
  const httpUrl = `http://127.0.0.1:${port}`;
  const deadline = started + (options.readyTimeoutMs ?? 120_000);
  try {
    for (;;) {
      if (child.exitCode !== null || child.signalCode !== null) throw new Error(`websocket-service exited (${child.exitCode ?? child.signalCode}) before it was ready`);
      const ok = await fetch(`${httpUrl}/readyz`).then((response) => response.ok, () => false);
      if (ok) break;
      if (performance.now() > deadline) throw new Error(`websocket-service was not ready within ${options.readyTimeoutMs ?? 120_000} ms`);
      await sleep(READY_POLL_MS);
    }
  } catch (err) {
    await stopChild(child);
    throw err;
  }
  const readyMs = performance.now() - started;
  return {
    pid: child.pid!,
    port,
    httpUrl,
    wsUrl: `ws://127.0.0.1:${port}/ws`,
    readyMs,
    child,
    collectGarbage: inspectorPort ? () => collectGarbage(inspectorPort) : undefined,
    stop: () => stopChild(child),
  };
}

/** The service's /readyz body. */
export async function readyBody(httpUrl: string): Promise<{ ready: boolean; rows: number; cursor: string; clients: number }> {
  return (await (await fetch(`${httpUrl}/readyz`)).json()) as { ready: boolean; rows: number; cursor: string; clients: number };
}

/** Cumulative buckets of a Prometheus histogram on /metrics. */
export async function histogramBuckets(httpUrl: string, name: string): Promise<{ le: number; count: number }[]> {
  const text = await (await fetch(`${httpUrl}/metrics`)).text();
  const buckets: { le: number; count: number }[] = [];
  const pattern = new RegExp(`^${name}_bucket\\{le="([^"]+)"\\} (\\S+)$`, 'gm');
  for (const match of text.matchAll(pattern)) buckets.push({ le: match[1] === '+Inf' ? Infinity : Number(match[1]), count: Number(match[2]) });
  return buckets;
}
