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
