/** Compiled row codecs by their schema's JSON text, so a record's schema is compiled once per DDL. */
import type { RowCodec } from './connect-schema.js';
import type { DecodeError } from './decode-error.js';

/**
 * Compiled row schemas by their JSON text. A table has one schema between DDLs, so this holds a
 * handful; the bound only keeps forged records with ever-new schemas from growing memory.
 */
const SCHEMA_CACHE_ENTRIES = 64;

export type Compiled = { readonly ok: true; readonly codec: RowCodec } | { readonly ok: false; readonly error: DecodeError };

/** The bytes a record of the last schema begins with, `{"schema":S,"payload":`, and S's codec. */
export interface SchemaPrefix {
  readonly bytes: Uint8Array;
  readonly codec: RowCodec;
}

export class RowCodecCache {
  readonly #byText = new Map<string, Compiled>();
  /** Set by the decoder after a record of a schema that compiled; the next ones are matched by bytes. */
  lastPrefix: SchemaPrefix | undefined;
  /** The last schema looked up: nearly every record has it, and comparing is cheaper than hashing. */
  #lastText = '';
  #last: Compiled | undefined;

  get(schemaText: string, compile: () => Compiled): Compiled {
    if (this.#last !== undefined && schemaText === this.#lastText) return this.#last;
    let compiled = this.#byText.get(schemaText);
    if (compiled === undefined) {
      compiled = compile();
      if (this.#byText.size >= SCHEMA_CACHE_ENTRIES) this.#byText.delete(this.#byText.keys().next().value!);
      this.#byText.set(schemaText, compiled);
    }
    this.#lastText = schemaText;
    this.#last = compiled;
    return compiled;
  }
}
