/**
 * The longest tasks of the page's main thread in a Chromium trace (devtools.timeline categories):
 * each task's wall time (`dur`, what a long-task observer reports) and its thread time (`tdur`, the
 * CPU the page itself spent). On a machine whose cores are shared with the whole stack and other
 * work, a task's wall time is mostly the time the thread waited for a core; its thread time is what
 * the page can change. Pure: trace JSON in, figures out.
 */

interface TraceEvent {
  readonly name: string;
  readonly ph: string;
  readonly pid: number;
  readonly tid: number;
  readonly ts: number;
  readonly dur?: number;
  readonly tdur?: number;
  readonly args?: { readonly name?: string };
}

export interface TaskTimes {
  /** The longest task's wall time and its thread time, ms. */
  readonly longestWallMs: number;
  readonly longestWallCpuMs: number;
  /** The task with the most thread time, ms. */
  readonly mostCpuMs: number;
  /** Tasks over 50 ms of wall time (the long-task threshold) and how many of them had over 50 ms of CPU. */
  readonly longTasks: number;
  readonly longCpuTasks: number;
}

/** Long-task threshold of the Long Tasks API. */
const LONG_TASK_MS = 50;

/** The renderer main thread that ran the most task time (the page's), and its tasks' times. */
export function mainThreadTasks(trace: { readonly traceEvents: readonly TraceEvent[] }): TaskTimes | undefined {
  const threads = new Map<string, { wall: number; tasks: TraceEvent[] }>();
  const mainThreads = new Set(
    trace.traceEvents
      .filter((event) => event.name === 'thread_name' && event.args?.name === 'CrRendererMain')
      .map((event) => `${event.pid}:${event.tid}`),
  );
  for (const event of trace.traceEvents) {
    const key = `${event.pid}:${event.tid}`;
    if (event.name !== 'RunTask' || event.ph !== 'X' || !mainThreads.has(key)) continue;
    const thread = threads.get(key) ?? { wall: 0, tasks: [] };
    thread.wall += event.dur ?? 0;
    thread.tasks.push(event);
    threads.set(key, thread);
  }
  const page = [...threads.values()].sort((a, b) => b.wall - a.wall)[0];
  if (!page) return undefined;
  const ms = (us: number | undefined) => (us ?? 0) / 1000;
  const longest = page.tasks.reduce((a, b) => ((b.dur ?? 0) > (a.dur ?? 0) ? b : a));
  const long = page.tasks.filter((task) => ms(task.dur) > LONG_TASK_MS);
  return {
    longestWallMs: ms(longest.dur),
    longestWallCpuMs: ms(longest.tdur),
    mostCpuMs: Math.max(...page.tasks.map((task) => ms(task.tdur))),
    longTasks: long.length,
    longCpuTasks: long.filter((task) => ms(task.tdur) > LONG_TASK_MS).length,
  };
}
