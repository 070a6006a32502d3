/**
 * The activity log: a list, newest first, one <li data-op data-order-id> per change shown, bounded
 * to MAX_ACTIVITY_ENTRIES (the oldest go). Text only.
 */
import { formatClock, formatLatency } from './format.js';
import { MAX_ACTIVITY_ENTRIES, type ActivityEntry } from './activity.js';

const OP_LABELS: Readonly<Record<ActivityEntry['op'], string>> = {
  insert: 'insert',
  update: 'update',
  delete: 'delete',
  enter: 'enter',
  leave: 'leave',
};

export class ActivityLog {
  readonly #list: HTMLElement;
  readonly #empty: HTMLElement | undefined;
  readonly #max: number;

  /** `list` is the <ol>/<ul>; `empty`, if given, is shown while the log has no entries. */
  constructor(list: HTMLElement, empty?: HTMLElement, max: number = MAX_ACTIVITY_ENTRIES) {
    this.#list = list;
    this.#empty = empty;
    this.#max = max;
  }

  add(entry: ActivityEntry): void {
    this.#list.prepend(this.#createItem(entry));
    while (this.#list.childElementCount > this.#max) this.#list.lastElementChild?.remove();
    if (this.#empty) this.#empty.hidden = true;
  }

  #createItem(entry: ActivityEntry): HTMLLIElement {
    const document = this.#list.ownerDocument;
    const span = (className: string, text: string) => {
      const element = document.createElement('span');
      element.className = className;
      element.textContent = text;
      return element;
    };
    const li = document.createElement('li');
    li.className = 'activity-entry';
    li.dataset['op'] = entry.op;
    li.dataset['orderId'] = String(entry.id);
    li.dataset['latencyMs'] = String(Math.round(entry.latencyMs));

    const time = document.createElement('time');
    time.className = 'activity-time';
    time.dateTime = new Date(entry.shownAt).toISOString();
    time.textContent = formatClock(entry.shownAt);

    const latency = span('activity-latency', formatLatency(entry.latencyMs));
    latency.title = 'commit → screen';

    li.append(
      time,
      span('activity-op', OP_LABELS[entry.op]),
      span('activity-id', `#${entry.id}`),
      span('activity-customer', entry.customer),
      latency,
      span('activity-summary', entry.summary),
    );
    return li;
  }
}
