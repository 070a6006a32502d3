import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import createRBTree from 'functional-red-black-tree';
import { treeFromSorted } from './tree-from-sorted.js';

const compare = (a: number, b: number) => a - b;

interface Node {
  readonly _color: number;
  readonly _count: number;
  readonly left: Node | null;
  readonly right: Node | null;
}

/** Black nodes on every path to a leaf (throws when paths differ or a red node has a red child). */
function blackHeight(node: Node | null, parentRed = false): number {
  if (node === null) return 1;
  const red = node._color === 0;
  if (red && parentRed) throw new Error('a red node with a red child');
  const left = blackHeight(node.left, red);
  if (left !== blackHeight(node.right, red)) throw new Error('paths with different black heights');
  if (node._count !== 1 + (node.left?._count ?? 0) + (node.right?._count ?? 0)) throw new Error('a wrong subtree count');
  return left + (red ? 0 : 1);
}

describe('treeFromSorted', () => {
  it('builds a valid red-black tree of the keys, at every size', () => {
    for (let n = 0; n <= 130; n++) {
      const keys = Array.from({ length: n }, (_, i) => i * 2);
      const tree = treeFromSorted(compare, keys);
      expect(tree.keys).toEqual(keys);
      expect(tree.length).toBe(n);
      blackHeight(tree.root as unknown as Node | null);
      for (let i = 0; i < n; i++) expect(tree.at(i).key).toBe(i * 2);
    }
  });

  it('stays valid and equal to a one-by-one tree under inserts and removes', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.integer({ min: 0, max: 500 }), { maxLength: 200 }),
        fc.array(fc.tuple(fc.boolean(), fc.integer({ min: 0, max: 500 })), { maxLength: 100 }),
        (initial, steps) => {
          const sorted = [...initial].sort(compare);
          let bulk = treeFromSorted(compare, sorted);
          let reference = createRBTree<number, undefined>(compare);
          for (const key of sorted) reference = reference.insert(key, undefined);
          for (const [insert, key] of steps) {
            const present = reference.find(key).valid;
            if (insert && !present) {
              bulk = bulk.insert(key, undefined);
              reference = reference.insert(key, undefined);
            } else if (!insert && present) {
              bulk = bulk.remove(key);
              reference = reference.remove(key);
            }
            blackHeight(bulk.root as unknown as Node | null);
          }
          expect(bulk.keys).toEqual(reference.keys);
          for (let i = 0; i < bulk.length; i++) expect(bulk.at(i).index).toBe(i);
        },
      ),
    );
  });
});
