import { describe, expect, it } from 'vitest';
import { DEGRADED_CODE, DegradedState, keyIdentity } from './degraded-state.js';

const enc = new TextEncoder();
const gap = (offset: string) => ({ partition: 0, offset, code: 'DBZ_NOT_JSON', reason: 'record value is not JSON', at: 1 });

describe('DegradedState', () => {
  it('reports a gap with its position and row until a later record for that row decodes', () => {
    const state = new DegradedState();
    const heard: (string | null)[] = [];
    state.onChange((report) => heard.push(report?.code ?? null));
    expect(state.report()).toBeNull();
    state.recordGap(enc.encode('{"id":7}'), gap('41'));
    expect(state.report()).toMatchObject({
      code: DEGRADED_CODE,
      openGaps: 1,
      gaps: [{ row: 'id=7', partition: 0, offset: '41', code: 'DBZ_NOT_JSON' }],
    });
    state.recordDecoded({ id: 8 });
    expect(state.degraded).toBe(true);
    state.recordDecoded({ id: 7 });
    expect(state.report()).toBeNull();
    expect(heard).toEqual([DEGRADED_CODE, null]);
  });

  it('keeps one gap per row (the latest) and counts rows apart', () => {
    const state = new DegradedState();
    state.recordGap(enc.encode('{"id":1}'), gap('1'));
    state.recordGap(enc.encode('{"id":1}'), gap('2'));
    state.recordGap(enc.encode('{"id":2}'), gap('3'));
    expect(state.report()?.gaps.map((g) => g.offset)).toEqual(['2', '3']);
  });

  it('keeps a gap whose key does not decode open: no later record can be for that row', () => {
    const state = new DegradedState();
    state.recordGap(enc.encode('garbage'), gap('5'));
    state.recordDecoded({ id: 1 });
    expect(state.report()?.gaps[0]?.row).toMatch(/^a key that does not decode/);
    expect(keyIdentity(null).identity).toBe('none');
  });

  it('opens no gap for a position an operator accepted', () => {
    const state = new DegradedState(['0:9']);
    expect(state.recordGap(enc.encode('garbage'), gap('9')).accepted).toBe(true);
    expect(state.report()).toBeNull();
  });

  it('keeps its open gaps through a checkpoint: a replica started from one reports the same, and closes them the same way', () => {
    const state = new DegradedState();
    state.recordGap(enc.encode('{"id":7}'), gap('41'));
    state.recordGap(enc.encode('garbage'), gap('42'));
    const restored = new DegradedState();
    const heard: (string | null)[] = [];
    restored.onChange((report) => heard.push(report?.code ?? null));
    restored.restore(state.snapshot());
    expect(restored.report()).toEqual(state.report());
    expect(heard).toEqual(['STREAM_GAP']);
    restored.recordDecoded({ id: 7 });
    expect(restored.openGaps).toBe(1);
  });
});
