/**
 * Reads the Firestore emulator's rules coverage report (GET …/projects/<id>:ruleCoverage): a tree
 * of the rules' expressions, each with the values it evaluated to and how often. An expression the
 * tests never evaluated has no value at all; one that only short-circuited shows an empty value.
 */

interface ReportNode {
  sourcePosition: { line: number; column: number; currentOffset: number; endOffset: number };
  values?: Array<{ value?: Record<string, unknown>; count?: number }>;
  children?: ReportNode[];
}

export interface CoverageReport {
  rules: { files: Array<{ content: string }> };
  report: ReportNode[];
}

export interface CoverageFigure {
  total: number;
  evaluated: number;
  percent: number;
  /** "line:column  source" of every expression never evaluated to a value. */
  unevaluated: string[];
}

function isCoverageReport(v: unknown): v is CoverageReport {
  return typeof v === 'object' && v !== null && 'report' in v && Array.isArray((v as CoverageReport).report) && 'rules' in v;
}

export function coverageFigure(json: unknown): CoverageFigure {
  if (!isCoverageReport(json)) throw new Error('the ruleCoverage answer is not a coverage report');
  const content = json.rules.files[0]?.content ?? '';
  const nodes: ReportNode[] = [];
  const walk = (n: ReportNode): void => {
    nodes.push(n);
    for (const c of n.children ?? []) walk(c);
  };
  json.report.forEach(walk);
  const evaluatedNode = (n: ReportNode): boolean =>
    (n.values ?? []).some((v) => (v.count ?? 0) > 0 && v.value !== undefined && Object.keys(v.value).length > 0);
  const missing = nodes.filter((n) => !evaluatedNode(n));
  const unevaluated = missing.map((n) => {
    const p = n.sourcePosition;
    const text = content.slice(p.currentOffset, Math.max(p.endOffset + 1, p.currentOffset + 1)).replace(/\s+/g, ' ');
    return `${p.line}:${p.column}  ${text.length > 90 ? `${text.slice(0, 87)}...` : text}`;
  });
  const evaluated = nodes.length - missing.length;
  return { total: nodes.length, evaluated, percent: nodes.length ? (100 * evaluated) / nodes.length : 0, unevaluated };
}

/**
 * Parses the ruleCoverage answer as it streams in, keeping everything but the values themselves
 * (each `value` becomes `{}` when it was empty, `{ evaluated: true }` otherwise). The report keeps
 * every distinct value each expression saw, documents included: after the poisoning sweep's
 * thousands of writes it is far longer than the longest string V8 makes, so `res.json()` cannot
 * read it.
 */
export async function readCoverage(body: AsyncIterable<Uint8Array>): Promise<unknown> {
  type Frame = { kind: 'obj'; obj: Record<string, unknown>; key: string | null } | { kind: 'arr'; arr: unknown[] };
  const stack: Frame[] = [];
  let root: unknown;
  let done = false;
  const emit = (v: unknown): void => {
    const top = stack[stack.length - 1];
    if (!top) {
      root = v;
      done = true;
    } else if (top.kind === 'arr') top.arr.push(v);
    else {
      if (top.key === null) throw new Error('ruleCoverage: a value without a key');
      top.obj[top.key] = v;
      top.key = null;
    }
  };
  const expectingKey = (): boolean => {
    const top = stack[stack.length - 1];
    return top?.kind === 'obj' && top.key === null;
  };
  // What is being read: between tokens, a string (kept or skipped), a literal, or a skipped value.
  let inString = false;
  let escaped = false;
  let keep = false;
  let text: number[] = [];
  let literal = '';
  let skipDepth = 0;
  let skipSaw = false;
  let skipping = false;
  const decode = (): string => JSON.parse(`"${Buffer.from(text).toString('utf8')}"`) as string;
  const endLiteral = (): void => {
    if (!literal) return;
    const v: unknown = JSON.parse(literal);
    literal = '';
    if (skipping) {
      if (skipDepth === 0) {
        skipping = false;
        emit({ evaluated: true });
      }
    } else emit(v);
  };
  for await (const chunk of body) {
    for (let i = 0; i < chunk.length; i++) {
      const c = chunk[i] as number;
      if (inString) {
        if (escaped) escaped = false;
        else if (c === 0x5c) escaped = true;
        else if (c === 0x22) {
          inString = false;
          if (skipping) {
            if (skipDepth === 0) {
              skipping = false;
              emit({ evaluated: true });
            }
            continue;
          }
          if (keep) {
            const s = decode();
            text = [];
            const top = stack[stack.length - 1];
            if (top?.kind === 'obj' && top.key === null) top.key = s;
            else emit(s);
          }
          continue;
        }
        if (keep && !skipping) text.push(c);
        continue;
      }
      // Outside a string: whitespace, punctuation and literals.
      if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09 || c === 0x3a || c === 0x2c) {
        endLiteral();
        continue;
      }
      if (c === 0x7d || c === 0x5d) {
        endLiteral();
        if (skipping) {
          skipDepth -= 1;
          if (skipDepth === 0) {
            skipping = false;
            emit(skipSaw ? { evaluated: true } : {});
          }
          continue;
        }
        const top = stack.pop();
        if (!top) throw new Error('ruleCoverage: unbalanced JSON');
        emit(top.kind === 'obj' ? top.obj : top.arr);
        continue;
      }
      // A value starts (or a key, or the next byte of a literal).
      if (!skipping && !literal && !expectingKey()) {
        const top = stack[stack.length - 1];
        if (top?.kind === 'obj' && top.key === 'value') {
          skipping = true;
          skipDepth = 0;
          skipSaw = false;
        }
      }
      if (skipping && skipDepth > 0 && !literal) skipSaw = true;
      if (c === 0x7b || c === 0x5b) {
        if (skipping) skipDepth += 1;
        else stack.push(c === 0x7b ? { kind: 'obj', obj: {}, key: null } : { kind: 'arr', arr: [] });
      } else if (c === 0x22) {
        inString = true;
        keep = !skipping;
        text = [];
      } else literal += String.fromCharCode(c);
    }
  }
  endLiteral();
  if (!done || stack.length) throw new Error('ruleCoverage: the answer ended early');
  return root;
}
