import { isMap, isNode, isScalar, isSeq, LineCounter, parseAllDocuments, YAMLError, type Document, type Node, type YAMLMap } from 'yaml';
import { maskPhoneNumbersInText } from '../recipients/index.js';
import type { Problem, SourcePosition } from './types.js';

/** Path of a node inside the YAML document: keys and sequence indexes. */
export type FieldPath = readonly (string | number)[];

/** A parsed campaign document, kept so later checks can point back at the source text. */
export interface YamlSource {
  file: string;
  document: Document.Parsed;
  lineCounter: LineCounter;
}

export type ParsedYaml = { ok: true; data: unknown; source: YamlSource } | { ok: false; problems: Problem[] };

/** Aliases are legitimate for reuse, but a handful is plenty; more looks like a "billion laughs" bomb. */
const MAX_ALIAS_COUNT = 100;

export function problem(file: string, position: SourcePosition | null, field: string | null, message: string): Problem {
  // Field paths come from YAML keys and messages may quote the file: a key or value may be a phone number.
  return {
    file,
    line: position?.line ?? null,
    column: position?.column ?? null,
    field: field === null ? null : maskPhoneNumbersInText(field),
    message: maskPhoneNumbersInText(message),
  };
}

/** `['recipients', 0, 'file']` → `recipients[0].file`. */
export function formatFieldPath(path: FieldPath): string | null {
  let text = '';
  for (const part of path) text += typeof part === 'number' ? `[${part}]` : text === '' ? part : `.${part}`;
  return text === '' ? null : text;
}

/** Pure: YAML text → plain data plus the document for positions; every YAML failure becomes a problem. */
export function parseYamlSource(text: string, file: string): ParsedYaml {
  const lineCounter = new LineCounter();
  // The library's duplicate-key check compares each key with every earlier one: quadratic on a big mapping.
  const documents = parseAllDocuments(text, { lineCounter, prettyErrors: false, uniqueKeys: false });
  const at = (offset: number): SourcePosition => {
    const { line, col } = lineCounter.linePos(offset);
    return { line, column: col };
  };
  const first = documents[0];
  if (first === undefined) return { ok: false, problems: [emptyFile(file)] };
  const yamlErrors: YAMLError[] = documents.flatMap((document) => document.errors);
  if (yamlErrors.length > 0) {
    return {
      ok: false,
      problems: yamlErrors.map((error) => problem(file, at(error.pos[0]), null, `invalid YAML: ${firstLine(error.message)}`)),
    };
  }
  if (documents.length > 1) {
    const second = documents[1]!;
    const offset = second.range[0];
    return {
      ok: false,
      problems: [problem(file, at(offset), null, `the file holds ${documents.length} YAML documents: put one campaign per file`)],
    };
  }
  const document = first;
  if (document.contents === null) return { ok: false, problems: [emptyFile(file)] };
  const duplicates = duplicateKeyOffsets(document.contents);
  if (duplicates.length > 0) {
    const shown = duplicates
      .slice(0, MAX_PROBLEMS_PER_FILE)
      .map((offset) => problem(file, at(offset), null, 'invalid YAML: Map keys must be unique'));
    return { ok: false, problems: withMoreCount(shown, duplicates.length) };
  }
  if (!isMap(document.contents)) {
    const position = at(document.contents.range?.[0] ?? 0);
    return {
      ok: false,
      problems: [problem(file, position, null, 'a campaign file must be a YAML mapping (name: …, type: …, message: …)')],
    };
  }
  let data: unknown;
  try {
    data = document.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (error) {
    const reason = error instanceof Error ? firstLine(error.message) : String(error);
    return { ok: false, problems: [problem(file, null, null, `the YAML cannot be expanded: ${reason}`)] };
  }
  return { ok: true, data, source: { file, document, lineCounter } };
}

/** Past this many problems of one file, the rest are counted in one last line. */
export const MAX_PROBLEMS_PER_FILE = 50;

/** `problems` (the first of `total`), plus a line counting the ones left out. */
export function withMoreCount(problems: Problem[], total: number): Problem[] {
  const last = problems[problems.length - 1];
  if (total <= problems.length || last === undefined) return problems;
  return [...problems, { ...last, field: null, message: `…and ${total - problems.length} more problems like these in this file` }];
}

/** Offsets of keys repeated within one mapping, in one pass with a set per mapping; scalar keys compare by value. */
function duplicateKeyOffsets(root: Node): number[] {
  const offsets: number[] = [];
  const stack: unknown[] = [root];
  while (stack.length > 0) {
    const node = stack.pop();
    if (isMap(node)) {
      const seen = new Set<unknown>();
      for (const pair of node.items) {
        const key = isScalar(pair.key) ? pair.key.value : pair.key;
        if (seen.has(key)) offsets.push(isNode(pair.key) ? (pair.key.range?.[0] ?? 0) : 0);
        seen.add(key);
        stack.push(pair.key, pair.value);
      }
    } else if (isSeq(node)) {
      stack.push(...node.items);
    }
  }
  return offsets.sort((a, b) => a - b);
}

function emptyFile(file: string): Problem {
  return problem(file, null, null, 'the file is empty: expected a campaign (a YAML mapping with name, type, message…)');
}

function firstLine(message: string): string {
  return message.split('\n')[0]!.trim();
}

function positionOfOffset(source: YamlSource, offset: number): SourcePosition {
  const { line, col } = source.lineCounter.linePos(offset);
  return { line, column: col };
}

/** The node at `path`, or the deepest existing ancestor when part of the path is missing. */
function nearestNode(source: YamlSource, path: FieldPath): Node | null {
  for (let length = path.length; length >= 0; length -= 1) {
    const node = length === 0 ? source.document.contents : source.document.getIn(path.slice(0, length), true);
    if (isNode(node)) return node;
  }
  return null;
}

/** Where the value at `path` starts (or its nearest existing ancestor). */
export function valuePosition(source: YamlSource, path: FieldPath): SourcePosition {
  const node = nearestNode(source, path);
  return positionOfOffset(source, node?.range?.[0] ?? 0);
}

const keyIndexes = new WeakMap<YAMLMap, Map<unknown, Node>>();

/** A mapping's scalar keys by value, built once: looking up every unknown key stays linear. */
function keyIndex(map: YAMLMap): Map<unknown, Node> {
  let index = keyIndexes.get(map);
  if (index === undefined) {
    index = new Map();
    for (const pair of map.items) if (isScalar(pair.key) && !index.has(pair.key.value)) index.set(pair.key.value, pair.key);
    keyIndexes.set(map, index);
  }
  return index;
}

/** Where the key of the last path element is written, for "unknown field" problems. */
export function keyPosition(source: YamlSource, path: FieldPath): SourcePosition {
  const parentPath = path.slice(0, -1);
  const key = path[path.length - 1];
  const parent = parentPath.length === 0 ? source.document.contents : source.document.getIn(parentPath, true);
  const range = isMap(parent) ? keyIndex(parent).get(key)?.range : undefined;
  return range ? positionOfOffset(source, range[0]) : valuePosition(source, path);
}

/** The text a scalar was written as, e.g. `+33612345678` that YAML read as a number. */
export function scalarSource(source: YamlSource, path: FieldPath): string | null {
  const node = source.document.getIn(path, true);
  if (isScalar(node)) return typeof node.source === 'string' ? node.source : String(node.value);
  return null;
}

/** Positions of every top-level key's value. */
export function topLevelPositions(source: YamlSource): Record<string, SourcePosition> {
  const positions: Record<string, SourcePosition> = {};
  const contents = source.document.contents;
  if (!isMap(contents)) return positions;
  for (const pair of contents.items) {
    if (!isScalar(pair.key) || typeof pair.key.value !== 'string') continue;
    const range = isNode(pair.value) ? pair.value.range : pair.key.range;
    if (range) positions[pair.key.value] = positionOfOffset(source, range[0]);
  }
  return positions;
}
