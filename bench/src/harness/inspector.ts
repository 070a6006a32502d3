/**
 * Forcing a full garbage collection in a server the benchmark spawned, through the V8 inspector
 * (node --inspect=127.0.0.1:<port>, loopback only): memory read right after is what is live, not
 * what the last catch-up or burst left for the collector. And a CPU profile of the server over one
 * phase only (not its start-up, which reads the whole topic). The servers need no change for it.
 */
import WebSocket from 'ws';
import type { CpuProfile } from './profile-summary.js';

const INSPECTOR_TIMEOUT_MS = 30_000;

export function inspectArgs(port: number): string[] {
  return [`--inspect=127.0.0.1:${port}`];
}

/** Is this stderr line the inspector's own banner (printed on start and on attach)? */
export function isInspectorBanner(line: string): boolean {
  return /^(Debugger listening on|Debugger attached|Debugger ending on|For help, see: https:\/\/nodejs\.org\/|Waiting for the debugger)/.test(
    line.trim(),
  );
}

export async function collectGarbage(inspectorPort: number): Promise<void> {
  const targets = (await (await fetch(`http://127.0.0.1:${inspectorPort}/json/list`)).json()) as { webSocketDebuggerUrl: string }[];
  const url = targets[0]?.webSocketDebuggerUrl;
  if (!url) throw new Error(`no inspector target on port ${inspectorPort}`);
  const socket = new WebSocket(url);
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('the inspector did not answer HeapProfiler.collectGarbage')), INSPECTOR_TIMEOUT_MS);
      socket.once('error', reject);
      socket.once('open', () => socket.send(JSON.stringify({ id: 1, method: 'HeapProfiler.collectGarbage' })));
      socket.on('message', (data) => {
        const reply = JSON.parse((data as Buffer).toString('utf8')) as { id?: number; error?: { message: string } };
        if (reply.id !== 1) return;
        clearTimeout(timer);
        if (reply.error) reject(new Error(reply.error.message));
        else resolve();
      });
    });
  } finally {
    socket.close();
  }
}

/** A CPU profile of the server while `during` runs (the V8 inspector's Profiler domain). */
export async function cpuProfileDuring<T>(inspectorPort: number, during: () => Promise<T>): Promise<{ result: T; profile: CpuProfile }> {
  const targets = (await (await fetch(`http://127.0.0.1:${inspectorPort}/json/list`)).json()) as { webSocketDebuggerUrl: string }[];
  const url = targets[0]?.webSocketDebuggerUrl;
  if (!url) throw new Error(`no inspector target on port ${inspectorPort}`);
  const socket = new WebSocket(url);
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve());
    socket.once('error', reject);
  });
  let nextId = 1;
  const pending = new Map<number, { resolve: (value: unknown) => void; reject: (err: Error) => void }>();
  socket.on('message', (data) => {
    const reply = JSON.parse((data as Buffer).toString('utf8')) as { id?: number; result?: unknown; error?: { message: string } };
    const waiter = reply.id === undefined ? undefined : pending.get(reply.id);
    if (!waiter) return;
    pending.delete(reply.id!);
    if (reply.error) waiter.reject(new Error(reply.error.message));
    else waiter.resolve(reply.result);
  });
  const call = (method: string) =>
    new Promise<unknown>((resolve, reject) => {
      const id = nextId++;
      pending.set(id, { resolve, reject });
      socket.send(JSON.stringify({ id, method }));
    });
  try {
    await call('Profiler.enable');
    await call('Profiler.start');
    const result = await during();
    const { profile } = (await call('Profiler.stop')) as { profile: CpuProfile };
    return { result, profile };
  } finally {
    socket.close();
  }
}
