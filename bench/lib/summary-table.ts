/** The runner's final console table: every row's headline metric, then ratios and goals per scenario. */
import { fmtRatio, goalsMet, headlineOf, rowLabel, withUnit, type SuiteResults } from './suite-results.ts';

export function printSummary(suite: SuiteResults, write: (line: string) => void): void {
  const m = suite.machine;
  write('');
  write(`Results: ${suite.mode} mode, ${suite.results.length} scenario(s) measured, ${suite.failures.length} failed, ${suite.durationS} s`);
  write(`${m.cpuModel}, ${m.cores} cores; load at start ${m.loadavg.join(' ')}; open-files limit ${m.fdLimit.soft ?? '?'}`);
  const rows: string[][] = [['scenario', 'impl (variant)', 'headline', 'valid']];
  for (const r of suite.results) {
    r.rows.forEach((row, i) => {
      const v = headlineOf(r, row);
      rows.push([i === 0 ? r.scenario : '', rowLabel(row), `${withUnit(v, r.headline.unit)} (${r.headline.metric})`, row.valid ? 'yes' : `INVALID${row.note ? ': ' + row.note : ''}`]);
    });
    const ratios = Object.entries(r.ratios).map(([k, v]) => `${k} ${fmtRatio(v)}`).join(' · ');
    if (ratios) rows.push(['', `ratios: ${ratios}`, '', '']);
    const { met, total } = goalsMet(r);
    if (total) rows.push(['', `goals ${met}/${total} met: ${r.goals.map((g) => `${g.met ? '✓' : '✗'} ${g.name} ${g.target} (${withUnit(g.value, g.unit)})`).join(' · ')}`, '', '']);
  }
  for (const f of suite.failures) rows.push([f.scenario, `FAILED: ${f.reason}`, '', '']);
  // Ratio, goal and failure lines (no headline cell) are long: printed whole instead of widening the columns.
  const w0 = Math.max(...rows.map((r) => r[0]!.length));
  const tabular = rows.filter((r) => r[2] !== '');
  const widths = [1, 2].map((c) => Math.max(...tabular.map((r) => r[c]!.length)));
  for (const r of rows) {
    const rest = r[2] !== '' ? `${r[1]!.padEnd(widths[0]!)}  ${r[2]!.padEnd(widths[1]!)}  ${r[3]}` : r[1];
    write(`${r[0]!.padEnd(w0)}  ${rest}`.trimEnd());
  }
}
