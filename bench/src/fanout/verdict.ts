/**
 * What bench:fanout concludes from one server's bursts, and across servers (pure): the bursts'
 * totals, deliveries per second per core of server CPU, the ratios of ours to each baseline, and
 * the runs that measured nothing. A baseline that delivered nothing makes any ratio against it
 * meaningless: the benchmark fails instead of printing one.
 */

/** What a burst window needs to contribute to the totals (measure.ts's DeliveryWindow). */
export interface BurstFigures {
  readonly expected: number;
  readonly deliveries: number;
  readonly windowMs: number;
  /** From the commit returning to the last delivery: the span the server's CPU was sampled over, less the drain's quiet tail. */
  readonly commitToLastMs: number;
  readonly serverCpuSeconds: number;
}

export interface BurstTotals {
  readonly expected: number;
  readonly deliveries: number;
  /** The bursts' first → last delivery windows, added up. */
  readonly windowMs: number;
  readonly serverCpuSeconds: number;
  /** deliveries ÷ the windows; 0 when nothing was delivered. */
  readonly deliveriesPerSecond: number;
  /**
   * Server CPU in cores from each commit to its last delivery (the CPU is sampled around the commit
   * and the drain; over the first → last windows alone, a short burst whose work began before its
   * first delivery would show more cores than the process has).
   */
  readonly serverCores: number;
  /** deliveries ÷ server CPU seconds: deliveries per second one fully used core would make. */
  readonly deliveriesPerCore: number;
}

export function burstTotals(bursts: readonly BurstFigures[]): BurstTotals {
  let expected = 0;
  let deliveries = 0;
  let windowMs = 0;
  let serverCpuSeconds = 0;
  let busyMs = 0;
  for (const burst of bursts) {
    expected += burst.expected;
    deliveries += burst.deliveries;
    // A burst with one delivery or none has no window (NaN): its deliveries count, its time cannot.
    if (Number.isFinite(burst.windowMs)) windowMs += burst.windowMs;
    if (Number.isFinite(burst.commitToLastMs) && burst.commitToLastMs > 0) busyMs += burst.commitToLastMs;
    serverCpuSeconds += burst.serverCpuSeconds;
  }
  const seconds = windowMs / 1_000;
  return {
    expected,
    deliveries,
    windowMs: round1(windowMs),
    serverCpuSeconds: round3(serverCpuSeconds),
    deliveriesPerSecond: deliveries > 0 && seconds > 0 ? Math.round(deliveries / seconds) : 0,
    serverCores: busyMs > 0 ? round2(serverCpuSeconds / (busyMs / 1_000)) : 0,
    deliveriesPerCore: deliveries > 0 && serverCpuSeconds > 0 ? Math.round(deliveries / serverCpuSeconds) : 0,
  };
}

/** ours ÷ baseline, two decimals; null unless both measured something. */
export function ratio(ours: number | undefined, baseline: number | undefined): number | null {
  if (ours === undefined || baseline === undefined || !(ours > 0) || !(baseline > 0)) return null;
  if (!Number.isFinite(ours) || !Number.isFinite(baseline)) return null;
  return Math.round((ours / baseline) * 100) / 100;
}

/** One server's run as the verdict sees it. */
export interface RunOutcome {
  readonly server: string;
  readonly clients: { readonly ready: number; readonly failed: number; readonly firstError: string | undefined };
  readonly burst: Pick<BurstTotals, 'deliveries' | 'expected'>;
}

/** Why a run measured nothing, or null when it measured something. */
export function measuredNothing(clients: number, run: RunOutcome): string | null {
  if (run.clients.ready === 0)
    return `${run.server} at ${clients} clients: none of the ${clients} clients connected (${run.clients.failed} failed: ${run.clients.firstError ?? 'no error given'})`;
  if (run.burst.deliveries === 0)
    return `${run.server} at ${clients} clients: 0 of ${run.burst.expected} burst deliveries reached ${run.clients.ready} connected clients`;
  return null;
}

const round1 = (value: number) => Math.round(value * 10) / 10;
const round2 = (value: number) => Math.round(value * 100) / 100;
const round3 = (value: number) => Math.round(value * 1_000) / 1_000;
