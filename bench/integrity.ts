import type { BenchResult } from './lib/result.ts';

/**
 * What makes a result unusable rather than slow (`--check`): no row, or no
 * row with a single measured number (the scenario produced no samples), or
 * deliveries lost where nothing may be lost. `lost` is reported by the relay:
 * positions due to passengers and watchers, counted after a drain, in a row
 * whose generator kept its schedule, so a loss there is a defect. Rows a
 * busy machine made INVALID (senders behind, generator saturated), their
 * losses included, and missed goals pass: they are noise, not defects.
 */
export function integrityProblems(result: BenchResult): string[] {
  const problems: string[] = [];
  if (result.rows.length === 0) problems.push('no rows');
  else if (!result.rows.some((r) => Object.values(r.metrics).some((v) => typeof v === 'number' && Number.isFinite(v)))) problems.push('no samples in any row');
  for (const r of result.rows) {
    const lost = r.metrics.lost;
    if (r.valid && typeof lost === 'number' && lost > 0) problems.push(`${r.impl}${r.variant ? ` (${r.variant})` : ''} lost ${lost} deliveries`);
  }
  return problems;
}
