/** The servers bench:fanout compares (ours and two baselines), started the same way and measured the same way. */
import { fileURLToPath } from 'node:url';
import { freePort, startNodeProcess, type StackEndpoints } from '@orders-live/testkit';
import type { FleetProtocol } from '../harness/fleet-protocol.js';
import { collectGarbage } from '../harness/inspector.js';
import { READY_POLL_MS, forwardStderrLine, measuringNodeArgs, startService } from '../harness/service-process.js';

export type ServerKind = 'ours' | 'socketio' | 'seed';
export const SERVER_KINDS: readonly ServerKind[] = ['ours', 'socketio', 'seed'];

export interface BenchServer {
  readonly kind: ServerKind;
  readonly label: string;
  readonly protocol: FleetProtocol;
  readonly pid: number;
  readonly port: number;
  readonly httpUrl: string;
  /** Our service's /metrics (heap, frames sent); undefined for a baseline. */
  readonly metricsUrl: string | undefined;
  /** A full GC in the server (through its inspector), before memory is read. */
  readonly collectGarbage: () => Promise<void>;
  stop(): Promise<void>;
}

/** Each baseline's process and the fleet protocol its clients speak. */
const BASELINES: Record<Exclude<ServerKind, 'ours'>, { readonly name: string; readonly main: string; readonly protocol: FleetProtocol }> = {
  socketio: { name: 'socketio-baseline', main: fileURLToPath(new URL('./baseline-socketio.js', import.meta.url)), protocol: 'socketio' },
  // It answers our subscribe with a snapshot and sends transaction frames: the fleet counts it as it counts ours.
  seed: { name: 'seed-baseline', main: fileURLToPath(new URL('./baseline-seed.js', import.meta.url)), protocol: 'orders' },
};
const BASELINE_READY_TIMEOUT_MS = 60_000;

export const SERVER_LABELS: Record<ServerKind, string> = {
  ours: 'websocket-service (ws, per-socket batch writes)',
  socketio: 'Socket.IO baseline (io.emit per change)',
  seed: 'seed baseline (ws, JSON.stringify + send per change per client)',
};

export async function startBenchServer(
  kind: ServerKind,
  stack: StackEndpoints,
  options: { cpuProfileDir?: string } = {},
): Promise<BenchServer> {
  if (kind === 'ours') {
    const service = await startService(stack, {
      inspect: true,
      ...(options.cpuProfileDir ? { cpuProfileDir: options.cpuProfileDir } : {}),
    });
    return {
      kind,
      label: SERVER_LABELS[kind],
      protocol: 'orders',
      pid: service.pid,
      port: service.port,
      httpUrl: service.httpUrl,
      metricsUrl: service.httpUrl,
      collectGarbage: service.collectGarbage!,
      stop: () => service.stop(),
    };
  }
  const baseline = BASELINES[kind];
  const port = await freePort();
  const inspectorPort = await freePort();
  const httpUrl = `http://127.0.0.1:${port}`;
  const child = await startNodeProcess({
    name: baseline.name,
    main: baseline.main,
    env: { PORT: String(port), KAFKA_BROKERS: stack.kafkaBrokers.join(','), KAFKA_TOPIC: stack.topic },
    readyUrl: `${httpUrl}/readyz`,
    readyTimeoutMs: BASELINE_READY_TIMEOUT_MS,
    nodeArgs: measuringNodeArgs(options.cpuProfileDir, inspectorPort),
    onStderrLine: forwardStderrLine,
    readyPollMs: READY_POLL_MS,
  });
  return {
    kind,
    label: SERVER_LABELS[kind],
    protocol: baseline.protocol,
    pid: child.pid,
    port,
    httpUrl,
    metricsUrl: undefined,
    collectGarbage: () => collectGarbage(inspectorPort),
    stop: () => child.stop(),
  };
}
