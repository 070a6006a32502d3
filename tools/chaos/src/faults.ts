/**
 * Killing and restarting the parts of the system. The native stack's components (Postgres, Kafka,
 * Connect) are killed by the pid files stack/up.sh keeps and brought back by stack/up.sh itself
 * (idempotent: it restarts what is down and waits until the connector's task runs and its records
 * reach Kafka again); the
 * websocket-service replicas are processes of this run.
 */
import {
  bringStackUp,
  isAlive,
  killStackComponent,
  stackPid,
  startServiceProcess,
  STACK_COMPONENTS,
  type ServiceProcess,
  type StackEndpoints,
} from '@orders-live/testkit';
import type { Target } from './schedule.js';
import { CHAOS_EXTRA_TABLES } from './writer.js';

export interface Replica {
  readonly name: 'ws-a' | 'ws-b';
  process: ServiceProcess | undefined;
  readonly port: number;
}

/** A replica is ready only once Kafka is; with Kafka (and its restart queue) down too, that takes a while. */
const REPLICA_READY_TIMEOUT_MS = 240_000;

export class Faults {
  readonly kills = new Map<Target, number>();
  /** Components found dead that the schedule had not killed (e.g. Connect exits after a long Kafka outage). */
  unplannedRestarts = 0;
  /** Targets the schedule has down right now: the supervisor leaves them alone. */
  readonly #down = new Set<Target>();
  /**
   * A target's restart still in progress (a replica waits for Kafka to be ready, which may be down
   * too): its next kill waits for it, or it would kill nothing and the next start find its port taken.
   */
  readonly #restarting = new Map<Target, Promise<void>>();
  readonly #stack: StackEndpoints;
  readonly replicas: Record<'ws-a' | 'ws-b', Replica>;
  /** stack/up.sh runs one at a time, each after the previous: one started before a kill would miss it. */
  #stackRestarts: Promise<void> = Promise.resolve();
  #stackRestarting = 0;

  /** Receives stack/up.sh's progress lines (what it started, what it waited for). */
  readonly #log: (line: string) => void;

  constructor(stack: StackEndpoints, replicas: Record<'ws-a' | 'ws-b', Replica>, log: (line: string) => void = () => undefined) {
    this.#stack = stack;
    this.#log = log;
    this.replicas = replicas;
  }

  async kill(target: Target): Promise<void> {
    await this.#restarting.get(target)?.catch(() => undefined);
    this.kills.set(target, (this.kills.get(target) ?? 0) + 1);
    this.#down.add(target);
    if (target === 'ws-a' || target === 'ws-b') {
      await this.replicas[target].process?.kill9();
      this.replicas[target].process = undefined;
      return;
    }
    // Already dead (it died on its own and the supervisor has not got to it): nothing to kill.
    await killStackComponent(target);
  }

  async restart(target: Target): Promise<void> {
    // Already on its way back (a late scheduled restart, or the end of the run): wait for that one.
    const pending = this.#restarting.get(target);
    if (pending) return pending;
    const restart = this.#restart(target);
    this.#restarting.set(target, restart);
    try {
      await restart;
    } finally {
      if (this.#restarting.get(target) === restart) this.#restarting.delete(target);
    }
  }

  async #restart(target: Target): Promise<void> {
    this.#down.delete(target);
    if (target === 'ws-a' || target === 'ws-b') {
      const replica = this.replicas[target];
      replica.process = await startServiceProcess(this.#stack, {
        // Orders (KAFKA_TOPIC's) and its lines, which the writer commits in the same transactions.
        env: { SERVER_ID: target, TABLES: CHAOS_EXTRA_TABLES.join(',') },
        port: replica.port,
        readyTimeoutMs: REPLICA_READY_TIMEOUT_MS,
      });
      return;
    }
    // stack/up.sh brings back every stack component that is down; runs are queued, never joined.
    this.#stackRestarting += 1;
    const restart = this.#stackRestarts.then(() => upUntilItWorks(this.#log));
    this.#stackRestarts = restart.catch(() => undefined);
    try {
      await restart;
    } finally {
      this.#stackRestarting -= 1;
    }
  }

  /**
   * What a container runtime's restart policy does for compose: a stack component that died on its
   * own (not by the schedule) is started again. Kafka Connect, for one, exits when Kafka stays away
   * too long.
   */
  async supervise(): Promise<void> {
    for (const target of STACK_COMPONENTS) {
      if (this.#down.has(target) || this.#stackRestarting > 0) continue;
      const pid = await stackPid(target);
      const alive = pid > 0 && isAlive(pid);
      if (!alive) {
        this.unplannedRestarts += 1;
        await this.restart(target);
        return;
      }
    }
  }

  /** Brings back anything still down (end of run). */
  async restoreAll(): Promise<void> {
    await this.restart('postgres');
    for (const replica of Object.values(this.replicas)) {
      if (!replica.process) await this.restart(replica.name);
    }
  }
}

/** stack/up.sh attempts per restart: Connect exits when it starts while Kafka is still down, as it does under compose's restart policy too. */
const UP_ATTEMPTS = 6;

async function upUntilItWorks(log: (line: string) => void): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      const stderr = await bringStackUp();
      // What it did and waited for; "already running" lines say nothing new.
      for (const line of stderr.split('\n')) if (line.trim() && !line.includes('already running')) log(`    up.sh: ${line}`);
      return;
    } catch (err) {
      if (attempt >= UP_ATTEMPTS)
        throw new Error(
          `stack/up.sh failed ${attempt} times: ${(err as { stderr?: string }).stderr?.slice(-2_000) ?? (err as Error).message}`,
          { cause: err },
        );
    }
  }
}
