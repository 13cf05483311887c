/**
 * The YAML side of compilation: parse with positions, and turn a path in the parsed value
 * back into a line and column. Every diagnostic goes through `locate`, so schema errors and
 * meaning checks point at the same nodes an editor shows.
 */
import { isAlias, isMap, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node } from 'yaml';
import { formatPath, type Diagnostic, type Finding, type PolicyPath } from './diagnostics.js';

export interface PolicyDocument {
  file: string;
  document: Document.Parsed;
  lineCounter: LineCounter;
}

export interface ParsedPolicy extends PolicyDocument {
  /** The plain value; `undefined` when the YAML itself has errors. */
  value: unknown;
  /** YAML syntax errors and warnings. */
  diagnostics: Diagnostic[];
}

/**
 * Parses YAML (and therefore JSON) keeping node ranges. Merge keys (`<<: *anchor`) are
 * allowed so long lists of similar recipients can share a block.
 */
export function parsePolicyDocument(source: string, file: string): ParsedPolicy {
  const lineCounter = new LineCounter();
  const document = parseDocument(source, { lineCounter, prettyErrors: false, merge: true, uniqueKeys: true });
  const position = (offset: number) => {
    const { line, col } = lineCounter.linePos(offset);
    return { line, column: col };
  };
  const diagnostics: Diagnostic[] = [
    ...document.errors.map((e) => ({
      file,
      ...position(e.pos[0]),
      severity: 'error' as const,
      code: 'yaml-syntax',
      path: '',
      message: `YAML: ${e.message}`,
    })),
    ...document.warnings.map((w) => ({
      file,
      ...position(w.pos[0]),
      severity: 'warning' as const,
      code: 'yaml-warning',
      path: '',
      message: `YAML: ${w.message}`,
    })),
  ];
  const value = document.errors.length === 0 ? document.toJS({ maxAliasCount: 1000 }) : undefined;
  return { file, document, lineCounter, value, diagnostics };
}

/**
 * The node a path leads to, or the deepest node that exists along it: a missing key is
 * reported at the map that should hold it.
 */
function nodeAt(document: Document.Parsed, path: PolicyPath, at: 'key' | 'value'): Node | null {
  let node: unknown = document.contents;
  let found: Node | null = document.contents;
  for (const [i, segment] of path.entries()) {
    if (isAlias(node)) node = node.resolve(document);
    if (isMap(node)) {
      const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === String(segment));
      if (!pair) break;
      const key = pair.key as Node;
      if ((i === path.length - 1 && at === 'key') || pair.value === null) return key;
      node = pair.value;
    } else if (isSeq(node) && typeof segment === 'number' && segment < node.items.length) {
      node = node.items[segment];
    } else {
      break;
    }
    found = node as Node;
  }
  return found;
}

/** Resolves a finding's path to a line and column in the document. */
export function locate(doc: PolicyDocument, finding: Finding): Diagnostic {
  const node = nodeAt(doc.document, finding.path, finding.at ?? 'value');
  const offset = node?.range?.[0] ?? 0;
  const { line, col } = doc.lineCounter.linePos(offset);
  return {
    file: doc.file,
    line,
    column: col,
    severity: finding.severity,
    code: finding.code,
    path: formatPath(finding.path),
    message: finding.message,
  };
}
