import path from 'node:path';
import { LineCounter, isMap, isScalar, isSeq, parseDocument, type Node } from 'yaml';
import { pointerTokens } from '@starship/contract';
import type { SourceReader } from './load.ts';

export interface SourcePosition {
  file: string;
  line: number;
}

interface Parsed {
  root: Node | null;
  lines: LineCounter;
}

interface Cursor {
  file: string;
  node: Node | null;
  line: number;
}

const MAX_HOPS = 32;

/**
 * Maps a pointer into the bundled revision back to a file and line of its sources. Bundling turns external
 * `$ref`s into `#/components/...` ones but keeps the components' names, so walking the same pointer through the
 * source files, following their `$ref`s from file to file, lands where the node is written. A pointer the
 * sources do not spell that way (a component the bundler had to invent) maps to its nearest written ancestor.
 */
export class SourceMap {
  readonly #files = new Map<string, Parsed | undefined>();

  constructor(private readonly reader: SourceReader) {}

  #parse(file: string): Parsed | undefined {
    if (!this.#files.has(file)) {
      let parsed: Parsed | undefined;
      try {
        const lines = new LineCounter();
        parsed = { root: parseDocument(this.reader.read(file), { lineCounter: lines, keepSourceTokens: false }).contents, lines };
      } catch {
        parsed = undefined;
      }
      this.#files.set(file, parsed);
    }
    return this.#files.get(file);
  }

  #line(file: string, node: Node | null | undefined): number | undefined {
    const offset = node?.range?.[0];
    const parsed = this.#parse(file);
    return offset === undefined || parsed === undefined ? undefined : parsed.lines.linePos(offset).line;
  }

  #refOf(node: Node | null): string | undefined {
    if (!isMap(node)) return undefined;
    const pair = node.items.find((item) => isScalar(item.key) && item.key.value === '$ref');
    return pair && isScalar(pair.value) && typeof pair.value.value === 'string' ? pair.value.value : undefined;
  }

  #follow(cursor: Cursor): Cursor {
    let current = cursor;
    for (let hop = 0; hop < MAX_HOPS; hop++) {
      const ref = this.#refOf(current.node);
      if (ref === undefined) return current;
      const [target = '', fragment = ''] = ref.split('#');
      const file = target === '' ? current.file : path.posix.normalize(path.posix.join(path.posix.dirname(current.file), target));
      const parsed = this.#parse(file);
      if (parsed === undefined) return current;
      let next: Cursor | undefined = { file, node: parsed.root, line: 1 };
      for (const segment of pointerTokens(`#${fragment}`) ?? []) {
        next = next && this.#step(next, segment);
      }
      if (next === undefined) return current;
      current = next;
    }
    return current;
  }

  #step(cursor: Cursor, segment: string): Cursor | undefined {
    const from = this.#follow(cursor);
    const node = from.node;
    if (isMap(node)) {
      const pair = node.items.find((item) => isScalar(item.key) && String(item.key.value) === segment);
      if (pair === undefined) return undefined;
      return { file: from.file, node: (pair.value as Node | null) ?? null, line: this.#line(from.file, pair.key as Node) ?? from.line };
    }
    if (isSeq(node)) {
      const item = node.items[Number(segment)] as Node | undefined;
      if (item === undefined) return undefined;
      return { file: from.file, node: item, line: this.#line(from.file, item) ?? from.line };
    }
    return undefined;
  }

  locate(pointer: string): SourcePosition {
    const root = this.#parse(this.reader.root);
    let cursor: Cursor = { file: this.reader.root, node: root?.root ?? null, line: 1 };
    const steps = pointerTokens(pointer) ?? [];
    for (const segment of steps) {
      const next = this.#step(cursor, segment);
      if (next === undefined) break;
      cursor = next;
    }
    // A component itself is usually an alias in the root (`Order: {$ref: ./components/schemas/Order.yaml}`):
    // its definition is the useful line. Anywhere else a `$ref` is the usage the change is about.
    if (steps.length === 3 && steps[0] === 'components') cursor = this.#follow(cursor);
    return { file: cursor.file, line: cursor.line };
  }
}
