import uPlot from './vendor/uplot/uPlot.esm.js';
import { api } from './api.js';

/** Points kept per chart (one per poll). */
const WINDOW = 120;

function chart(element, series) {
  element.replaceChildren();
  const width = Math.max(240, element.clientWidth || 320);
  const opts = {
    width, height: 150, legend: { show: true },
    scales: { x: { time: true } },
    series: [{}, ...series.map(([label, stroke]) => ({ label, stroke, width: 2 }))],
    axes: [{}, { size: 50 }],
  };
  const data = [[], ...series.map(() => [])];
  return { plot: new uPlot(opts, data, element), data };
}

function push(c, t, values) {
  c.data[0].push(t);
  values.forEach((v, i) => c.data[i + 1].push(v));
  if (c.data[0].length > WINDOW) for (const column of c.data) column.shift();
  c.plot.setData(c.data);
}

/** The main metrics from GET /api/metrics, polled by the caller; rates are differences between polls. */
export function startCharts({ connections, events, latency }) {
  const charts = {
    connections: chart(connections, [['connections', '#2563eb']]),
    events: chart(events, [['sent/s', '#16a34a'], ['received/s', '#d97706'], ['errors/s', '#dc2626']]),
    latency: chart(latency, [['average ms', '#7c3aed']]),
  };
  let previous;
  async function poll() {
    const m = await api('/api/metrics');
    const t = Date.now() / 1000;
    push(charts.connections, t, [m.connections.current]);
    if (previous) {
      const dt = Math.max(0.001, t - previous.t);
      const rate = (now, before) => Math.max(0, (now - before) / dt);
      push(charts.events, t, [rate(m.events.sent, previous.m.events.sent), rate(m.events.received, previous.m.events.received), rate(m.events.errors, previous.m.events.errors)]);
    }
    push(charts.latency, t, [m.performance.averageLatency]);
    previous = { t, m };
  }
  return { poll };
}
