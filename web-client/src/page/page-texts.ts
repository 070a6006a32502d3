/**
 * The page's words and figures around the table, written into its elements: the counts per status,
 * the total, the tab title, the "catching up" note, the status line (replica, invalid frames, the
 * last change's hops) and the p50 per hop. No state: PageDisplay decides when, these say what.
 */
import { ORDER_STATUSES } from '@orders-live/protocol';
import type { PageElements } from './page-elements.js';
import type { Summary } from './live/window-binding.js';
import type { HopStats } from './panels/hop-stats.js';
import { formatLatency } from './format.js';
import { compareChipValues } from './query/table-query.js';

/**
 * Counts of another column than orders' status (a table's countBy: customers' tier), as chips that
 * filter as the status chips do (buttons, aria-pressed: the values shown; none pressed: all); a
 * value pressed that has no count (yet) shows with 0, so it can be unpressed. An empty record and
 * nothing pressed clears them.
 */
export function showColumnCounts(
  e: PageElements,
  column: string | undefined,
  counts: Readonly<Record<string, number>>,
  pressed: readonly string[] = [],
): void {
  const group = e.columnCounts;
  const document = group.ownerDocument;
  const values = [...new Set([...Object.keys(counts), ...(column === undefined ? [] : pressed)])].sort(compareChipValues);
  group.hidden = column === undefined;
  if (column === undefined) delete group.dataset['column'];
  else group.dataset['column'] = column;
  group.setAttribute('aria-label', column === undefined ? 'Counts' : `Show only rows with these values of ${column}`);
  group.replaceChildren(
    ...values.map((value) => {
      const count = counts[value] ?? 0;
      const chip = document.createElement('button');
      chip.type = 'button';
      chip.className = 'count-chip';
      chip.dataset['value'] = value;
      chip.dataset['count'] = String(count);
      chip.setAttribute('aria-pressed', String(pressed.includes(value)));
      chip.title = `${count} with ${column ?? ''} ${value}: show only these rows (press again to show all)`;
      const label = document.createElement('span');
      label.className = 'chip-label';
      label.textContent = value;
      const number = document.createElement('span');
      number.className = 'chip-count';
      number.textContent = String(count);
      chip.append(label, ' ', number);
      return chip;
    }),
  );
}

/** Counts per status of the rows matching the search, on the chips. */
export function showStatusCounts(e: PageElements, counts: Readonly<Record<string, number>>): void {
  for (const status of ORDER_STATUSES) {
    const count = counts[status] ?? 0;
    e.statusCounts[status].textContent = String(count);
    e.statusChips[status].title = `${count} ${status}: show only ${status} orders (press again to show all)`;
  }
}

/** The status line: which replica, invalid frames, the last change's hops (errors are PageDisplay's). */
export function showSummary(e: PageElements, summary: Summary): void {
  e.server.textContent = summary.server === undefined ? '' : `through service ${summary.server}`;
  e.invalidFrames.textContent = String(summary.invalidFrames);
  e.invalidFramesLine.hidden = summary.invalidFrames === 0;
  const hops = summary.lastHops;
  e.latency.textContent = !summary.synced
    ? 'waiting for data'
    : hops === undefined
      ? 'no changes yet'
      : `last change on screen ${formatLatency(hops.totalMs)} after commit (Kafka ${formatLatency(hops.commitToKafkaMs)}, service ${formatLatency(hops.kafkaToServiceMs)}, screen ${formatLatency(hops.serviceToScreenMs)})`;
  setOrRemove(e.latency, 'data-latency-ms', hops === undefined ? undefined : String(Math.round(hops.totalMs)));
}

/** What a table's rows are called: orders', or rows. */
function nouns(table: string): { readonly one: string; readonly many: string } {
  return table === 'orders' ? { one: 'order', many: 'orders' } : { one: 'row', many: 'rows' };
}

/** The window's total: "N orders" ("N rows" of another table), or the empty state. */
export function showTotals(e: PageElements, total: number, table = 'orders'): void {
  const noun = nouns(table);
  e.rowCount.textContent = total.toLocaleString('en-US');
  e.rowCount.dataset['total'] = String(total);
  e.rowCountLabel.textContent = total === 1 ? noun.one : noun.many;
  e.emptyState.hidden = total > 0;
  e.emptyState.textContent = `No ${noun.many} match.`;
}

/** The tab title: the live state and the total ("● live · 1,204 orders — Orders", "● live · 3 rows — customers"). */
export function showTitle(e: PageElements, state: string, total: number | undefined, table = 'orders'): void {
  const rows = total === undefined ? '' : ` · ${total.toLocaleString('en-US')} ${nouns(table).many}`;
  e.table.ownerDocument.title = `${state === 'live' ? '● live' : state}${rows} — ${table === 'orders' ? 'Orders' : table}`;
}

/** "catching up: N changes"; 0 hides it. */
export function showCatchingUp(e: PageElements, changes: number): void {
  const element = e.catchingUp;
  element.hidden = changes === 0;
  element.textContent = changes === 0 ? '' : `catching up: ${changes.toLocaleString('en-US')} changes`;
  if (changes > 0) element.dataset['changes'] = String(changes);
}

/** The p50 per hop over the chart's window; undefined (no changes in it) clears it. */
export function showHops(e: PageElements, medians: ReturnType<HopStats['medians']>): void {
  const element = e.hopSummary;
  if (!medians) {
    element.textContent = '';
    for (const name of ['commitToKafkaMs', 'kafkaToServiceMs', 'serviceToScreenMs']) element.removeAttribute(`data-${kebab(name)}`);
    return;
  }
  element.textContent = `p50 per hop: commit → Kafka ${formatLatency(medians.commitToKafkaMs)} → service ${formatLatency(medians.kafkaToServiceMs)} → screen ${formatLatency(medians.serviceToScreenMs)}`;
  element.dataset['commitToKafkaMs'] = String(Math.round(medians.commitToKafkaMs));
  element.dataset['kafkaToServiceMs'] = String(Math.round(medians.kafkaToServiceMs));
  element.dataset['serviceToScreenMs'] = String(Math.round(medians.serviceToScreenMs));
}

function kebab(name: string): string {
  return name.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`);
}

function setOrRemove(element: HTMLElement, attribute: string, value: string | undefined): void {
  if (value === undefined) element.removeAttribute(attribute);
  else element.setAttribute(attribute, value);
}
