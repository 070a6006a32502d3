import { describe, expect, it } from 'vitest';
import { Emitter, type ClientEvents, type ConnectionState, type WindowEvent } from '@orders-live/client';
import {
  CATCHING_UP,
  bindWindow,
  type LastChange,
  type ShownFrame,
  type Summary,
  type WindowDisplay,
  type WindowSource,
} from './window-binding.js';

function fakeClient() {
  const events = new Emitter<ClientEvents>();
  const client = {
    on: events.on.bind(events),
    state: { name: 'connecting' } as ConnectionState,
    stats: { invalidFrames: 0 },
    server: 'r1',
    window: undefined,
    closed: 0,
  } as unknown as WindowSource & { closed: number };
  // What close() did: counted, as the page's client would stop.
  (client as { close: () => void }).close = () => {
    client.closed += 1;
  };
  return { client, events };
}

function fakeDisplay() {
  const frames: ShownFrame[] = [];
  const summaries: Summary[] = [];
  let reloaded = 0;
  const display: WindowDisplay = {
    showConnectionState: () => {},
    showFrame: (frame) => frames.push(frame),
    showSummary: (summary) => summaries.push(summary),
    showReloaded: () => (reloaded += 1),
  };
  return { display, frames, summaries, reloaded: () => reloaded };
}

const windowEvent = (
  total: number,
  ops?: WindowEvent['ops'],
  times?: { commitTime: number; kafkaTime: number; sentAt: number },
): WindowEvent => ({
  rows: [],
  offset: 0,
  total,
  counts: {},
  cursor: `0:${total}`,
  ops,
  txId: ops ? total : undefined,
  summary: undefined,
  commitTime: times?.commitTime,
  kafkaTime: times?.kafkaTime,
  sentAt: times?.sentAt,
});

/** Binds `client` to `display` with frames run by hand (`pending`) and no timers; `now()` as given. */
function bindByHand(client: WindowSource, display: WindowDisplay, now: () => number, lastChange?: LastChange): (() => void)[] {
  const pending: (() => void)[] = [];
  bindWindow(client, {
    display,
    ...(lastChange ? { lastChange } : {}),
    now,
    requestFrame: (run) => pending.push(run),
    warn: () => {},
    setInterval: () => 0,
    clearInterval: () => {},
  });
  return pending;
}

describe('bindWindow', () => {
  it('gives up a subscription the server ended for good (table no longer streamed, or not granted), and says why', () => {
    const { client, events } = fakeClient();
    const { display, summaries } = fakeDisplay();
    bindByHand(client, display, () => 0);
    events.emit('server-error', { type: 'error', code: 'E_BAD_FILTER', message: 'bad', id: 'orders' });
    expect(client.closed).toBe(0);
    events.emit('server-error', { type: 'error', code: 'E_UNKNOWN_TABLE', message: 'table "x" is no longer streamed', id: 'orders' });
    expect(client.closed).toBe(1);
    expect(summaries.at(-1)?.error).toBe('E_UNKNOWN_TABLE: table "x" is no longer streamed');
  });

  it('shows what arrived per animation frame: a window and its diffs at once, each with its hops', () => {
    const { client, events } = fakeClient();
    const { display, frames, summaries } = fakeDisplay();
    let now = 1_000;
    const pending = bindByHand(client, display, () => now);
    events.emit('welcome', { type: 'welcome', protocol: 3, server: 'r1', tables: [] });
    events.emit('window', windowEvent(0));
    events.emit('window', windowEvent(1, [], { commitTime: 1_000, kafkaTime: 1_010, sentAt: 1_020 }));
    events.emit('window', windowEvent(2, [], { commitTime: 1_001, kafkaTime: 1_011, sentAt: 1_021 }));
    expect(frames).toHaveLength(0);
    now = 1_030;
    pending.shift()!();
    expect(frames).toHaveLength(1);
    const [frame] = frames;
    expect(frame!.replaced).toBe(true);
    expect(frame!.window.total).toBe(2);
    expect(frame!.diffs.map((d) => [d.before?.total, d.hops.totalMs, d.hops.serviceToScreenMs])).toEqual([
      [0, 30, 10],
      [1, 29, 9],
    ]);
    expect(frame!.catchingUp).toBe(0);
    expect(summaries.at(-1)?.lastHops?.commitToKafkaMs).toBe(10);
  });

  it("keeps the page's last change for the client a filter change makes, which says it before any change of its own", () => {
    const lastChange: LastChange = { hops: undefined };
    const first = fakeClient();
    const pending = bindByHand(first.client, fakeDisplay().display, () => 1_030, lastChange);
    first.events.emit('welcome', { type: 'welcome', protocol: 3, server: 'r1', tables: [] });
    first.events.emit('window', windowEvent(0));
    first.events.emit('window', windowEvent(1, [], { commitTime: 1_000, kafkaTime: 1_010, sentAt: 1_020 }));
    pending.shift()!();
    const second = fakeClient();
    const { display, summaries } = fakeDisplay();
    const next = bindByHand(second.client, display, () => 2_000, lastChange);
    second.events.emit('welcome', { type: 'welcome', protocol: 3, server: 'r1', tables: [] });
    second.events.emit('window', windowEvent(1));
    next.shift()!();
    expect(summaries.at(-1)?.lastHops?.commitToKafkaMs).toBe(10);
  });

  it('says it is catching up when a frame brings many changes, and calls a fresh window after a reconnect a reload', () => {
    const { client, events } = fakeClient();
    const { display, frames, reloaded } = fakeDisplay();
    const pending = bindByHand(client, display, () => 5_000);
    events.emit('welcome', { type: 'welcome', protocol: 3, server: 'r1', tables: [] });
    events.emit('window', windowEvent(0));
    const ops = Array.from({ length: CATCHING_UP.minChanges }, (_, i) => ({ op: 'leave' as const, key: { id: i + 1 } }));
    events.emit('window', windowEvent(1, ops, { commitTime: 4_900, kafkaTime: 4_950, sentAt: 4_990 }));
    pending.shift()!();
    expect(frames.at(-1)?.catchingUp).toBe(CATCHING_UP.minChanges);
    expect(reloaded()).toBe(0);
    events.emit('welcome', { type: 'welcome', protocol: 3, server: 'r2', tables: [] });
    events.emit('window', windowEvent(3));
    events.emit('window', windowEvent(4));
    expect(reloaded()).toBe(1);
  });
});
