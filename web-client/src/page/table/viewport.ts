/**
 * Virtual scrolling over the server's `total`: which rows the scroll position shows, how tall the
 * spacers around them are, and which window to ask the server for. Pure arithmetic.
 *
 *   ┌ scroll container (viewportPx tall) ───────────┐
 *   │ top spacer (topPx)                            │  rows 0 … first-1, never in the DOM
 *   │ rows first … first+count-1  (ROW_HEIGHT_PX)   │  the only rows rendered
 *   │ bottom spacer (bottomPx)                      │  the rest of `total`
 *   └───────────────────────────────────────────────┘
 *
 * Browsers cap an element's height (Chromium near 33.5 M px; a million 40-px rows is 40 M px), so
 * beyond MAX_SCROLL_HEIGHT_PX the scroll range is scaled: scrollTop maps linearly onto the full
 * height and the rendered rows sit at scrollTop, offset by the fraction of the first row scrolled away.
 */
import { MAX_WINDOW_LIMIT } from '@orders-live/protocol';

/** Every row is one line of this height (styles.css fixes it), so row index ↔ pixels is exact. */
export const ROW_HEIGHT_PX = 40;
/** Well under every browser's cap on an element's height. */
export const MAX_SCROLL_HEIGHT_PX = 8_000_000;
/** Rows asked for beyond each edge of the screen: a flick of the wheel stays within the window. */
export const OVERSCAN_ROWS = 40;
/** A new window is asked for once the screen comes this close to the edge of the current one. */
export const REFETCH_MARGIN_ROWS = 10;

export interface Layout {
  /** The scroll content's height. */
  readonly scrollHeightPx: number;
  /** The first row on screen, and how many rows the screen holds (the last may be partly shown). */
  readonly first: number;
  readonly count: number;
  readonly topPx: number;
  readonly bottomPx: number;
}

export function layout(scrollTop: number, viewportPx: number, total: number, rowPx: number = ROW_HEIGHT_PX): Layout {
  const fullPx = total * rowPx;
  const scrollHeightPx = Math.min(fullPx, MAX_SCROLL_HEIGHT_PX);
  const maxScroll = Math.max(0, scrollHeightPx - viewportPx);
  const maxVirtual = Math.max(0, fullPx - viewportPx);
  const top = Math.min(Math.max(0, scrollTop), maxScroll);
  const virtualTop = maxScroll === 0 ? 0 : top * (maxVirtual / maxScroll);
  const first = total === 0 ? 0 : Math.min(Math.floor(virtualTop / rowPx), total - 1);
  const count = Math.max(0, Math.min(total - first, Math.ceil(viewportPx / rowPx) + 1));
  const topPx = Math.max(0, top - (virtualTop - first * rowPx));
  const bottomPx = Math.max(0, scrollHeightPx - topPx - count * rowPx);
  return { scrollHeightPx, first, count, topPx, bottomPx };
}

/** The scrollTop that puts row `index` at the top of the screen (the inverse of layout's mapping). */
export function scrollTopForIndex(index: number, viewportPx: number, total: number, rowPx: number = ROW_HEIGHT_PX): number {
  const fullPx = total * rowPx;
  const scrollHeightPx = Math.min(fullPx, MAX_SCROLL_HEIGHT_PX);
  const maxScroll = Math.max(0, scrollHeightPx - viewportPx);
  const maxVirtual = Math.max(0, fullPx - viewportPx);
  const virtualTop = Math.min(Math.max(0, index * rowPx), maxVirtual);
  // Up, not to the nearest: layout() floors, and one scaled pixel is less than a row (scale < rowPx).
  return maxVirtual === 0 ? 0 : Math.ceil(virtualTop * (maxScroll / maxVirtual));
}

export interface WindowSpan {
  readonly offset: number;
  readonly limit: number;
}

/** The window to ask for to show rows first … first+count-1: the screen and OVERSCAN_ROWS each side. */
export function windowFor(first: number, count: number): WindowSpan {
  const offset = Math.max(0, first - OVERSCAN_ROWS);
  const limit = Math.min(MAX_WINDOW_LIMIT, Math.max(1, first + count + OVERSCAN_ROWS - offset));
  return { offset, limit };
}

/** What the page holds: the window's offset and rows, and the server's total. */
export interface HeldWindow {
  readonly offset: number;
  readonly length: number;
  readonly total: number;
}

/** True when the screen is (nearly) past the held window's edges, so the next window must be asked for. */
export function needsWindow(held: HeldWindow | undefined, first: number, count: number): boolean {
  if (!held) return true;
  const end = Math.min(first + count, held.total);
  const heldEnd = held.offset + held.length;
  if (held.offset > 0 && first < held.offset + REFETCH_MARGIN_ROWS) return true;
  if (heldEnd < held.total && end > heldEnd - REFETCH_MARGIN_ROWS) return true;
  return false;
}

/**
 * The scrollTop that keeps the rows on screen where they are after `rows` rows came above them (or
 * went, when negative) and the total went from `totalBefore` to `totalAfter`: the same virtual
 * position, `rows` rows further. Exact, not rounded (the browser keeps fractions of a pixel where it
 * can), so a row under the pointer stays under it even on a scaled scroll range.
 */
export function scrollTopShifted(
  scrollTop: number,
  viewportPx: number,
  totalBefore: number,
  totalAfter: number,
  rows: number,
  rowPx: number = ROW_HEIGHT_PX,
): number {
  const virtualOf = (total: number) => {
    const fullPx = total * rowPx;
    const maxScroll = Math.max(0, Math.min(fullPx, MAX_SCROLL_HEIGHT_PX) - viewportPx);
    const maxVirtual = Math.max(0, fullPx - viewportPx);
    return { maxScroll, maxVirtual };
  };
  const before = virtualOf(totalBefore);
  const after = virtualOf(totalAfter);
  const top = Math.min(Math.max(0, scrollTop), before.maxScroll);
  const virtualTop = before.maxScroll === 0 ? 0 : top * (before.maxVirtual / before.maxScroll);
  const target = Math.min(Math.max(0, virtualTop + rows * rowPx), after.maxVirtual);
  return after.maxVirtual === 0 ? 0 : target * (after.maxScroll / after.maxVirtual);
}
