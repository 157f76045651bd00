import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { startServer, type TestServer } from '../helpers/server.ts';

const DASHBOARD = new URL('../../deploy/grafana/dashboards/livegate.json', import.meta.url);

interface Panel { title: string; targets?: Array<{ expr: string }> }

/** Metric names a PromQL expression reads (histogram series map to their family). */
function metricNames(expr: string): string[] {
  const names = expr.match(/\b(?:livegate|nodejs|process)_[a-z0-9_]+\b/g) ?? [];
  return names.map((n) => n.replace(/_(bucket|sum|count)$/, ''));
}

/** The provisioned Grafana dashboard must only chart metrics a real node exports. */
describe('Grafana dashboard', () => {
  let server: TestServer;
  let exported: Set<string>;

  before(async () => {
    // Push metrics exist when a push webhook is configured (nothing is sent to it here).
    server = await startServer({ PUSH_WEBHOOK_URL: 'http://127.0.0.1:9/push', PUSH_WEBHOOK_SECRET: 'grafana-test-secret-0123' });
    // Loopback peers read /metrics without a token (METRICS_PUBLIC or loopback).
    const text = await (await fetch(`${server.url}/metrics`)).text();
    exported = new Set([...text.matchAll(/^# TYPE (\S+) /gm)].map((m) => m[1]!));
  });
  after(() => server.close());

  it('charts only exported metrics', () => {
    const dash = JSON.parse(readFileSync(DASHBOARD, 'utf8')) as { panels: Panel[]; templating: { list: Array<{ query?: unknown }> } };
    const exprs = dash.panels.flatMap((p) => (p.targets ?? []).map((t) => ({ panel: p.title, expr: t.expr })));
    assert.ok(exprs.length >= 10, 'the dashboard has its panels');
    for (const { panel, expr } of exprs) {
      for (const name of metricNames(expr)) assert.ok(exported.has(name), `panel "${panel}" reads ${name}, which /metrics does not export`);
    }
  });

  it('uses the data source variable, not a fixed uid', () => {
    const dash = JSON.parse(readFileSync(DASHBOARD, 'utf8')) as { panels: Array<{ datasource: { uid: string } }> };
    for (const p of dash.panels) assert.equal(p.datasource.uid, '${datasource}');
  });
});
