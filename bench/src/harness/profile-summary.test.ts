import { describe, expect, it } from 'vitest';
import { shortLocation, summarizeProfile, type CpuProfile } from './profile-summary.js';

const frame = (id: number, functionName: string, url = '', children: number[] = []) => ({
  id,
  callFrame: { functionName, url, lineNumber: 9 },
  children,
});

describe('summarizeProfile', () => {
  const profile: CpuProfile = {
    nodes: [
      frame(1, '(root)', '', [2, 3, 4, 5]),
      frame(2, '(idle)'),
      frame(3, 'sendFrame', 'file:///work/main/node_modules/ws/lib/sender.js'),
      frame(4, 'apply', 'file:///work/main/services/websocket-service/dist/orders-table.js'),
      frame(5, '(garbage collector)'),
    ],
    samples: [2, 3, 3, 4, 5, 3],
    timeDeltas: [1000, 1000, 1000, 1000, 1000, 1000],
    startTime: 0,
    endTime: 6000,
  };

  it('ranks self time by function and by file, and says how busy the process was', () => {
    const summary = summarizeProfile(profile);
    expect(summary.totalMs).toBe(6);
    expect(summary.busyShare).toBeCloseTo(5 / 6, 3);
    expect(summary.gcShare).toBeCloseTo(1 / 6, 3);
    expect(summary.topFunctions[0]).toEqual({ name: 'sendFrame ws/lib/sender.js:10', selfMs: 3, selfShare: 0.5 });
    expect(summary.topFiles.map((line) => line.name)).toContain('services/websocket-service/dist/orders-table.js');
  });
});

describe('shortLocation', () => {
  it('names the package for dependencies, scoped ones too', () => {
    expect(shortLocation('file:///x/node_modules/@scope/pkg/lib/a.js')).toBe('@scope/pkg/lib/a.js');
    expect(shortLocation('node:internal/net')).toBe('node:internal/net');
  });
});
