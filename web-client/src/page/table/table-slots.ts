/**
 * The rows the table draws for a screenful: for each rank first … first+count-1 the window's row, or
 * a placeholder while the window that holds it is on its way; and the ghosts of rows that just left,
 * where they were. Pure.
 */
import type { LiveRow } from '@orders-live/protocol';
import type { Ghost } from './change-marks.js';

export type Slot =
  | { readonly kind: 'row'; readonly index: number; readonly row: LiveRow }
  | { readonly kind: 'placeholder'; readonly index: number }
  | { readonly kind: 'ghost'; readonly index: number; readonly ghost: Ghost };

export interface WindowRows {
  readonly offset: number;
  readonly rows: readonly LiveRow[];
}

export function tableSlots(window: WindowRows | undefined, first: number, count: number, ghosts: readonly Ghost[]): Slot[] {
  const slots: Slot[] = [];
  const end = first + count;
  // A ghost at `end` is the row that was last on screen (the list got shorter): it is drawn last.
  const pending = ghosts.filter((ghost) => ghost.index >= first && ghost.index <= end).sort((a, b) => a.index - b.index);
  let g = 0;
  for (let index = first; index < end; index++) {
    while (g < pending.length && pending[g]!.index <= index) {
      slots.push({ kind: 'ghost', index: pending[g]!.index, ghost: pending[g]! });
      g += 1;
    }
    const row = window ? window.rows[index - window.offset] : undefined;
    slots.push(row ? { kind: 'row', index, row } : { kind: 'placeholder', index });
  }
  for (; g < pending.length; g++) slots.push({ kind: 'ghost', index: pending[g]!.index, ghost: pending[g]! });
  return slots;
}
