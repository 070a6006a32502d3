/**
 * Forcing a full garbage collection in a server the benchmark spawned, through the V8 inspector
 * (node --inspect=127.0.0.1:<port>, loopback only): memory read right after is what is live, not
 * what the last catch-up or burst left for the collector. The servers need no change for it.
 */
import WebSocket from 'ws';

const INSPECTOR_TIMEOUT_MS = 30_000;

export function inspectArgs(port: number): string[] {
  return [`--inspect=127.0.0.1:${port}`];
}

/** Is this stderr line the inspector's own banner (printed on start and on attach)? */
export function isInspectorBanner(line: string): boolean {
  return /^(Debugger listening on|Debugger attached|Debugger ending on|For help, see: https:\/\/nodejs\.org\/|Waiting for the debugger)/.test(line.trim());
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
