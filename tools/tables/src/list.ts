/**
 * database/tables.list, the one list of streamed tables both stacks read (database/init.sh publishes
 * them, connectors/register.sh puts them in the connector's table.include.list): pure reading and
 * editing of its text, by the same rules as those two scripts.
 */

/** Plain lower-case schema.table names only: what the shell scripts accept, and safe to splice into SQL and a regex list. */
export const TABLE_NAME = /^[a-z_][a-z0-9_]*\.[a-z_][a-z0-9_]*$/;

/** Always streamed (the freshness watermark) and never listed: register.sh puts it first itself. */
export const HEARTBEAT_TABLE = 'public.orders_heartbeat';

/** What a line names: its '#' comment and every blank removed, as the scripts' sed does. */
const named = (line: string): string => line.replace(/#.*/, '').replace(/\s/g, '');

export function parseTablesList(text: string): string[] {
  return text
    .split('\n')
    .map(named)
    .filter((name) => name !== '');
}

/** The list with `table` appended as a line of its own (unchanged if it already names it). */
export function withTable(text: string, table: string): string {
  if (parseTablesList(text).includes(table)) return text;
  return `${text}${text === '' || text.endsWith('\n') ? '' : '\n'}${table}\n`;
}

/** The list without the lines that name `table` (its comments and other lines kept as they are). */
export function withoutTable(text: string, table: string): string {
  return text
    .split('\n')
    .filter((line) => named(line) !== table)
    .join('\n');
}

/** The connector's table.include.list as register.sh computes it: the config file's own value, then the list's tables. */
export function includeList(base: string, tables: readonly string[]): string {
  return [base, ...tables].filter((part) => part !== '').join(',');
}
