/**
 * The activity log: newest first, one <li data-kind data-tx-id> per transaction shown (activity.ts),
 * bounded to MAX_ACTIVITY_ENTRIES. Each order it names is a button that shows its row; "raw" opens
 * the change as it came (op, before/after, txId, LSN, Kafka partition/offset, hop times), built on request
 * so a closed entry costs a few elements. Text only.
 */
import { FRESHNESS_STALE_AFTER_MS, type RowId } from '@orders-live/protocol';
import { formatDateTime, formatLatency } from '../format.js';
import { MAX_ACTIVITY_ENTRIES, type ActivityEntry } from './activity.js';

export class ActivityLog {
  readonly #list: HTMLElement;
  readonly #empty: HTMLElement | undefined;
  readonly #showRow: (id: RowId) => void;
  /** The row id each link shows (a composite key's id is no attribute text). */
  readonly #linked = new WeakMap<Element, RowId>();
  #newest: HTMLLIElement | undefined;

  /** `list` is the <ol>; `empty`, if given, is shown while the log has no entries; `showRow` scrolls to a row. */
  constructor(list: HTMLElement, empty: HTMLElement | undefined, showRow: (id: RowId) => void) {
    this.#list = list;
    this.#empty = empty;
    this.#showRow = showRow;
    list.addEventListener('click', (event) => {
      const target = event.target instanceof Element ? event.target.closest<HTMLElement>('[data-show-order]') : null;
      const id = target ? this.#linked.get(target) : undefined;
      if (id !== undefined) this.#showRow(id);
    });
  }

  add(entry: ActivityEntry): void {
    this.#newest = this.#createItem(entry);
    this.#list.prepend(this.#newest);
    while (this.#list.childElementCount > MAX_ACTIVITY_ENTRIES) this.#list.lastElementChild?.remove();
    if (this.#empty) this.#empty.hidden = true;
  }

  /** The newest entry, again with more of its transaction (a transaction that came in several frames). */
  replaceNewest(entry: ActivityEntry): void {
    const item = this.#createItem(entry);
    if (this.#newest?.isConnected) this.#newest.replaceWith(item);
    else this.#list.prepend(item);
    this.#newest = item;
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
    li.dataset['kind'] = entry.kind;
    li.dataset['txId'] = String(entry.txId);
    li.dataset['changes'] = String(entry.changes);
    li.dataset['orderIds'] = entry.labels.join(' ');
    const { hops } = entry;
    if (hops.replay) li.dataset['replay'] = 'true';
    else {
      li.dataset['commitToKafkaMs'] = String(Math.round(hops.commitToKafkaMs));
      li.dataset['kafkaToServiceMs'] = String(Math.round(hops.kafkaToServiceMs));
      li.dataset['serviceToScreenMs'] = String(Math.round(hops.serviceToScreenMs));
      li.dataset['latencyMs'] = String(Math.round(hops.totalMs));
    }

    const time = document.createElement('time');
    time.className = 'activity-time';
    time.dateTime = new Date(entry.shownAt).toISOString();
    time.textContent = formatDateTime(entry.shownAt);

    const orders = document.createElement('span');
    orders.className = 'activity-orders';
    entry.ids.forEach((id, i) => {
      const label = entry.labels[i] ?? String(id);
      const link = document.createElement('button');
      link.type = 'button';
      link.className = 'link-button';
      link.dataset['showOrder'] = label;
      this.#linked.set(link, id);
      link.textContent = `#${label}`;
      link.setAttribute('aria-label', `Show row ${label} in the table`);
      orders.append(link);
    });
    if (entry.changes > entry.ids.length) orders.append(span('activity-more', `+${entry.changes - entry.ids.length}`));

    // A change held up by a stopped hop is marked as it arrives, so a reader knows it is not new news.
    const late = !hops.replay && hops.totalMs > FRESHNESS_STALE_AFTER_MS;
    if (late) li.dataset['late'] = 'true';
    const hopText = hops.replay
      ? 'replay (was in Kafka before this page connected)'
      : `${late ? 'late, held up on the way: ' : ''}${formatLatency(hops.totalMs)}: commit → Kafka ${formatLatency(hops.commitToKafkaMs)} → service ${formatLatency(hops.kafkaToServiceMs)} → screen ${formatLatency(hops.serviceToScreenMs)}`;
    const latency = span('activity-latency', hopText);

    const details = document.createElement('details');
    details.className = 'activity-raw';
    const summary = document.createElement('summary');
    summary.textContent = 'raw';
    details.append(summary);
    details.addEventListener('toggle', () => {
      if (!details.open || details.querySelector('pre')) return;
      const pre = document.createElement('pre');
      const raw = entry.raw();
      const iso = (ms: number | undefined) => (ms === undefined ? undefined : new Date(ms).toISOString());
      pre.textContent = JSON.stringify(
        { ...raw, commitTime: iso(raw.commitTime), kafkaTime: iso(raw.kafkaTime), sentAt: iso(raw.sentAt) },
        null,
        2,
      );
      details.append(pre);
    });

    li.append(
      time,
      span('activity-op', entry.kind === 'transaction' ? `tx ${entry.txId ?? '—'}` : entry.kind),
      orders,
      span('activity-summary', entry.summary),
      latency,
      details,
    );
    return li;
  }
}
