/**
 * The table's controls: the status chips (buttons that filter, aria-pressed), another table's chips
 * of its count column (the same, made as its counts come: page-texts.ts) and the search box
 * (text, the column it searches, contains or starts with). They show a query and report the next
 * one; the server does the filtering. A search longer than the protocol takes is not cut: it is
 * said at the box, and not sent.
 */
import { MAX_FILTER_TEXT_LENGTH, ORDER_STATUSES } from '@orders-live/protocol';
import type { PageElements } from '../page-elements.js';
import { toggleChip, toggleStatus, type SearchColumn, type TableQuery } from './table-query.js';

/** Typing pauses this long before the window is asked for: not a subscription per key press. */
const SEARCH_DEBOUNCE_MS = 250;

interface TableControlsDeps {
  readonly setTimeout: (run: () => void, delayMs: number) => unknown;
  readonly clearTimeout: (handle: unknown) => void;
}

export function bindTableControls(
  elements: Pick<PageElements, 'statusChips' | 'columnCounts' | 'search'>,
  current: () => TableQuery,
  change: (query: TableQuery) => void,
  deps: TableControlsDeps,
): void {
  const { search } = elements;
  let timer: unknown;
  /** The search as the box shows it now (typed, maybe not yet applied); undefined when it is too long to send. */
  const searchInBox = (): TableQuery['search'] | undefined => {
    const text = search.text.value.trim();
    if (text.length > MAX_FILTER_TEXT_LENGTH) return undefined;
    const column: SearchColumn = search.column.value;
    const match = search.match.value === 'prefix' ? 'prefix' : 'contains';
    return { text, column, match, anyCase: search.anyCase.checked };
  };
  // A chip takes the search as the box shows it: one typed (or cleared) a moment ago, still waiting
  // for its debounce, is part of the query the chip makes, not undone by it.
  for (const status of ORDER_STATUSES) {
    elements.statusChips[status].addEventListener('click', () => {
      deps.clearTimeout(timer);
      const query = current();
      change(toggleStatus({ ...query, search: searchInBox() ?? query.search }, status));
    });
  }
  // Another table's chips come and go with its counts: one listener on their group.
  elements.columnCounts.addEventListener('click', (event) => {
    const chip = event.target instanceof Element ? event.target.closest<HTMLElement>('button[data-value]') : null;
    const value = chip?.dataset['value'];
    if (value === undefined) return;
    deps.clearTimeout(timer);
    const query = current();
    change(toggleChip({ ...query, search: searchInBox() ?? query.search }, value));
  });

  const apply = () => {
    deps.clearTimeout(timer);
    const text = search.text.value.trim();
    const typed = searchInBox();
    if (!typed) {
      search.error.textContent = `A search takes at most ${MAX_FILTER_TEXT_LENGTH} characters; this has ${text.length}. Shorten it to search.`;
      search.error.hidden = false;
      search.text.setAttribute('aria-invalid', 'true');
      return;
    }
    search.error.hidden = true;
    search.error.textContent = '';
    search.text.removeAttribute('aria-invalid');
    const query = current();
    if (JSON.stringify(query.search) === JSON.stringify(typed)) return;
    change({ ...query, search: typed });
  };
  search.text.addEventListener('input', () => {
    deps.clearTimeout(timer);
    timer = deps.setTimeout(apply, SEARCH_DEBOUNCE_MS);
  });
  search.column.addEventListener('change', apply);
  search.match.addEventListener('change', apply);
  search.anyCase.addEventListener('change', apply);
  search.form.addEventListener('submit', (event) => {
    event.preventDefault();
    apply();
  });
}

/** Puts a query into the controls (at start, from the URL; after a chip is pressed). */
export function showQueryInControls(elements: Pick<PageElements, 'statusChips' | 'columnCounts' | 'search'>, query: TableQuery): void {
  for (const status of ORDER_STATUSES) elements.statusChips[status].setAttribute('aria-pressed', String(query.statuses.includes(status)));
  const pressed = query.chips?.values ?? [];
  for (const chip of elements.columnCounts.querySelectorAll<HTMLElement>('button[data-value]'))
    chip.setAttribute('aria-pressed', String(pressed.includes(chip.dataset['value'] ?? '')));
  elements.search.text.value = query.search.text;
  const select = elements.search.column;
  // A column the URL names before the columns are known (a new one): offered until they say otherwise.
  if (![...select.options].some((option) => option.value === query.search.column))
    select.append(option(select, query.search.column, query.search.column));
  select.value = query.search.column;
  elements.search.match.value = query.search.match;
  elements.search.anyCase.checked = query.search.anyCase;
}

/** The search box offers the table's text columns (a column a DDL added among them), keeping the query's. */
export function showSearchColumns(
  select: HTMLSelectElement,
  columns: readonly { readonly name: string; readonly label: string }[],
  query: TableQuery,
): void {
  select.replaceChildren(...columns.map((column) => option(select, column.name, column.label)));
  if (columns.some((column) => column.name === query.search.column)) select.value = query.search.column;
}

function option(select: HTMLSelectElement, value: string, label: string): HTMLOptionElement {
  const element = select.ownerDocument.createElement('option');
  element.value = value;
  element.textContent = label;
  return element;
}
