/** The benchmark's side of a client fleet: forks client-fleet.js and talks to it over IPC. */
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { ConnectResult, FleetProtocol, FleetReply, FleetRequest, FleetStats, LatencyResult } from './fleet-protocol.js';

const FLEET_MAIN = fileURLToPath(new URL('./client-fleet.js', import.meta.url));
/** Per-delivery arrival times of a latency run (1,000 clients × 15,000 changes) need room. */
const FLEET_HEAP_MB = 4_096;
const CLOSE_TIMEOUT_MS = 5_000;

export class Fleet {
  readonly #child: ChildProcess;
  readonly #pending = new Map<number, { resolve: (value: unknown) => void; reject: (err: Error) => void }>();
  readonly #exited: Promise<void>;
  #nextId = 1;

  private constructor(child: ChildProcess) {
    this.#child = child;
    child.on('message', (reply: FleetReply) => {
      const waiter = this.#pending.get(reply.id);
      if (!waiter) return;
      this.#pending.delete(reply.id);
      if (reply.ok) waiter.resolve(reply.result);
      else waiter.reject(new Error(`client fleet: ${reply.error}`));
    });
    this.#exited = new Promise((resolve) => {
      child.once('exit', (code, signal) => {
        for (const waiter of this.#pending.values()) waiter.reject(new Error(`client fleet exited (${code ?? signal})`));
        this.#pending.clear();
        resolve();
      });
    });
  }

  static start(): Fleet {
    const child = fork(FLEET_MAIN, [], {
      execArgv: [`--max-old-space-size=${FLEET_HEAP_MB}`],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    return new Fleet(child);
  }

  get pid(): number {
    return this.#child.pid!;
  }

  #request<T>(request: FleetRequest): Promise<T> {
    const id = this.#nextId++;
    return new Promise<T>((resolve, reject) => {
      if (this.#child.exitCode !== null || !this.#child.connected) {
        reject(new Error('client fleet is not running'));
        return;
      }
      this.#pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
      this.#child.send({ id, request });
    });
  }

  connect(
    host: string,
    port: number,
    protocol: FleetProtocol,
    count: number,
    options: {
      record?: number;
      filter?: Record<string, unknown>;
      subscribes?: readonly Record<string, unknown>[];
      parallel?: number;
      timeoutMs?: number;
    } = {},
  ): Promise<ConnectResult> {
    return this.#request({
      cmd: 'connect',
      host,
      port,
      protocol,
      count,
      record: options.record ?? 0,
      ...(options.filter ? { filter: options.filter } : {}),
      ...(options.subscribes ? { subscribes: options.subscribes } : {}),
      parallel: options.parallel ?? 200,
      timeoutMs: options.timeoutMs ?? 180_000,
    });
  }

  reset(): Promise<FleetStats> {
    return this.#request({ cmd: 'reset' });
  }

  stats(): Promise<FleetStats> {
    return this.#request({ cmd: 'stats' });
  }

  latency(commits: readonly (readonly [string, number])[]): Promise<LatencyResult> {
    return this.#request({ cmd: 'latency', commits });
  }

  /** Drops every client and ends the process (SIGKILL if it does not go). */
  async close(): Promise<void> {
    if (this.#child.exitCode !== null || this.#child.signalCode !== null) return;
    const timer = setTimeout(() => this.#child.kill('SIGKILL'), CLOSE_TIMEOUT_MS);
    await this.#request({ cmd: 'close' }).catch(() => undefined);
    await this.#exited;
    clearTimeout(timer);
  }
}
