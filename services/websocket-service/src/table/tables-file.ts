/**
 * The tables list (database/tables.list) as the service reads it: "schema.table" a line, '#'
 * starts a comment. Both stacks read the same file (database/init.sh, connectors/register.sh, and
 * `npm run tables -- add|remove` edits it); the service follows it while running (TablesFile).
 */
import { readFile } from 'node:fs/promises';

/** A table name as the list holds it. */
const COLLECTION = /^[a-z_][a-z0-9_$]*\.[a-z_][a-z0-9_$]*$/;

/** The list's tables in order; a line that is not "schema.table" is in `invalid` (reported, not served). */
export function parseTablesFile(text: string): { tables: string[]; invalid: string[] } {
  const tables: string[] = [];
  const invalid: string[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.replace(/#.*/, '').trim();
    if (line === '') continue;
    if (COLLECTION.test(line)) {
      if (!tables.includes(line)) tables.push(line);
    } else invalid.push(line);
  }
  return { tables, invalid };
}

/** Reads the list now and again every `pollMs`, telling `onChange` whenever the tables it names differ. */
export class TablesFile {
  readonly #path: string;
  readonly #pollMs: number;
  readonly #onChange: (tables: readonly string[]) => void;
  readonly #onError: (err: unknown) => void;
  #last = '';
  #timer: NodeJS.Timeout | undefined;

  constructor(
    options: { readonly path: string; readonly pollMs: number },
    listeners: { readonly onChange: (tables: readonly string[]) => void; readonly onError: (err: unknown) => void },
  ) {
    this.#path = options.path;
    this.#pollMs = options.pollMs;
    this.#onChange = listeners.onChange;
    this.#onError = listeners.onError;
  }

  /** `initial`: the list as read at start (the tables already served). */
  start(initial: readonly string[]): void {
    this.#last = initial.join('\n');
    this.#timer = setInterval(() => void this.#read(), this.#pollMs);
    this.#timer.unref();
  }

  stop(): void {
    clearInterval(this.#timer);
  }

  async #read(): Promise<void> {
    try {
      const { tables } = parseTablesFile(await readFile(this.#path, 'utf8'));
      const text = tables.join('\n');
      if (text === this.#last) return;
      this.#last = text;
      this.#onChange(tables);
    } catch (err) {
      this.#onError(err);
    }
  }
}
