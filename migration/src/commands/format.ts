/** A plain text table: columns padded, numbers right-aligned from `rightAlignFrom`. */
export function table(head: string[], rows: string[][], rightAlignFrom = 1): string[] {
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]): string =>
    cells
      .map((c, i) => (i >= rightAlignFrom ? c.padStart(widths[i] ?? 0) : c.padEnd(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  return [line(head), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)];
}

export const fmt = (n: number): string => n.toLocaleString('en');
