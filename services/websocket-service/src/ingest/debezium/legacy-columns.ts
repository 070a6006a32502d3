/**
 * The orders table's columns as database/sql/01-schema.sql creates them, described exactly as the
 * connector's schema describes them (decoder.test.ts checks it against a recorded record). Records
 * written before the worker embedded schemas carry no types of their own: they are read by these
 * columns, and one carrying any other column does not decode.
 *
 * created_at/updated_at's default is Debezium's placeholder for a default it cannot evaluate (now()):
 * kept so that these columns equal the schema's and a topic that mixes both kinds of record shows
 * no schema change where there was none.
 */
import { columnSet, type Column } from '../../table/column-set.js';

const text = (name: string, extra: Partial<Column> = {}): Column => ({ name, kind: 'text', sourceType: 'TEXT', nullable: false, ...extra });
const EPOCH_PLACEHOLDER = '1970-01-01T00:00:00.000000Z';

export const LEGACY_COLUMNS = columnSet([
  { name: 'id', kind: 'bigint', sourceType: 'INT8', nullable: false },
  text('customer_name'),
  text('product_name'),
  text('status', { defaultValue: 'pending' }),
  { name: 'quantity', kind: 'int', sourceType: 'INT4', nullable: false },
  { name: 'amount', kind: 'decimal', sourceType: 'NUMERIC', nullable: false },
  { name: 'created_at', kind: 'timestamptz', sourceType: 'TIMESTAMPTZ', nullable: false, defaultValue: EPOCH_PLACEHOLDER },
  { name: 'updated_at', kind: 'timestamptz', sourceType: 'TIMESTAMPTZ', nullable: false, defaultValue: EPOCH_PLACEHOLDER },
]);
