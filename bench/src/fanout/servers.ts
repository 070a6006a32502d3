/** The two servers bench:fanout compares, started the same way and measured the same way. */
import { fileURLToPath } from 'node:url';
import { freePort, startNodeProcess, type StackEndpoints } from '@orders-live/testkit';
import type { FleetProtocol } from '../harness/fleet-protocol.js';
import { collectGarbage } from '../harness/inspector.js';
import { READY_POLL_MS, forwardStderrLine, measuringNodeArgs, startService } from '../harness/service-process.js';

export type ServerKind = 'ours' | 'socketio';

export interface BenchServer {
  readonly kind: ServerKind;
  readonly label: string;
  readonly protocol: FleetProtocol;
  readonly pid: number;
  readonly port: number;
  readonly httpUrl: string;
  /** Our service's /metrics (heap, frames sent); undefined for the baseline. */
  readonly metricsUrl: string | undefined;
  /** A full GC in the server (through its inspector), before memory is read. */
  readonly collectGarbage: () => Promise<void>;
  stop(): Promise<void>;
}

const BASELINE_MAIN = fileURLToPath(new URL('./baseline-socketio.js', import.meta.url));
const BASELINE_READY_TIMEOUT_MS = 60_000;

export const SERVER_LABELS: Record<ServerKind, string> = {
  ours: 'websocket-service (ws, per-socket batch writes)',
  socketio: 'Socket.IO baseline (io.emit per change)',
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
  const port = await freePort();
  const inspectorPort = await freePort();
  const httpUrl = `http://127.0.0.1:${port}`;
  const child = await startNodeProcess({
    name: 'socketio-baseline',
    main: BASELINE_MAIN,
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
    protocol: 'socketio',
    pid: child.pid,
    port,
    httpUrl,
    metricsUrl: undefined,
    collectGarbage: () => collectGarbage(inspectorPort),
    stop: () => child.stop(),
  };
}
