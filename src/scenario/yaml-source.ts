/**
 * YAML with positions. A scenario file is several YAML documents written by hand or pasted from
 * `kubectl get -o yaml` / `helm template`; every later check must point at `file:line:column`,
 * so this module keeps each document's node tree next to its plain value and turns every YAML
 * mistake into one ScenarioError.
 *
 * Scalars resolve as Kubernetes reads them (sigs.k8s.io/yaml over go-yaml v2, i.e. YAML 1.1
 * words and numbers), not as YAML 1.2: unquoted `y`/`yes`/`on` and `n`/`no`/`off` are booleans,
 * `0644` is octal (420), `1_000` is 1000; dates and `1:30` stay strings (go-yaml hands
 * timestamps to JSON as their text and never supported base-60 numbers); `<<` merge keys work.
 * A file that `kubectl apply` reads therefore means the same here. Stricter than go-yaml v2, as
 * kubectl's strict decoding is: duplicate keys, custom tags (`!foo`, `!!binary`, `!!set`),
 * non-string keys and self-referencing aliases are errors, and alias expansion is capped.
 */
import { type Document, LineCounter, type Node, type Pair, type YAMLError, isAlias, isMap, isScalar, isSeq, parseAllDocuments, visit } from 'yaml';
import { InvariantError, ScenarioError } from '../errors.js';
import { suggestion } from '../util/suggest.js';

/** One step of a path into a document: a mapping key or a sequence index. */
export type PathSegment = string | number;
export type YamlPath = readonly PathSegment[];

/** 1-based line and column. */
export interface SourcePosition {
  readonly line: number;
  readonly column: number;
}

/** For a mapping entry: its key (where the user wrote the name) or its value. */
export type NodePart = 'key' | 'value';

/** Refuses larger files: a scenario is hand-written, so anything bigger is a mistake or an attack. */
export const DEFAULT_MAX_FILE_BYTES = 10 * 1024 * 1024;
/** Alias expansions allowed per document (the `yaml` package's `maxAliasCount`). */
export const DEFAULT_MAX_ALIAS_COUNT = 1000;

export interface YamlSourceOptions {
  /** Default {@link DEFAULT_MAX_FILE_BYTES}; the CLI's `--limit fileBytes=N`. */
  readonly maxFileBytes?: number;
  /** Default {@link DEFAULT_MAX_ALIAS_COUNT}; the CLI's `--limit yamlAliases=N`. */
  readonly maxAliasCount?: number;
}

/** A place in a document that errors can point at; passed down through every parser. */
export interface Locator {
  readonly file: string;
  readonly path: YamlPath;
  child(...segments: PathSegment[]): Locator;
  /** Position of the node at `path` (see {@link SourceDocument.locate}). */
  position(part?: NodePart): SourcePosition;
  /** The scalar exactly as written (`yes`, `"yes"`, `0644`), or undefined for collections. */
  sourceText(): string | undefined;
  /** A ScenarioError here; `part` defaults to `'value'`. */
  error(message: string, hint?: string, part?: NodePart): ScenarioError;
  /**
   * `expected <what>, got <found>`. When the found value was written differently (unquoted `yes`
   * read as true, `0644` as 420), that YAML 1.1 surprise is the hint; otherwise `hint`.
   */
  expected(what: string, found: unknown, hint?: string): ScenarioError;
  /** `unknown <noun> "key" in <path>` at the key, suggesting the nearest of `valid`. */
  unknownKey(key: string, valid: readonly string[], noun?: string): ScenarioError;
}

/** One non-empty document of a file: its plain JS value and the positions of its nodes. */
export interface SourceDocument {
  readonly file: string;
  /** 0-based among the returned documents (empty ones are not counted). */
  readonly index: number;
  /** Plain JSON-like data: mappings are objects, sequences arrays, scalars primitives. */
  readonly value: unknown;
  /**
   * Position of the node at `path`. `'key'` (the default) gives a mapping entry's key, `'value'`
   * its value when that is a scalar, alias or flow collection (a block collection's value starts
   * on a later line, so its key is clearer). Sequence items and the root have no key. When the
   * path does not exist, the deepest existing node on it is located instead.
   */
  locate(path: YamlPath, part?: NodePart): SourcePosition;
  /** The scalar at `path` exactly as written, or undefined. */
  sourceText(path: YamlPath): string | undefined;
  /** A Locator at `path` (default: the document root). */
  at(path?: YamlPath): Locator;
}

const TAG = 'tag:yaml.org,2002:';
/** JSON's kinds plus merge keys; `!!binary`, `!!set`, `!!omap`, timestamps are not JSON values. */
const JSON_TAGS = new Set(['map', 'seq', 'str', 'null', 'bool', 'int', 'float', 'merge'].map((name) => TAG + name));

const KUBERNETES_YAML = {
  version: '1.1',
  merge: true,
  uniqueKeys: true,
  prettyErrors: false,
  // Base-60 ints and floats share the int/float tags and are told apart by their format.
  customTags: (tags) => tags.filter((tag) => typeof tag !== 'string' && JSON_TAGS.has(tag.tag) && !('format' in tag && tag.format === 'TIME')),
} satisfies Parameters<typeof parseAllDocuments>[1];

/**
 * Parses every document of a multi-document file, in order, skipping empty ones (a trailing
 * `---`, only comments, or `null`), as kubectl does. Throws one ScenarioError for the first
 * problem: size over the limit, malformed YAML, duplicate key, unknown tag, non-string key,
 * unknown or self-referencing alias, or too many alias expansions.
 */
export function parseYamlDocuments(text: string, file: string, options: YamlSourceOptions = {}): SourceDocument[] {
  const maxBytes = options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES;
  const bytes = Buffer.byteLength(text, 'utf8');
  if (bytes > maxBytes) {
    throw new ScenarioError(
      `file is ${formatBytes(bytes)}, over the limit of ${formatBytes(maxBytes)} (fileBytes=${maxBytes})`,
      { file },
      `raise the limit with --limit fileBytes=${Math.max(bytes, maxBytes * 2)} if the file is meant to be this large`,
    );
  }
  const lines = new LineCounter();
  const documents: SourceDocument[] = [];
  const maxAliasCount = options.maxAliasCount ?? DEFAULT_MAX_ALIAS_COUNT;
  for (const doc of parseAllDocuments(text, { ...KUBERNETES_YAML, lineCounter: lines })) {
    const source = new ParsedDocument(file, documents.length, doc, text, lines, maxAliasCount);
    if (source.value !== null && source.value !== undefined) documents.push(source);
  }
  return documents;
}

/** `spec.template.spec.containers[0].image` → `['spec','template','spec','containers',0,'image']`. */
export function parseYamlPath(text: string): PathSegment[] {
  const segment = /\.?([^.[\]]+)|\[([^\]]*)\]/y;
  const path: PathSegment[] = [];
  while (segment.lastIndex < text.length) {
    const match = segment.exec(text);
    if (match === null) throw new InvariantError(`malformed field path "${text}"`);
    const [, name, bracketed] = match;
    path.push(name ?? (/^\d+$/.test(bracketed) ? Number(bracketed) : bracketed));
  }
  return path;
}

/** The inverse of {@link parseYamlPath}; keys with `.`, `[`, `]` (label keys) are bracketed. */
export function formatYamlPath(path: YamlPath): string {
  let text = '';
  for (const segment of path) {
    if (typeof segment === 'number' || segment === '' || /[.[\]]/.test(segment)) text += `[${segment}]`;
    else text += text === '' ? segment : `.${segment}`;
  }
  return text;
}

/** How a found value reads in `expected …, got …`. */
function describeValue(value: unknown): string {
  if (value === null || value === undefined) return 'an empty value';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  if (typeof value === 'string') return JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}...` : value);
  return String(value);
}

interface Found {
  readonly key?: Node;
  readonly node: Node | null;
  readonly complete: boolean;
}

class ParsedDocument implements SourceDocument {
  readonly value: unknown;

  /** Throws the document's first problem, in the order the user reads the file. */
  constructor(
    readonly file: string,
    readonly index: number,
    private readonly doc: Document.Parsed,
    private readonly text: string,
    private readonly lines: LineCounter,
    maxAliasCount: number,
  ) {
    const problem = [...doc.errors, ...doc.warnings].sort((a, b) => a.pos[0] - b.pos[0])[0];
    if (problem) throw this.syntaxError(problem);
    this.checkNodes();
    this.value = this.toPlain(maxAliasCount);
  }

  locate(path: YamlPath, part: NodePart = 'key'): SourcePosition {
    const { key, node, complete } = this.find(path);
    const valueFirst = part === 'value' && complete && node !== null && pointsAtValue(node);
    const target = valueFirst ? node : (key ?? node);
    return this.position(target?.range?.[0] ?? this.doc.range[0]);
  }

  sourceText(path: YamlPath): string | undefined {
    const { node, complete } = this.find(path);
    if (!complete || !isScalar(node) || !node.range) return undefined;
    return this.text.slice(node.range[0], node.range[1]);
  }

  at(path: YamlPath = []): Locator {
    return new DocumentLocator(this, path);
  }

  /** Walks the node tree (through aliases and merge keys) as far as `path` exists. */
  private find(path: YamlPath): Found {
    let found: Found = { node: this.doc.contents, complete: true };
    for (const segment of path) {
      const next = this.child(found.node, segment, new Set());
      if (next === undefined) return { ...found, complete: false };
      found = next;
    }
    return found;
  }

  private child(parent: Node | null, segment: PathSegment, seen: Set<Node>): Found | undefined {
    const node = isAlias(parent) ? parent.resolve(this.doc) : parent;
    if (isSeq(node)) {
      const item = node.items[Number(segment)] as Node | null | undefined;
      return item === undefined ? undefined : { node: item, complete: true };
    }
    if (!isMap(node) || seen.has(node)) return undefined;
    seen.add(node);
    const pairs = node.items as Pair<Node, Node | null>[];
    const direct = pairs.find((pair) => keyText(pair.key) === String(segment));
    if (direct) return { key: direct.key, node: direct.value, complete: true };
    // Explicit keys win over merged ones; among merged sources the first wins (YAML merge spec).
    for (const pair of pairs.filter((p) => isMergeKey(p.key))) {
      const sources = isSeq(pair.value) ? (pair.value.items as Node[]) : [pair.value];
      for (const source of sources) {
        const merged = this.child(source, segment, seen);
        if (merged) return merged;
      }
    }
    return undefined;
  }

  private position(offset: number): SourcePosition {
    const { line, col } = this.lines.linePos(offset);
    return { line, column: col };
  }

  private errorAt(offset: number, message: string, hint?: string): ScenarioError {
    return new ScenarioError(message, { file: this.file, ...this.position(offset) }, hint);
  }

  /** Indentation errors start at a line's first column; the user looks for its first word. */
  private skipSpaces(offset: number): number {
    const spaces = / */y;
    spaces.lastIndex = offset;
    return offset + (spaces.exec(this.text)?.[0].length ?? 0);
  }

  /** The library's parse error or warning, reworded for people who write manifests. */
  private syntaxError(problem: YAMLError): ScenarioError {
    const offset = this.skipSpaces(problem.pos[0]);
    const message = problem.message.charAt(0).toLowerCase() + problem.message.slice(1);
    switch (problem.code) {
      case 'DUPLICATE_KEY':
        return this.duplicateKey(offset);
      case 'TAB_AS_INDENT':
        return this.errorAt(offset, 'tab character used for indentation', 'YAML indents with spaces only; replace the tab with spaces');
      case 'MISSING_CHAR':
        if (message.includes('quote')) return this.unclosedQuote(offset);
        break;
      case 'BAD_SCALAR_START':
        return this.errorAt(offset, message, 'put the value in quotes');
      case 'BLOCK_AS_IMPLICIT_KEY':
        return this.nestedMapping(offset);
      case 'TAG_RESOLVE_FAILED':
        return this.errorAt(offset, `unsupported YAML tag ${unresolvedTag(problem.message)}`, 'Kubernetes manifests hold plain JSON values; remove the tag');
    }
    return this.errorAt(offset, message, this.lineHint(offset) ?? 'check the indentation: entries of one mapping or list start at the same column, nested ones further right');
  }

  private lineText(line: number): string {
    return this.text.slice(this.lines.lineStarts[line - 1] ?? this.text.length, this.lines.lineStarts[line] ?? this.text.length);
  }

  /** Hints for mistakes that the parser can only report as unexpected tokens or odd keys. */
  private lineHint(offset: number): string | undefined {
    const text = this.lineText(this.position(offset).line);
    if (text.includes('{{')) return 'this looks like an unrendered Helm or Go template; render it (helm template) and paste the output';
    if (/(?::|^\s*-)\s+\*/.test(text)) return 'a value starting with "*" is a YAML alias; quote it, e.g. "*/5 * * * *"';
    return undefined;
  }

  /**
   * The library's "nested mappings are not allowed in compact mappings" has two causes: an
   * unquoted `: ` inside a value, or a next line indented further than its siblings.
   */
  private nestedMapping(offset: number): ScenarioError {
    const { line, column } = this.position(offset);
    if (/:(\s|$)/.test(this.lineText(line).slice(column - 1))) {
      return this.errorAt(offset, 'a value cannot contain ": " unless quoted', 'put the value in quotes, or move a nested mapping to its own indented lines');
    }
    const next = this.skipSpaces(this.lines.lineStarts[line] ?? offset);
    return this.errorAt(next, 'this line is indented further than the entries above it', 'entries of one mapping start at the same column; only the line after a key ending in ":" goes further right');
  }

  private duplicateKey(offset: number): ScenarioError {
    let message = 'duplicate mapping key';
    visit(this.doc, {
      Pair: (_, pair, ancestors) => {
        if ((pair.key as Node | null)?.range?.[0] !== offset) return undefined;
        const name = keyText(pair.key as Node) ?? '';
        const parent = ancestors[ancestors.length - 1];
        const first = isMap(parent) ? (parent.items as Pair<Node>[]).find((p) => keyText(p.key) === name) : undefined;
        const firstLine = first?.key.range ? ` at line ${this.position(first.key.range[0]).line}` : '';
        message = `mapping key "${name}" already defined${firstLine}`;
        return visit.BREAK;
      },
    });
    return this.errorAt(offset, message, 'keys must be unique within a mapping; remove or rename one of them');
  }

  /** The library reports an unclosed quote at the end of input; point at the opening quote. */
  private unclosedQuote(offset: number): ScenarioError {
    let start = offset;
    visit(this.doc, {
      Scalar: (_, scalar) => {
        const range = scalar.range;
        if (!range || (scalar.type !== 'QUOTE_DOUBLE' && scalar.type !== 'QUOTE_SINGLE')) return undefined;
        if (range[0] < offset && offset <= range[1]) start = range[0];
        return undefined;
      },
    });
    return this.errorAt(start, 'quoted string is never closed', 'add the closing quote on the same value');
  }

  /** Structure the library accepts but Kubernetes' JSON conversion does not. */
  private checkNodes(): void {
    visit(this.doc, {
      Pair: (_, pair) => {
        const key = pair.key as Node | null;
        if (isScalar(key) && key.value !== null) return;
        const offset = key?.range?.[0] ?? (pair.value as Node | null)?.range?.[0] ?? 0;
        const hint = this.lineHint(offset) ?? 'write keys as plain strings; quote a key that is literally "null" or "~"';
        throw this.errorAt(offset, `a mapping key must be a string, not ${nodeKind(key)}`, hint);
      },
      Alias: (_, alias) => {
        const offset = alias.range?.[0] ?? 0;
        const target = alias.resolve(this.doc);
        if (!target) {
          throw this.errorAt(offset, `unknown alias *${alias.source}`, `define the anchor &${alias.source} before this line, or quote the value if "*${alias.source}" is meant literally`);
        }
        if (target.range && target.range[0] <= offset && offset < target.range[2]) {
          throw this.errorAt(offset, `alias *${alias.source} refers to the node that contains it`, 'an anchored value cannot include itself');
        }
      },
    });
  }

  private toPlain(maxAliasCount: number): unknown {
    try {
      return this.doc.toJS({ maxAliasCount });
    } catch (error) {
      if (!(error instanceof ReferenceError) || !error.message.startsWith('Excessive alias count')) throw error;
      let first = this.doc.range[0];
      visit(this.doc, { Alias: (_, alias) => ((first = alias.range?.[0] ?? first), visit.BREAK) });
      throw this.errorAt(
        first,
        `too many alias expansions (limit ${maxAliasCount}); this looks like a YAML alias bomb`,
        `expand fewer aliases, or raise the limit with --limit yamlAliases=${maxAliasCount * 10} if the file is genuine`,
      );
    }
  }
}

class DocumentLocator implements Locator {
  readonly file: string;

  constructor(
    private readonly doc: ParsedDocument,
    readonly path: YamlPath,
  ) {
    this.file = doc.file;
  }

  child(...segments: PathSegment[]): Locator {
    return new DocumentLocator(this.doc, [...this.path, ...segments]);
  }

  position(part: NodePart = 'value'): SourcePosition {
    return this.doc.locate(this.path, part);
  }

  sourceText(): string | undefined {
    return this.doc.sourceText(this.path);
  }

  error(message: string, hint?: string, part: NodePart = 'value'): ScenarioError {
    const path = formatYamlPath(this.path);
    return new ScenarioError(message, { file: this.file, ...this.position(part), ...(path ? { path } : {}) }, hint);
  }

  expected(what: string, found: unknown, hint?: string): ScenarioError {
    return this.error(`expected ${what}, got ${describeValue(found)}`, this.coercionHint(found) ?? hint);
  }

  unknownKey(key: string, valid: readonly string[], noun = 'key'): ScenarioError {
    const where = this.path.length > 0 ? ` in ${formatYamlPath(this.path)}` : '';
    return this.child(key).error(`unknown ${noun} "${key}"${where}`, suggestion(key, valid, noun), 'key');
  }

  /** Explains a plain word that YAML 1.1 read as a boolean or null (`yes`, `off`, `~`). */
  private coercionHint(found: unknown): string | undefined {
    const source = this.sourceText();
    if (!source || (typeof found !== 'boolean' && found !== null) || source.toLowerCase() === String(found)) return undefined;
    const reading = found === null ? 'null' : `the boolean ${String(found)}`;
    return `unquoted ${source} is read as ${reading}, as Kubernetes reads YAML; write "${source}" in quotes for the text`;
  }
}

function keyText(key: Node | null): string | undefined {
  return isScalar(key) && typeof key.value !== 'symbol' ? String(key.value) : undefined;
}

/** `Unresolved tag: tag:yaml.org,2002:binary` → `!!binary`, as the user wrote it. */
function unresolvedTag(message: string): string {
  const tag = /tag: (.*)$/.exec(message)?.[1] ?? '';
  return tag.startsWith(TAG) ? `!!${tag.slice(TAG.length)}` : tag;
}

function nodeKind(node: Node | null): string {
  if (isSeq(node)) return 'a list';
  if (isMap(node)) return 'a mapping';
  return isAlias(node) ? 'an alias' : 'null';
}

function isMergeKey(key: Node | null): boolean {
  return isScalar(key) && typeof key.value === 'symbol';
}

/** A node whose own start is on the line the user would look at. */
function pointsAtValue(node: Node): boolean {
  if (isScalar(node)) return node.range ? node.range[0] < node.range[1] : false;
  return isAlias(node) || ((isMap(node) || isSeq(node)) && node.flow === true);
}

function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${(bytes / (1024 * 1024)).toFixed(1)} MiB`;
  return bytes >= 1024 ? `${(bytes / 1024).toFixed(1)} KiB` : `${bytes} bytes`;
}
