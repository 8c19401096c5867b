// Key lookups in a parsed YAML document for src/core/write/edit.ts, each costing the length of
// the path, not the size of the document: a registry holds thousands of agents per mapping
// and `resolve --all` writes thousands of keys in one edit (BENCHMARKS.md).
import { isMap, isScalar, visit, type Document, type Pair, type YAMLMap } from 'yaml';

// An index per parsed mapping, built on its first lookup.
const yamlIndex = new WeakMap<YAMLMap, Map<string, Pair[]>>();

/** Pairs of `map` whose key reads as `seg` (keys are compared as strings, like `toJS`). */
export function pairsFor(map: YAMLMap, seg: string): Pair[] {
  let index = yamlIndex.get(map);
  if (!index) {
    index = new Map();
    for (const p of map.items) {
      if (!isScalar(p.key)) continue;
      const k = String(p.key.value);
      const list = index.get(k);
      if (list) list.push(p as Pair);
      else index.set(k, [p as Pair]);
    }
    yamlIndex.set(map, index);
  }
  return index.get(seg) ?? [];
}

/**
 * Whether the value at `path` (reached from `root` through mappings, one pair per key) sits
 * inside a flow collection, where `,[]{}` end a plain scalar: some mapping on the way is a
 * flow mapping. Found by following the path, not by searching the document for the pair.
 */
export function pathInFlow(root: unknown, path: readonly string[]): boolean {
  let node: unknown = root;
  for (const seg of path) {
    if (!isMap(node)) return false;
    if (node.flow) return true;
    const matches = pairsFor(node, seg);
    if (matches.length !== 1) return false;
    node = matches[0]!.value;
  }
  return false;
}

/**
 * Whether some mapping of `doc` may hold a key twice, in one pass over the document. The
 * `yaml` library's own check (`uniqueKeys`) compares each key with every earlier key of its
 * mapping, quadratic in a registry's thousands of agents; this one is a superset of it
 * (scalar keys with the same value, NaN included), so that a document it passes has no
 * repeated key, and one it flags is parsed again with the library's check for its message.
 */
export function mayRepeatKeys(doc: Document.Parsed): boolean {
  let repeated = false;
  visit(doc, {
    Map(_, map) {
      const seen = new Set<unknown>();
      for (const p of map.items) {
        if (!isScalar(p.key)) continue;
        const k = p.key.value;
        if (seen.has(k)) {
          repeated = true;
          return visit.BREAK;
        }
        seen.add(k);
      }
      return undefined;
    },
  });
  return repeated;
}
