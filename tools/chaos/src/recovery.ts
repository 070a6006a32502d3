/**
 * Recovery accounting: how long users wait after each fault. Pure: the clock is passed in, and the
 * run feeds it events (kill, serving again, a client offline/online, a change delivered).
 *
 *   kill ──────────▶ serving again ─────────▶ recovered
 *    │  (a) servingMs: the component answers   │
 *    └──────── (b) deliveredMs: a change committed after the kill has reached every client
 *
 * (b) per client: the first change it applies whose Postgres commit time is at or after the kill.
 * Changes arrive in commit order, so that change's arrival means every earlier change of the
 * client's view has arrived too. Time a client spent offline by the run's own choice (its random
 * disconnects) is not the fault's doing and is not counted against it.
 *
 * Faults that overlap form one episode: a fault that strikes while a component of the episode is
 * still not serving joins it. An episode's kind is its targets joined by "+" ("connect+kafka"), a
 * single fault's kind is its target; the episode's (b) is the time from its first kill until a
 * change committed after its last kill reached every client. An episode the next fault struck
 * before it had recovered, or that began before the previous one had recovered, is marked disturbed:
 * its (b) includes some of the other's effect.
 *
 * While Postgres is down nothing commits: the first change after its kill is committed once it is
 * back, so (b) includes the outage. A transaction that fails meanwhile is the writer's failure,
 * not a loss (the final comparison with the database settles its outcome).
 */

export type Clock = () => number;

export interface Stats {
  readonly count: number;
  readonly p50: number | null;
  readonly max: number | null;
}

interface FaultRecovery {
  readonly target: string;
  /** ms since the ledger started */
  readonly killAt: number;
  /** (a) kill → the component serving again; null if it never was. */
  readonly servingMs: number | null;
  /** (b) kill → a change committed after the kill reached every client; null if it never did. */
  readonly deliveredMs: number | null;
  /** The same for the first client to get one: far below deliveredMs means one client lagged, not the pipeline. */
  readonly firstDeliveredMs: number | null;
}

export interface EpisodeRecovery {
  /** "kafka", "ws-a", or overlapping faults' targets sorted and joined by "+": "connect+kafka". */
  readonly kind: string;
  readonly targets: readonly string[];
  readonly startAt: number;
  /** First kill → the last of its components serving again. */
  readonly servingMs: number | null;
  /** First kill → a change committed after its last kill reached every client. */
  readonly deliveredMs: number | null;
  /** The last component serving again → recovered (what "N s after it is back" measures). */
  readonly afterServingMs: number | null;
  /** It began before the previous episode had recovered, or the next fault struck before it had: its figures include another's effect. */
  readonly disturbed: boolean;
}

export interface KindRecovery {
  readonly kind: string;
  readonly serving: Stats;
  readonly delivered: Stats;
  readonly afterServing: Stats;
  /** Episodes of this kind that never recovered before the run ended. */
  readonly unrecovered: number;
  /** Episodes of this kind the next fault struck before they had recovered. */
  readonly disturbed: number;
}

export interface RecoveryReport {
  readonly faults: FaultRecovery[];
  readonly episodes: EpisodeRecovery[];
  readonly kinds: KindRecovery[];
}

interface Fault {
  readonly target: string;
  readonly killAt: number;
  servingAt: number | undefined;
  /** client → when it first applied a change committed at or after killAt */
  readonly arrivals: Map<number, number>;
}

interface Client {
  /** Index of the first fault (in kill order) this client has not yet seen a later change for. */
  next: number;
  /** [offline from, online again at (undefined: still offline)] */
  readonly offline: [number, number | undefined][];
}

export class RecoveryLedger {
  readonly #now: Clock;
  readonly #origin: number;
  readonly #faults: Fault[] = [];
  readonly #clients = new Map<number, Client>();

  constructor(now: Clock) {
    this.#now = now;
    this.#origin = now();
  }

  /** A client every fault's recovery waits for. */
  addClient(client: number): void {
    if (!this.#clients.has(client)) this.#clients.set(client, { next: this.#faults.length, offline: [] });
  }

  /** A fault strikes now; returns its id for serving(). */
  kill(target: string): number {
    this.#faults.push({ target, killAt: this.#now(), servingAt: undefined, arrivals: new Map() });
    return this.#faults.length - 1;
  }

  /** The fault's component answers again (the first call counts). */
  serving(fault: number): void {
    const record = this.#faults[fault];
    if (record && record.servingAt === undefined) record.servingAt = this.#now();
  }

  /** The run took this client offline on purpose (not the fault's doing). */
  clientOffline(client: number): void {
    const offline = this.#clients.get(client)?.offline;
    const last = offline?.at(-1);
    if (offline && (last === undefined || last[1] !== undefined)) offline.push([this.#now(), undefined]);
  }

  clientOnline(client: number): void {
    const last = this.#clients.get(client)?.offline.at(-1);
    if (last && last[1] === undefined) last[1] = this.#now();
  }

  /** The client applied a change that Postgres committed at commitTime (epoch ms, the same clock). */
  delivered(client: number, commitTime: number): void {
    const state = this.#clients.get(client);
    if (!state) return;
    const at = this.#now();
    while (state.next < this.#faults.length && this.#faults[state.next]!.killAt <= commitTime) {
      this.#faults[state.next]!.arrivals.set(client, at);
      state.next += 1;
    }
  }

  /** Every fault so far has been followed by a later change at every client. */
  allRecovered(): boolean {
    return [...this.#clients.values()].every((client) => client.next === this.#faults.length);
  }

  /** The figures; times of day are given as ms after `origin` (default: when the ledger was made). */
  report(origin = this.#origin): RecoveryReport {
    const faults = this.#faults.map((fault) => ({
      target: fault.target,
      killAt: fault.killAt - origin,
      servingMs: fault.servingAt === undefined ? null : fault.servingAt - fault.killAt,
      deliveredMs: this.#recoveredAfter(fault.killAt, fault),
      firstDeliveredMs: this.#firstAfter(fault),
    }));
    const episodes = this.#episodes(origin);
    return { faults, episodes, kinds: byKind(episodes) };
  }

  /** Longest wait of any client, from `from` until it had a change committed after `fault`'s kill. */
  #recoveredAfter(from: number, fault: Fault): number | null {
    let worst = 0;
    for (const [client, state] of this.#clients) {
      const arrival = fault.arrivals.get(client);
      if (arrival === undefined) return null;
      worst = Math.max(worst, arrival - from - offlineWithin(state.offline, from, arrival));
    }
    return worst;
  }

  #firstAfter(fault: Fault): number | null {
    let first: number | null = null;
    for (const [client, state] of this.#clients) {
      const arrival = fault.arrivals.get(client);
      if (arrival === undefined) continue;
      const waited = arrival - fault.killAt - offlineWithin(state.offline, fault.killAt, arrival);
      first = first === null ? waited : Math.min(first, waited);
    }
    return first;
  }

  #episodes(origin: number): EpisodeRecovery[] {
    const episodes: EpisodeRecovery[] = [];
    const faults = this.#faults;
    /** When the previous episode had recovered (Infinity: it never did). */
    let previousRecoveredAt = -Infinity;
    let i = 0;
    while (i < faults.length) {
      const first = faults[i]!;
      const members = [first];
      // A fault that strikes while a member is still not serving overlaps it.
      for (i += 1; i < faults.length && faults[i]!.killAt < servingUntil(members); i++) members.push(faults[i]!);
      const deliveredMs = this.#recoveredAfter(first.killAt, members.at(-1)!);
      // When the last client really had it (its own time offline included): until then the
      // episode's effect lasts, and another fault overlapping it disturbs both.
      const recoveredAt = lastArrival(members.at(-1)!, this.#clients.size);
      const servingAt = servingUntil(members);
      const next = faults[i];
      const targets = [...new Set(members.map((m) => m.target))].sort();
      episodes.push({
        kind: targets.join('+'),
        targets,
        startAt: first.killAt - origin,
        servingMs: servingAt === Infinity ? null : servingAt - first.killAt,
        deliveredMs,
        afterServingMs: servingAt === Infinity || deliveredMs === null ? null : Math.max(0, first.killAt + deliveredMs - servingAt),
        disturbed: first.killAt < previousRecoveredAt || (next !== undefined && next.killAt < recoveredAt),
      });
      previousRecoveredAt = recoveredAt;
    }
    return episodes;
  }
}

/** When the last client got a change committed after the fault; Infinity if one never did. */
function lastArrival(fault: Fault, clients: number): number {
  return fault.arrivals.size < clients ? Infinity : Math.max(...fault.arrivals.values());
}

/** When the last of the members answered again; Infinity while one has not. */
function servingUntil(members: readonly Fault[]): number {
  return members.some((m) => m.servingAt === undefined) ? Infinity : Math.max(...members.map((m) => m.servingAt!));
}

/** How much of [from, to] the client spent offline by the run's choice. */
function offlineWithin(offline: readonly [number, number | undefined][], from: number, to: number): number {
  let total = 0;
  for (const [start, end] of offline) total += Math.max(0, Math.min(end ?? to, to) - Math.max(start, from));
  return total;
}

function byKind(episodes: readonly EpisodeRecovery[]): KindRecovery[] {
  const kinds = new Map<string, EpisodeRecovery[]>();
  for (const episode of episodes) kinds.set(episode.kind, [...(kinds.get(episode.kind) ?? []), episode]);
  return [...kinds]
    .sort(([a], [b]) => a.split('+').length - b.split('+').length || a.localeCompare(b))
    .map(([kind, list]) => ({
      kind,
      serving: stats(list.map((e) => e.servingMs)),
      delivered: stats(list.map((e) => e.deliveredMs)),
      afterServing: stats(list.map((e) => e.afterServingMs)),
      unrecovered: list.filter((e) => e.deliveredMs === null).length,
      disturbed: list.filter((e) => e.disturbed).length,
    }));
}

/** Median (nearest rank, the lower middle) and maximum of the known values. */
export function stats(values: readonly (number | null)[]): Stats {
  const known = values.filter((v): v is number => v !== null).sort((a, b) => a - b);
  if (known.length === 0) return { count: 0, p50: null, max: null };
  return { count: known.length, p50: known[Math.ceil(known.length / 2) - 1]!, max: known.at(-1)! };
}
