/**
 * Measuring the service, not the machine (issue: fan-out that keeps up): on a machine with two or more
 * cores the benchmark gives the websocket-service the last core alone and puts everything else — the
 * native stack (Postgres and its backends, Kafka, Connect), the client fleet and this process — on the
 * others, with `taskset` (util-linux). The service's figures are then its own, not what was left of a
 * core the stack and the clients were also using. Undone at clean-up.
 */
import { execFile } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { promisify } from 'node:util';
import { STACK_COMPONENTS, stackPid, type Cleanup } from '@orders-live/testkit';

const run = promisify(execFile);

export interface Pinning {
  /** The core the service has alone, and the cores everything else shares (taskset's list form). */
  readonly serviceCpu: string;
  readonly othersCpus: string;
  /** How many processes were moved to the other cores. */
  readonly others: number;
}

/** Every process whose parent chain leads to `pid` (Postgres' backends, a JVM's helpers), from /proc. */
function descendants(pid: number): number[] {
  const parentOf = new Map<number, number>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'latin1');
      parentOf.set(Number(name), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
    } catch {
      // Gone between the listing and the read.
    }
  }
  const found: number[] = [];
  const walk = (parent: number) => {
    for (const [child, p] of parentOf) {
      if (p !== parent) continue;
      found.push(child);
      walk(child);
    }
  };
  walk(pid);
  return found;
}

async function setAffinity(pid: number, cpuList: string): Promise<boolean> {
  try {
    await run('taskset', ['-a', '-p', '-c', cpuList, String(pid)]);
    return true;
  } catch {
    return false; // exited meanwhile, or no taskset: measured unpinned
  }
}

/**
 * Pins the service to a core of its own and `others` (the fleet, …) with the stack and this process
 * to the rest; undefined (nothing done) on a single core or without taskset.
 */
export async function pinService(servicePid: number, others: readonly number[], cleanup: Cleanup): Promise<Pinning | undefined> {
  const cores = cpus().length;
  if (cores < 2) return undefined;
  const serviceCpu = String(cores - 1);
  const othersCpus = cores === 2 ? '0' : `0-${cores - 2}`;
  const allCpus = `0-${cores - 1}`;
  if (!(await setAffinity(servicePid, serviceCpu))) return undefined;
  const stack = (await Promise.all(STACK_COMPONENTS.map((component) => stackPid(component)))).filter((pid) => pid > 0);
  const moved = [...new Set([process.pid, ...others, ...stack, ...stack.flatMap(descendants)])];
  const done = await Promise.all(moved.map((pid) => setAffinity(pid, othersCpus)));
  cleanup.add('give the stack and this process every core again', async () => {
    await Promise.all([process.pid, ...stack, ...stack.flatMap(descendants)].map((pid) => setAffinity(pid, allCpus)));
  });
  return { serviceCpu, othersCpus, others: done.filter(Boolean).length };
}
