/**
 * The built websocket-service as a child process, for benchmarks: testkit's startServiceProcess with
 * what measuring adds — a CPU profile (Node refuses --cpu-prof in NODE_OPTIONS), the V8 inspector on
 * loopback to force a GC before memory is read, /readyz polled finely enough to time the start-up.
 */
import type pg from 'pg';
import { startServiceProcess, waitFor, type Cleanup, type ServiceProcess, type StackEndpoints, freePort } from '@orders-live/testkit';
import { collectGarbage, inspectArgs, isInspectorBanner } from './inspector.js';

/** /readyz is polled this often while waiting: the resolution of the start-up time. */
export const READY_POLL_MS = 20;
const READY_TIMEOUT_MS = 120_000;

interface ServiceOptions {
  readonly env?: Record<string, string>;
  /** Write a V8 CPU profile (.cpuprofile) into this directory when the process exits. */
  readonly cpuProfileDir?: string;
  readonly readyTimeoutMs?: number;
  /** Open the V8 inspector on a loopback port, so the benchmark can force a GC before reading memory. */
  readonly inspect?: boolean;
}

export interface RunningService extends ServiceProcess {
  /** A full GC now (only when started with `inspect`). */
  readonly collectGarbage: (() => Promise<void>) | undefined;
  /** The V8 inspector's loopback port (only when started with `inspect`). */
  readonly inspectorPort: number | undefined;
}

/** Node flags for a CPU profile into `cpuProfileDir` and the inspector on `inspectorPort`. */
export function measuringNodeArgs(cpuProfileDir: string | undefined, inspectorPort: number | undefined): string[] {
  return [
    ...(cpuProfileDir ? ['--cpu-prof', `--cpu-prof-dir=${cpuProfileDir}`] : []),
    ...(inspectorPort ? inspectArgs(inspectorPort) : []),
  ];
}

/** Passes a child's stderr line through, without the inspector's banner lines. */
export function forwardStderrLine(line: string): void {
  if (!isInspectorBanner(line)) process.stderr.write(`${line}\n`);
}

export async function startService(stack: StackEndpoints, options: ServiceOptions = {}): Promise<RunningService> {
  const inspectorPort = options.inspect ? await freePort() : undefined;
  const service = await startServiceProcess(stack, {
    ...(options.env ? { env: options.env } : {}),
    readyTimeoutMs: options.readyTimeoutMs ?? READY_TIMEOUT_MS,
    nodeArgs: measuringNodeArgs(options.cpuProfileDir, inspectorPort),
    onStderrLine: forwardStderrLine,
    readyPollMs: READY_POLL_MS,
  });
  return { ...service, collectGarbage: inspectorPort ? () => collectGarbage(inspectorPort) : undefined, inspectorPort };
}

/** The service's /readyz body. */
export interface ReadyBody {
  readonly ready: boolean;
  readonly rows: number;
  readonly cursor: string;
  readonly clients: number;
  /** Per table served: its rows (and more, see /readyz). */
  readonly tables?: Readonly<Record<string, { readonly rows: number }>>;
}

export async function readyBody(httpUrl: string): Promise<ReadyBody> {
  return (await (await fetch(`${httpUrl}/readyz`)).json()) as ReadyBody;
}

/**
 * The service started (and stopped at cleanup), then awaited until its view holds every row the table
 * has now: a benchmark on a large table measures the service with all of it, not a catch-up.
 */
export async function startServiceHoldingTable(
  stack: StackEndpoints,
  db: pg.Pool,
  cleanup: Cleanup,
  timeoutMs: number,
  options: { inspect?: boolean; table?: 'orders' | 'order_lines' } = {},
): Promise<{ readonly service: RunningService; readonly tableRows: number }> {
  const table = options.table ?? 'orders';
  const service = await startService(stack, {
    readyTimeoutMs: timeoutMs,
    ...(options.inspect === undefined ? {} : { inspect: options.inspect }),
    // Another table is served beside orders (the service's first table).
    ...(table === 'orders' ? {} : { env: { TABLES: `public.${table}` } }),
  });
  cleanup.add('stop the websocket-service', () => service.stop());
  const tableRows = Number((await db.query<{ n: string }>(`SELECT count(*) AS n FROM public.${table}`)).rows[0]!.n);
  await waitFor(
    'the service to hold the whole table',
    async () => ((await readyBody(service.httpUrl)).tables?.[table]?.rows ?? 0) >= tableRows,
    timeoutMs,
  );
  return { service, tableRows };
}
