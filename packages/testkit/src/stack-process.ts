/**
 * The native stack's processes, by the pid files stack/up.sh keeps: for tests that kill a component
 * and for the chaos run. stack/up.sh (idempotent) brings back whatever is down.
 */
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import { REPO_ROOT } from './env-file.js';

const run = promisify(execFile);

export const STACK_COMPONENTS = ['postgres', 'kafka', 'connect'] as const;
export type StackComponent = (typeof STACK_COMPONENTS)[number];

/** Where the native stack keeps its state (STACK_DIR, as stack/lib.sh). */
export function stackDir(env: NodeJS.ProcessEnv = process.env): string {
  return env['STACK_DIR'] ?? `${REPO_ROOT}.stack`;
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** The component's pid, or 0 when it has none on file. */
export async function stackPid(component: StackComponent): Promise<number> {
  return Number((await readFile(`${stackDir()}/run/${component}.pid`, 'utf8').catch(() => '0')).trim()) || 0;
}

/** Kills the component with SIGKILL, as a crash would; false when it was not running. */
export async function killStackComponent(component: StackComponent): Promise<boolean> {
  const pid = await stackPid(component);
  if (pid <= 0 || !isAlive(pid)) return false;
  process.kill(pid, 'SIGKILL');
  return true;
}

/** Runs stack/up.sh without blocking the event loop; resolves with what it printed on stderr. */
export async function bringStackUp(): Promise<string> {
  const { stderr } = await run('bash', [`${REPO_ROOT}stack/up.sh`], { env: process.env, maxBuffer: 10_000_000 });
  return stderr;
}
