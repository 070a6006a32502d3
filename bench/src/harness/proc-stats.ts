/**
 * CPU time and resident memory of another process, from /proc (Linux): how a benchmark measures
 * the server it spawned without asking the server.
 */
import { readFileSync } from 'node:fs';

/** USER_HZ: the unit of utime/stime in /proc/<pid>/stat; 100 on every Linux architecture Node runs on. */
const CLOCK_TICKS_PER_SECOND = 100;

export interface ProcSample {
  /** User + system CPU seconds since the process started. */
  readonly cpuSeconds: number;
  readonly rssBytes: number;
  /** When the sample was taken (ms, monotonic). */
  readonly atMs: number;
}

export function sampleProcess(pid: number): ProcSample {
  const stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
  // Field 2 (comm) may contain spaces and parentheses: split after its closing parenthesis.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // fields[0] is field 3 (state): utime is field 14, stime field 15.
  const ticks = Number(fields[11]) + Number(fields[12]);
  const status = readFileSync(`/proc/${pid}/status`, 'latin1');
  const rssKb = Number(/^VmRSS:\s+(\d+) kB/m.exec(status)?.[1] ?? NaN);
  return { cpuSeconds: ticks / CLOCK_TICKS_PER_SECOND, rssBytes: rssKb * 1_024, atMs: performance.now() };
}

/** CPU use between two samples, as a share of one core (1 = one core busy the whole time). */
export function cpuShare(before: ProcSample, after: ProcSample): number {
  const wallSeconds = (after.atMs - before.atMs) / 1_000;
  return wallSeconds > 0 ? (after.cpuSeconds - before.cpuSeconds) / wallSeconds : NaN;
}

/** The soft limit on open files of this process (Node raises it to the hard limit at start). */
export function openFilesLimit(): number {
  const limits = readFileSync('/proc/self/limits', 'latin1');
  const match = /^Max open files\s+(\d+|unlimited)\s+(\d+|unlimited)/m.exec(limits);
  if (!match) return Infinity;
  return match[1] === 'unlimited' ? Infinity : Number(match[1]);
}

export interface MachineSample {
  /** CPU time all cores spent busy (user, nice, system, irq, softirq, steal), in seconds. */
  readonly busySeconds: number;
  readonly atMs: number;
}

/** The whole machine's CPU use (every process: the stack, other users' work, this benchmark). */
export function sampleMachine(): MachineSample {
  const line = readFileSync('/proc/stat', 'latin1').split('\n', 1)[0]!;
  const [user, nice, system, , , irq, softirq, steal] = line.trim().split(/\s+/).slice(1).map(Number);
  const busy = (user ?? 0) + (nice ?? 0) + (system ?? 0) + (irq ?? 0) + (softirq ?? 0) + (steal ?? 0);
  return { busySeconds: busy / CLOCK_TICKS_PER_SECOND, atMs: performance.now() };
}

/** Busy cores between two machine samples (2 = both cores of a 2-core machine busy throughout). */
export function machineBusyCores(before: MachineSample, after: MachineSample): number {
  const wallSeconds = (after.atMs - before.atMs) / 1_000;
  return wallSeconds > 0 ? (after.busySeconds - before.busySeconds) / wallSeconds : NaN;
}
