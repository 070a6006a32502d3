import { describe, expect, it } from 'vitest';
import {
  MAX_SCROLL_HEIGHT_PX,
  OVERSCAN_ROWS,
  REFETCH_MARGIN_ROWS,
  layout,
  needsWindow,
  scrollTopForIndex,
  scrollTopShifted,
  windowFor,
} from './viewport.js';

describe('viewport', () => {
  it('lays out the rows on screen between two spacers', () => {
    const at = layout(400, 200, 1_000, 40);
    expect(at).toEqual({ scrollHeightPx: 40_000, first: 10, count: 6, topPx: 400, bottomPx: 40_000 - 400 - 240 });
    expect(layout(0, 200, 0, 40)).toMatchObject({ first: 0, count: 0, topPx: 0, bottomPx: 0 });
    // Past the end (the table shrank): the last screenful.
    expect(layout(1e9, 200, 3, 40)).toMatchObject({ first: 0, count: 3 });
  });

  it("scales a million rows into the browser's height limit, and maps both ways", () => {
    const total = 1_000_000;
    const middle = layout(MAX_SCROLL_HEIGHT_PX / 2, 800, total, 40);
    expect(middle.scrollHeightPx).toBe(MAX_SCROLL_HEIGHT_PX);
    expect(Math.abs(middle.first - total / 2)).toBeLessThan(50);
    const top = scrollTopForIndex(654_321, 800, total, 40);
    expect(layout(top, 800, total, 40).first).toBe(654_321);
    const end = layout(MAX_SCROLL_HEIGHT_PX, 800, total, 40);
    expect(end.first + end.count).toBe(total);
  });

  it("asks for the screen and overscan, and again only near the held window's edges", () => {
    expect(windowFor(0, 20)).toEqual({ offset: 0, limit: 20 + OVERSCAN_ROWS });
    expect(windowFor(500, 20)).toEqual({ offset: 500 - OVERSCAN_ROWS, limit: 20 + 2 * OVERSCAN_ROWS });
    expect(windowFor(0, 5_000).limit).toBe(1_000);
    const held = { offset: 460, length: 100, total: 10_000 };
    expect(needsWindow(held, 480, 20)).toBe(false);
    expect(needsWindow(held, 460 + REFETCH_MARGIN_ROWS - 1, 20)).toBe(true);
    expect(needsWindow(held, 540, 20)).toBe(true);
    expect(needsWindow({ offset: 0, length: 50, total: 50 }, 30, 20)).toBe(false);
    expect(needsWindow(undefined, 0, 20)).toBe(true);
  });

  it('keeps the rows on screen where they are when rows come or go above them, on a plain and a scaled range', () => {
    const rowPx = 40;
    const screenY = (scrollTop: number, total: number, index: number) => {
      const at = layout(scrollTop, 600, total, rowPx);
      return at.topPx + (index - at.first) * rowPx - scrollTop;
    };
    // Plain: 5 rows came above, the row at rank 10 is now at rank 15, at the same place on screen.
    const plain = scrollTopShifted(120, 600, 1_000, 1_005, 5, rowPx);
    expect(plain).toBe(320);
    expect(screenY(plain, 1_005, 15)).toBeCloseTo(screenY(120, 1_000, 10), 6);
    // From the top (scrollTop 0): the same, the table scrolls down by the rows that came.
    expect(scrollTopShifted(0, 600, 50, 70, 20, rowPx)).toBe(800);
    // Scaled (a million rows): a pixel of scrollTop is many pixels of rows; the row stays within a pixel.
    const before = 400_000;
    const scaled = scrollTopShifted(before, 600, 1_000_000, 1_000_020, 20, rowPx);
    const rank = layout(before, 600, 1_000_000, rowPx).first + 3;
    expect(Math.abs(screenY(scaled, 1_000_020, rank + 20) - screenY(before, 1_000_000, rank))).toBeLessThan(1e-6);
    // Rows going above scroll up, never past the top.
    expect(scrollTopShifted(80, 600, 100, 90, -10, rowPx)).toBe(0);
  });
});
