import type pc from 'picocolors';

export type Colors = ReturnType<typeof pc.createColors>;

/** A plain aligned table: header, rule, rows. Stable for snapshots; no borders to break in logs. */
export function table(header: string[], rows: string[][], colors?: Colors): string {
  const widths = header.map((h, i) =>
    Math.max(visibleLength(h), ...rows.map((r) => visibleLength(r[i] ?? ''))),
  );
  const render = (cells: string[]) =>
    cells
      .map((cell, i) => (i === cells.length - 1 ? cell : cell + ' '.repeat(widths[i]! - visibleLength(cell))))
      .join('  ')
      .trimEnd();
  const head = render(header);
  return [
    colors ? colors.bold(head) : head,
    render(widths.map((w) => '-'.repeat(w))),
    ...rows.map(render),
  ].join('\n');
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: ANSI escapes are what is being measured out
const ANSI = /\u001b\[[0-9;]*m/g;

function visibleLength(text: string): number {
  return text.replace(ANSI, '').length;
}
