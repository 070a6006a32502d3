/**
 * The API error message: what failed, the error's code and message, until the reader dismisses it
 * (or the next error replaces it). A write that failed is shown here whatever started it: the create
 * form, a row's advance or delete button.
 */
import type { ApiError } from './api-client.js';

interface ApiErrorElements {
  /** The whole message (role=alert), hidden while there is nothing to say. */
  readonly box: HTMLElement;
  readonly code: HTMLElement;
  readonly text: HTMLElement;
  readonly dismiss: HTMLButtonElement;
}

export class ApiErrorMessage {
  readonly #elements: ApiErrorElements;

  constructor(elements: ApiErrorElements) {
    this.#elements = elements;
    elements.dismiss.addEventListener('click', () => this.hide());
    elements.box.ownerDocument.addEventListener('keydown', (event) => {
      if (event.key === 'Escape' && !elements.box.hidden) this.hide();
    });
  }

  /** `action` says what was being done ("Could not delete order 12"). */
  show(action: string, error: ApiError): void {
    const { box, code, text } = this.#elements;
    code.textContent = error.code;
    text.textContent = `${action}: ${error.message}${error.status === undefined ? '' : ` (HTTP ${error.status})`}`;
    box.dataset['code'] = error.code;
    box.hidden = false;
  }

  hide(): void {
    const { box, code, text } = this.#elements;
    box.hidden = true;
    code.textContent = '';
    text.textContent = '';
    delete box.dataset['code'];
  }
}
