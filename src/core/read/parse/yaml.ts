// YAML documents: the `yaml` library after a conservative nesting pre-scan, then an
// iterative converter to plain JS of our own. See src/core/parse.ts.

import { isAlias, isMap, isPair, isScalar, isSeq, parseAllDocuments } from 'yaml';
import { inert } from '../../sanitize.js';
import { reportConflictMarkers } from './conflict-markers.js';
import type { Limits, Problems } from './problems.js';
import { lineEnd, nextLineStart } from './positions.js';
import { isBlankCode, quote } from './text.js';

export function readYamlText(text: string, p: Problems, limits: Limits): unknown {
  if (reportConflictMarkers(text, p)) return undefined;

  const deep = findYamlTooDeep(text, limits.maxDepth);
  if (deep >= 0) {
    p.add(
      'error',
      'too-deep',
      () => `nesting deeper than ${limits.maxDepth} levels; the document is not read`,
      deep,
    );
    return undefined;
  }

  const docs = parseAllDocuments(text, {
    uniqueKeys: false,
    prettyErrors: false,
    logLevel: 'silent',
    version: '1.2',
    schema: 'core',
  });

  for (const e of 'empty' in docs ? docs.errors : [])
    p.add('error', 'syntax', () => `YAML: ${inert(e.message)} (${e.code})`, e.pos[0]);
  const withContent = [];
  for (const doc of docs) {
    for (const e of doc.errors)
      p.add('error', 'syntax', () => `YAML: ${inert(e.message)} (${e.code})`, e.pos[0]);
    for (const w of doc.warnings)
      p.add('warning', 'yaml-warning', () => `YAML: ${inert(w.message)} (${w.code})`, w.pos[0]);
    if (doc.contents !== null) withContent.push(doc);
  }
  const doc = withContent[withContent.length - 1];
  if (doc === undefined) {
    if (p.errors === 0)
      p.add('error', 'empty', 'the file holds no YAML content (only comments or whitespace)');
    return undefined;
  }
  const contents: unknown = doc.contents;
  if (withContent.length > 1) {
    p.add(
      'warning',
      'multiple-documents',
      () =>
        `the file holds ${withContent.length} YAML documents; the last one, at ${p.where(rangeStart(contents) ?? 0)}, is used`,
      rangeStart(contents),
    );
  }
  return yamlToPlain(contents, text, p, limits);
}

interface Ancestors {
  node: unknown;
  up: Ancestors | undefined;
}

interface YamlTask {
  node: unknown;
  /** Where the value goes; null for the root. */
  parent: Record<string, unknown> | unknown[] | null;
  key: string | number;
  depth: number;
  /** Offset of the alias whose expansion this value is part of, if any. */
  viaAlias: number | undefined;
  ancestors: Ancestors | undefined;
}

/**
 * The document as plain JS, iteratively: objects for maps (keys as strings, duplicate
 * keys reported, the last one wins, `__proto__` and collection keys dropped with a
 * warning), arrays for sequences, aliases expanded as copies within a budget.
 */
function yamlToPlain(contents: unknown, text: string, p: Problems, limits: Limits): unknown {
  // Anchors resolve to the latest node with that name before the alias, in document
  // order (as the yaml library does). One pre-order pass over the real tree.
  const targets = new Map<unknown, unknown>();
  {
    const anchors = new Map<string, unknown>();
    const stack: unknown[] = [contents];
    while (stack.length > 0) {
      const node = stack.pop();
      if (node === null || typeof node !== 'object') continue;
      if (isAlias(node)) {
        targets.set(node, anchors.get(node.source));
        continue;
      }
      const anchor = (node as { anchor?: unknown }).anchor;
      if (typeof anchor === 'string') anchors.set(anchor, node);
      if (isPair(node)) {
        stack.push(node.value, node.key);
      } else if (isMap(node) || isSeq(node)) {
        const items = node.items as unknown[];
        for (let i = items.length - 1; i >= 0; i--) stack.push(items[i]);
      }
    }
  }

  // Values produced through aliases: generous for real files, fatal for bombs (each
  // expansion is a copy, so a bomb would otherwise cost memory exponentially).
  const aliasBudget = Math.min(100_000, Math.max(10_000, text.length));
  let aliasNodes = 0;
  const holder: unknown[] = [undefined];
  const stack: YamlTask[] = [
    { node: contents, parent: null, key: 0, depth: 0, viaAlias: undefined, ancestors: undefined },
  ];
  const put = (task: YamlTask, value: unknown): void => {
    if (task.parent === null) holder[0] = value;
    else (task.parent as Record<string, unknown>)[task.key] = value;
  };

  while (stack.length > 0) {
    const task = stack.pop() as YamlTask;
    let node = task.node;
    let viaAlias = task.viaAlias;
    if (isAlias(node)) {
      const alias = node;
      const target = targets.get(alias);
      if (target === undefined) {
        p.add(
          'error',
          'syntax',
          () => `alias *${inert(alias.source)} refers to no anchor defined before it`,
          rangeStart(alias),
        );
        put(task, null);
        continue;
      }
      let cyclic = false;
      for (let a = task.ancestors; a !== undefined; a = a.up) if (a.node === target) cyclic = true;
      if (cyclic) {
        p.add(
          'error',
          'alias-cycle',
          () => `alias *${inert(alias.source)} refers to a node that contains it; it cannot be expanded`,
          rangeStart(alias),
        );
        put(task, null);
        continue;
      }
      node = target;
      viaAlias ??= rangeStart(alias) ?? 0;
    }
    if (viaAlias !== undefined && ++aliasNodes > aliasBudget) {
      p.add(
        'error',
        'alias-limit',
        () => `aliases expand to more than ${aliasBudget} values (an alias bomb?); the document is not read`,
        viaAlias,
      );
      return undefined;
    }

    if (node === null || node === undefined) {
      put(task, null);
      continue;
    }
    if (isScalar(node)) {
      put(task, plainScalar(node.value, node.source));
      continue;
    }
    const pairs = isMap(node) ? (node.items as unknown[]) : isPair(node) ? [node] : undefined;
    if (pairs === undefined && !isSeq(node)) {
      put(task, null);
      continue;
    }
    if (task.depth + 1 > limits.maxDepth) {
      p.add(
        'error',
        'too-deep',
        () => `nesting deeper than ${limits.maxDepth} levels; the document is not read`,
        rangeStart(node),
      );
      return undefined;
    }
    const ancestors: Ancestors = { node, up: task.ancestors };
    const depth = task.depth + 1;

    if (pairs === undefined) {
      const items = (node as { items: unknown[] }).items;
      const arr: unknown[] = new Array(items.length).fill(null);
      put(task, arr);
      for (let i = items.length - 1; i >= 0; i--) {
        stack.push({ node: items[i], parent: arr, key: i, depth, viaAlias, ancestors });
      }
      continue;
    }

    const obj: Record<string, unknown> = {};
    put(task, obj);
    const seen = new Map<string, number | undefined>();
    const last = new Map<string, unknown>();
    for (const pair of pairs) {
      if (!isPair(pair)) continue;
      const keyNode = isAlias(pair.key) ? targets.get(pair.key) : pair.key;
      const keyAt = rangeStart(pair.key) ?? rangeStart(pair.value);
      let key: string;
      if (keyNode === null || keyNode === undefined) key = '';
      else if (isScalar(keyNode)) key = scalarKey(keyNode.value, keyNode.source);
      else {
        p.add(
          'warning',
          'complex-key',
          'a mapping key that is itself a collection is not supported; entry ignored',
          keyAt,
        );
        continue;
      }
      if (key === '__proto__') {
        p.add(
          'warning',
          'unsafe-key',
          'property "__proto__" ignored: it could change an object\'s prototype',
          keyAt,
        );
        continue;
      }
      if (seen.has(key)) {
        const earlier = seen.get(key);
        p.add(
          'warning',
          'duplicate-key',
          () =>
            `duplicate key ${quote(key)}${earlier === undefined ? '' : ` (also at ${p.where(earlier)})`}; the last value is used`,
          keyAt,
        );
      } else {
        obj[key] = null; // fixes the key's position at its first occurrence
      }
      seen.set(key, keyAt);
      last.set(key, pair.value);
    }
    const entries = [...last];
    for (let i = entries.length - 1; i >= 0; i--) {
      const [key, value] = entries[i] as [string, unknown];
      stack.push({ node: value, parent: obj, key, depth, viaAlias, ancestors });
    }
  }
  return holder[0];
}

function plainScalar(value: unknown, source: unknown): unknown {
  if (value === null || typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean')
    return value;
  if (value === undefined) return null;
  // Dates, binary, big integers (tags of other schemas): keep the text as written.
  return typeof source === 'string' ? source : String(value);
}

function scalarKey(value: unknown, source: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint')
    return String(value);
  return typeof source === 'string' ? source : String(value);
}

function rangeStart(node: unknown): number | undefined {
  if (node === null || typeof node !== 'object') return undefined;
  const range = (node as { range?: unknown }).range;
  return Array.isArray(range) && typeof range[0] === 'number' ? range[0] : undefined;
}

/**
 * A conservative bound on YAML nesting, before the recursive composer sees the text:
 * block nesting from the stack of indentations plus compact `- `/`? `/`: ` indicators,
 * flow nesting from `[`/`{` that open a node (outside quotes, comments and block
 * scalars). Returns the offset of the line where the bound is passed, or -1.
 */
function findYamlTooDeep(text: string, maxDepth: number): number {
  const indents: number[] = [];
  let flow = 0;
  let flowBase = 0;
  let quote = 0; // 0, or the code of the open quote (a quoted scalar may span lines)
  let blockScalarIndent = -1;
  let start = 0;
  const n = text.length;
  while (start < n) {
    const end = lineEnd(text, start);
    let i = start;
    while (i < end && text.charCodeAt(i) === 0x20) i++;
    const indent = i - start;
    let atNode = true;
    let depth = 0;

    const skipLine = blockScalarIndent >= 0 && (i === end || indent > blockScalarIndent);
    if (!skipLine) blockScalarIndent = -1;
    if (!skipLine && quote === 0 && text.startsWith('---', i) && indent === 0) {
      indents.length = 0;
      flow = 0;
      i += 3;
    } else if (!skipLine && quote === 0 && flow === 0 && i < end && text.charCodeAt(i) !== 0x23) {
      while (indents.length > 0 && (indents[indents.length - 1] as number) >= indent) indents.pop();
      indents.push(indent);
      depth = indents.length;
      // Compact nested collections on one line: `- - a`, `? - a`, `- key: value`.
      for (;;) {
        const c = text.charCodeAt(i);
        if (
          (c === 0x2d || c === 0x3f || c === 0x3a) &&
          (i + 1 >= end || isBlankCode(text.charCodeAt(i + 1)))
        ) {
          depth++;
          i++;
          while (i < end && isBlankCode(text.charCodeAt(i))) i++;
        } else break;
      }
      if (depth > maxDepth) return start;
    }

    if (!skipLine) {
      for (; i < end; i++) {
        const c = text.charCodeAt(i);
        if (quote !== 0) {
          if (quote === 0x22 && c === 0x5c) i++;
          else if (c === quote) {
            if (quote === 0x27 && text.charCodeAt(i + 1) === 0x27) i++;
            else {
              quote = 0;
              atNode = false;
            }
          }
          continue;
        }
        if (c === 0x20 || c === 0x09) continue;
        if (c === 0x23 /* # */ && (i === start || isBlankCode(text.charCodeAt(i - 1)))) break;
        if ((c === 0x5b || c === 0x7b) && (atNode || flow > 0)) {
          if (flow === 0) flowBase = Math.max(depth, indents.length);
          flow++;
          if (flowBase + flow > maxDepth) return start;
          atNode = true;
        } else if ((c === 0x5d || c === 0x7d) && flow > 0) {
          flow--;
          atNode = false;
        } else if (c === 0x2c /* , */ && flow > 0) {
          atNode = true;
        } else if (c === 0x3a /* : */ && (i + 1 >= end || isBlankCode(text.charCodeAt(i + 1)) || flow > 0)) {
          atNode = true;
        } else if ((c === 0x22 || c === 0x27) && atNode) {
          quote = c;
        } else if ((c === 0x7c || c === 0x3e) /* | > */ && atNode && flow === 0) {
          blockScalarIndent = indent;
          break;
        } else if ((c === 0x26 || c === 0x21) /* & ! */ && atNode) {
          while (i + 1 < end && !isBlankCode(text.charCodeAt(i + 1))) i++;
        } else if (
          c === 0x2d /* - */ &&
          atNode &&
          flow === 0 &&
          (i + 1 >= end || isBlankCode(text.charCodeAt(i + 1)))
        ) {
          continue;
        } else {
          atNode = false;
        }
      }
    }
    const next = nextLineStart(text, start);
    if (next < 0) break;
    start = next;
  }
  return -1;
}
