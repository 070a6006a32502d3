/**
 * The status filter: all orders, or those of one status. The filter is the server's (a filtered
 * subscription, see filter.ts in the protocol), so choosing one starts a new subscription. The choice
 * is kept in the page's URL (?status=shipped), so each tab keeps its own and a reload keeps it.
 */
import { ORDER_STATUSES, type OrderStatus, type RowFilter } from '@orders-live/protocol';

export const STATUS_CHOICES = ['all', ...ORDER_STATUSES] as const;
export type StatusChoice = 'all' | OrderStatus;

/** The URL query parameter that holds the choice. */
export const STATUS_PARAM = 'status';

export function parseStatusChoice(value: string | null | undefined): StatusChoice {
  return STATUS_CHOICES.find((choice) => choice === value) ?? 'all';
}

/** The subscription's filter for a choice: none for all. */
export function filterForChoice(choice: StatusChoice): RowFilter | undefined {
  return choice === 'all' ? undefined : { status: { eq: choice } };
}

/** The choice in a URL's query string ("?status=pending&x=1"). */
export function choiceFromSearch(search: string): StatusChoice {
  return parseStatusChoice(new URLSearchParams(search).get(STATUS_PARAM));
}

/** The query string with the choice set (all: the parameter removed); other parameters are kept. */
export function searchWithChoice(search: string, choice: StatusChoice): string {
  const params = new URLSearchParams(search);
  if (choice === 'all') params.delete(STATUS_PARAM);
  else params.set(STATUS_PARAM, choice);
  const query = params.toString();
  return query === '' ? '' : `?${query}`;
}

/** Fills the <select> with the choices, selects `initial`, and calls `onChange` with each new choice. */
export function bindStatusFilter(select: HTMLSelectElement, initial: StatusChoice, onChange: (choice: StatusChoice) => void): void {
  const document = select.ownerDocument;
  select.replaceChildren(
    ...STATUS_CHOICES.map((choice) => {
      const option = document.createElement('option');
      option.value = choice;
      option.textContent = choice === 'all' ? 'all statuses' : choice;
      return option;
    }),
  );
  select.value = initial;
  select.addEventListener('change', () => onChange(parseStatusChoice(select.value)));
}
