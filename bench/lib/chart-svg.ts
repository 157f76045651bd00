/**
 * docs/benchmarks.svg: one group of horizontal bars per scenario, one bar per
 * result row, showing the scenario's headline metric. Units differ between
 * scenarios, so each group has its own scale (logarithmic when the values span
 * more than 20×) and every bar is labelled with its value and its ratio to the
 * group's baseline (bare Socket.IO where measured, else Livegate).
 * Hand-written SVG: no dependency.
 */
import type { BenchResult } from './result.ts';
import { fmtRatio, headlineOf, IMPL_KIND_LABEL, IMPL_KINDS, implKind, rowLabel, withUnit, type ImplKind } from './suite-results.ts';

const COLOURS: Record<ImplKind, string> = { livegate: '#2b6cb0', bare: '#718096', seed: '#dd6b20', floor: '#38a169', other: '#805ad5' };
const WIDTH = 960;
const LABEL_W = 290;
const BAR_W = 400;
const ROW_H = 22;
const TITLE_H = 26;
const GAP = 14;

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const text = (x: number, y: number, s: string, attrs = '') => `<text x="${+x.toFixed(1)}" y="${y}"${attrs ? ' ' + attrs : ''}>${esc(s)}</text>`;

/** The baseline a group's ratios are relative to: the first valid bare Socket.IO row, else the first Livegate row. */
function baselineIndex(result: BenchResult): number {
  const byKind = (kind: ImplKind) => result.rows.findIndex((r) => implKind(r.impl) === kind && r.valid && (headlineOf(result, r) ?? 0) > 0);
  const bare = byKind('bare');
  return bare >= 0 ? bare : byKind('livegate');
}

function group(result: BenchResult, top: number): { svg: string[]; height: number } {
  const values = result.rows.map((r) => headlineOf(result, r));
  const positive = values.filter((v): v is number => v !== null && v > 0);
  const max = Math.max(...positive, 0);
  const min = Math.min(...positive, max);
  const log = positive.length > 1 && max / min > 20;
  const floor = min / 4;
  const length = (v: number) => (log ? ((Math.log(v) - Math.log(floor)) / (Math.log(max) - Math.log(floor))) * BAR_W : (v / max) * BAR_W);
  const direction = result.headline.higherIsBetter ? 'higher is better' : 'lower is better';
  const svg = [text(10, top + 17, `${result.scenario}: ${result.title}. ${result.headline.metric} (${result.headline.unit}; ${direction}${log ? '; log scale' : ''})`.slice(0, 140), 'class="title"')];
  const base = baselineIndex(result);
  const baseValue = base >= 0 ? values[base]! : null;
  const baseName = base >= 0 ? IMPL_KIND_LABEL[implKind(result.rows[base]!.impl)] : '';
  result.rows.forEach((row, i) => {
    const y = top + TITLE_H + i * ROW_H;
    const v = values[i]!;
    const kind = implKind(row.impl);
    svg.push(text(LABEL_W - 8, y + 15, rowLabel(row).slice(0, 44), 'text-anchor="end"'));
    const w = v !== null && v > 0 && max > 0 ? Math.max(2, length(v)) : 0;
    const style = row.valid ? `fill="${COLOURS[kind]}"` : `fill="${COLOURS[kind]}" fill-opacity="0.3" stroke="#c53030" stroke-dasharray="4 2"`;
    if (w > 0) svg.push(`<rect x="${LABEL_W}" y="${y + 3}" width="${w.toFixed(1)}" height="${ROW_H - 6}" ${style}/>`);
    const baseKind = base >= 0 ? implKind(result.rows[base]!.impl) : null;
    const ratio = baseValue !== null && v !== null && kind !== baseKind ? ` (${fmtRatio(v / baseValue)} ${baseName})` : '';
    const label = v === null ? 'no value' : `${withUnit(v, result.headline.unit)}${ratio}${row.valid ? '' : ' · INVALID'}`;
    svg.push(text(LABEL_W + w + 6, y + 15, label, row.valid ? '' : 'class="invalid"'));
  });
  return { svg, height: TITLE_H + result.rows.length * ROW_H + GAP };
}

/** Renders the chart of `results` (scenarios in the given order). */
export function renderChart(results: BenchResult[], caption: string): string {
  const body: string[] = [];
  let y = 56;
  for (const result of results) {
    const g = group(result, y);
    body.push(...g.svg);
    y += g.height;
  }
  if (results.length === 0) body.push(text(10, y + 16, 'no results'));
  const legend = IMPL_KINDS.map((k, i) => `<rect x="${10 + i * 180}" y="30" width="12" height="12" fill="${COLOURS[k]}"/>${text(28 + i * 180, 41, IMPL_KIND_LABEL[k])}`);
  const height = y + 30;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" font-family="system-ui, -apple-system, 'Segoe UI', sans-serif" font-size="12">`,
    '<style>.title{font-weight:600;font-size:13px}.invalid{fill:#c53030}.caption{fill:#4a5568}</style>',
    `<rect width="${WIDTH}" height="${height}" fill="#fff"/>`,
    text(10, 18, 'Livegate benchmark suite: headline metric per scenario and implementation', 'class="title"'),
    ...legend,
    ...body,
    text(10, height - 10, caption.slice(0, 150), 'class="caption"'),
    '</svg>',
    '',
  ].join('\n');
}
