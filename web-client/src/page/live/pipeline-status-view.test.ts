import { describe, expect, it } from 'vitest';
import type { ConnectionState } from '@orders-live/client';
import { bindPipelineStatus } from './pipeline-status-view.js';

const silent = {
  status: {
    kafka: { code: 'KAFKA_OK' },
    connector: { code: 'CONNECTOR_SILENT', silentForMs: 30_000 },
    lag: { code: 'LAG_LIVE', behind: 0 },
  },
};

function fakes(initial: ConnectionState) {
  let listener: ((state: ConnectionState) => void) | undefined;
  const client = {
    state: initial,
    on: (_event: 'state', l: (state: ConnectionState) => void) => ((listener = l), () => (listener = undefined)),
  };
  const element = { textContent: '', hidden: true } as unknown as HTMLElement;
  const asked: string[] = [];
  const answers: ((body: unknown) => void)[] = [];
  const timers: (() => void)[] = [];
  const deps = {
    element,
    websocketUrl: 'ws://127.0.0.1:3001/ws',
    fetch: (url: string) => {
      asked.push(url);
      return new Promise<Response>((resolve) => answers.push((body) => resolve({ json: async () => body } as Response)));
    },
    setTimeout: (run: () => void) => timers.push(run),
    clearTimeout: () => undefined,
  };
  return { client, element, asked, answers, timers, deps, setState: (s: ConnectionState) => listener?.(s) };
}

const flush = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('bindPipelineStatus', () => {
  it('asks nothing while live', async () => {
    const f = fakes({ name: 'live' });
    bindPipelineStatus(f.client, f.deps);
    await flush();
    expect(f.asked).toEqual([]);
    expect(f.element.hidden).toBe(true);
  });

  it('asks /readyz once the client is not live, shows why, asks again later, and hides when live', async () => {
    const f = fakes({ name: 'live' });
    bindPipelineStatus(f.client, f.deps);
    f.setState({ name: 'reconnecting' } as ConnectionState);
    f.setState({ name: 'connecting' }); // still not live: no second question at once
    expect(f.asked).toEqual(['http://127.0.0.1:3001/readyz']);
    f.answers[0]!(silent);
    await flush();
    expect(f.element.hidden).toBe(false);
    expect(f.element.textContent).toMatch(/Debezium connector\) for 30 s/);
    expect(f.timers).toHaveLength(1);
    f.timers[0]!(); // the refresh
    expect(f.asked).toHaveLength(2);
    f.setState({ name: 'live' });
    f.answers[1]!(silent); // answered after the client went live: dropped
    await flush();
    expect(f.element.hidden).toBe(true);
    expect(f.timers).toHaveLength(1);
  });
});
