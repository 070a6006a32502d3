/**
 * docs/architecture.md's code table is kept true to the tree: every path it lists exists, and the
 * rows that map a package folder by folder name every folder and module there is, so a reader finds
 * where a thing lives from the table alone (and a move that forgets the table fails here).
 */
import { readFileSync, readdirSync, statSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = new URL('..', import.meta.url).pathname;
const doc = readFileSync(join(root, 'docs/architecture.md'), 'utf8');
/** The code table's rows: first cell (a path in backticks) → the rest of the row. */
const rows = new Map([...doc.matchAll(/^\| `([^`]+)` \| (.*) \|$/gm)].map((m) => [m[1]!, m[2]!] as const));

/** Every folder below `dir` (relative paths) and every module (file name without .ts) that is not a test. */
function tree(dir: string): { folders: string[]; modules: string[] } {
  const folders: string[] = [];
  const modules: string[] = [];
  const walk = (relative: string) => {
    for (const name of readdirSync(join(dir, relative))) {
      const path = relative ? `${relative}/${name}` : name;
      if (statSync(join(dir, path)).isDirectory()) {
        if (name === 'fixtures') continue;
        folders.push(name);
        walk(path);
      } else if (name.endsWith('.ts') && !name.endsWith('.test.ts') && name !== 'test-support.ts') {
        modules.push(name.slice(0, -'.ts'.length));
      }
    }
  };
  walk('');
  return { folders, modules };
}

describe('docs/architecture.md, the code table', () => {
  it('lists only paths that exist', () => {
    expect(rows.size).toBeGreaterThan(10);
    for (const path of rows.keys()) expect(existsSync(join(root, path)), path).toBe(true);
  });

  it.each([
    ['services/websocket-service', 'src'],
    ['web-client', 'src/page'],
  ])('names every folder and module of %s', (row, src) => {
    const text = rows.get(row);
    expect(text, row).toBeDefined();
    const { folders, modules } = tree(join(root, row, src));
    const missing = [...folders.map((f) => `\`${f}/\``), ...modules.map((m) => `\`${m}\``)].filter((name) => !text!.includes(name));
    expect(missing).toEqual([]);
  });
});
