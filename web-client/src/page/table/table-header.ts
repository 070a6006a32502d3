/**
 * The table's sticky header: a th per shown column (table-columns.ts), in order, each sortable one a
 * button that asks for the server to sort by it (the same column again flips the direction), then
 * the actions header. Rebuilt when the columns change; shows the query's sort (arrow, aria-sort).
 */
import type { DisplayColumn } from './table-columns.js';
import type { ColumnName, TableQuery } from '../query/table-query.js';

const ARROWS = { asc: '▲', desc: '▼' } as const;

export class TableHeader {
  readonly #row: HTMLTableRowElement;
  readonly #onSort: (column: ColumnName) => void;
  readonly #cells = new Map<ColumnName, { readonly th: HTMLTableCellElement; readonly label: string }>();

  constructor(row: HTMLTableRowElement, onSort: (column: ColumnName) => void) {
    this.#row = row;
    this.#onSort = onSort;
  }

  /** `withActions`: the actions header last (orders' rows have action buttons; other tables' none). */
  show(columns: readonly DisplayColumn[], withActions = true): void {
    const document = this.#row.ownerDocument;
    this.#cells.clear();
    const cells = columns.map((column) => {
      const th = document.createElement('th');
      th.scope = 'col';
      th.dataset['sortColumn'] = column.name;
      th.dataset['kind'] = column.info.kind;
      th.classList.toggle('numeric', column.numeric);
      th.classList.toggle('extra-column', !column.known);
      th.title = `${column.name}: ${column.info.sourceType ?? column.info.kind}${column.info.nullable ? '' : ', not null'}`;
      const label = document.createElement('span');
      label.textContent = column.label;
      if (column.sortable) {
        const button = document.createElement('button');
        button.type = 'button';
        button.className = 'sort-button';
        const arrow = document.createElement('span');
        arrow.className = 'sort-arrow';
        arrow.setAttribute('aria-hidden', 'true');
        button.append(label, arrow);
        button.addEventListener('click', () => this.#onSort(column.name));
        th.append(button);
      } else th.append(label);
      this.#cells.set(column.name, { th, label: column.label });
      return th;
    });
    const actions = document.createElement('th');
    actions.scope = 'col';
    actions.className = 'actions-header';
    actions.textContent = 'Actions';
    this.#row.replaceChildren(...cells, ...(withActions ? [actions] : []));
  }

  showSort(query: TableQuery): void {
    for (const [column, { th, label }] of this.#cells) {
      const active = column === query.sort.column;
      if (active) th.setAttribute('aria-sort', query.sort.direction === 'asc' ? 'ascending' : 'descending');
      else th.removeAttribute('aria-sort');
      const arrow = th.querySelector('.sort-arrow');
      if (arrow) arrow.textContent = active ? ARROWS[query.sort.direction] : '';
      th.querySelector('button')?.setAttribute(
        'aria-label',
        `${label}: sort ${active && query.sort.direction === 'asc' ? 'descending' : 'ascending'}`,
      );
    }
  }
}
