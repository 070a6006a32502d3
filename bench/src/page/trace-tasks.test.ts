import { describe, expect, it } from 'vitest';
import { mainThreadTasks } from './trace-tasks.js';

const thread = (pid: number, tid: number, name: string) => ({ name: 'thread_name', ph: 'M', pid, tid, ts: 0, args: { name } });
const task = (pid: number, tid: number, ts: number, durMs: number, cpuMs: number) => ({
  name: 'RunTask',
  ph: 'X',
  pid,
  tid,
  ts,
  dur: durMs * 1000,
  tdur: cpuMs * 1000,
});

describe('mainThreadTasks', () => {
  it("reports the page's main thread: the longest task's wall and thread time, the most CPU, long tasks", () => {
    const times = mainThreadTasks({
      traceEvents: [
        thread(1, 1, 'CrRendererMain'),
        thread(2, 7, 'CrRendererMain'),
        thread(2, 8, 'Compositor'),
        // another renderer's main thread with less work, and a busy non-main thread: not the page
        task(1, 1, 0, 5, 5),
        task(2, 8, 0, 900, 900),
        task(2, 7, 10, 300, 12),
        task(2, 7, 400, 80, 60),
        task(2, 7, 500, 20, 19),
      ],
    });
    expect(times).toEqual({ longestWallMs: 300, longestWallCpuMs: 12, mostCpuMs: 60, longTasks: 2, longCpuTasks: 1 });
  });

  it('is undefined for a trace without the main thread', () => {
    expect(mainThreadTasks({ traceEvents: [task(1, 1, 0, 5, 5)] })).toBeUndefined();
  });
});
