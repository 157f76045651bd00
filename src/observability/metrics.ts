import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** Seed 004's `/api/metrics` shape. */
export interface SeedMetricsSnapshot {
  connections: { current: number; total: number; peak: number };
  events: { sent: number; received: number; errors: number };
  performance: { averageLatency: number; messageSize: number; compressionRatio: number };
}

/**
 * Every metric the gateway keeps, in its own registry (several apps may live
 * in one test process). Labels are bounded: event names come from the
 * protocol catalogue, codes from the error catalogue.
 */
export class Metrics {
  readonly registry = new Registry();
  private readonly connectionsGauge = new Gauge({ name: 'livegate_connections', help: 'Open Socket.IO connections on this node', registers: [this.registry] });
  private readonly connectionsTotal = new Counter({ name: 'livegate_connections_total', help: 'Connections accepted since start', registers: [this.registry] });
  private readonly received = new Counter({ name: 'livegate_events_received_total', help: 'Inbound events by name', labelNames: ['event'], registers: [this.registry] });
  private readonly sent = new Counter({ name: 'livegate_events_sent_total', help: 'Outbound emits by event name (one per emit, not per recipient)', labelNames: ['event'], registers: [this.registry] });
  private readonly errors = new Counter({ name: 'livegate_errors_total', help: 'Errors answered, by code and transport', labelNames: ['code', 'transport'], registers: [this.registry] });
  private readonly handlerDuration = new Histogram({
    name: 'livegate_handler_duration_seconds',
    help: 'Time from an inbound event to its answer',
    labelNames: ['event'],
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [this.registry],
  });
  readonly counters = new Map<string, Counter>();
  private readonly histograms = new Map<string, Histogram>();
  /**
   * Per-event children, looked up once: `inc({ event })` hashes the label
   * object on every call, and these run several times per message.
   */
  private readonly receivedBy = new Map<string, Counter.Internal>();
  private readonly sentBy = new Map<string, Counter.Internal>();
  private readonly durationBy = new Map<string, Histogram.Internal<string>>();

  private current = 0;
  private total = 0;
  private peak = 0;
  private sentCount = 0;
  private receivedCount = 0;
  private errorCount = 0;
  private averageLatencyMs = 0;
  private lastMessageSize = 0;

  constructor() {
    collectDefaultMetrics({ register: this.registry, eventLoopMonitoringPrecision: 20 });
  }

  /** A named counter for a module (push failures, dropped positions, …). */
  counter(name: string, help: string, labelNames: string[] = []): Counter {
    let c = this.counters.get(name);
    if (!c) this.counters.set(name, (c = new Counter({ name, help, labelNames, registers: [this.registry] })));
    return c;
  }

  /** A named histogram for a module (batch sizes, write latencies, …). */
  histogram(name: string, help: string, buckets: number[], labelNames: string[] = []): Histogram {
    let h = this.histograms.get(name);
    if (!h) this.histograms.set(name, (h = new Histogram({ name, help, buckets, labelNames, registers: [this.registry] })));
    return h;
  }

  connectionOpened(): void {
    this.current++;
    this.total++;
    if (this.current > this.peak) this.peak = this.current;
    this.connectionsGauge.set(this.current);
    this.connectionsTotal.inc();
  }

  /** `livegate_connections_by_transport`: this node's sockets by transport (`websocket`, `polling`, `sse`, `ws`), counted at each scrape. */
  connectionsByTransport(count: () => Record<string, number>): void {
    new Gauge({
      name: 'livegate_connections_by_transport', help: 'Open connections on this node by transport', labelNames: ['transport'], registers: [this.registry],
      collect() {
        for (const [transport, n] of Object.entries(count())) this.set({ transport }, n);
      },
    });
  }

  connectionClosed(): void {
    this.current--;
    this.connectionsGauge.set(this.current);
  }

  eventReceived(event: string, sizeBytes?: number): void {
    this.receivedCount++;
    let child = this.receivedBy.get(event);
    if (!child) this.receivedBy.set(event, (child = this.received.labels(event)));
    child.inc();
    if (sizeBytes !== undefined) this.lastMessageSize = sizeBytes;
  }

  eventSent(event: string): void {
    this.sentCount++;
    let child = this.sentBy.get(event);
    if (!child) this.sentBy.set(event, (child = this.sent.labels(event)));
    child.inc();
  }

  /**
   * An error answered to a client. Only socket errors count towards the seed
   * 004 error rate, whose denominator is socket events; HTTP errors are in the
   * Prometheus counter with transport="http".
   */
  errorAnswered(code: string, transport: 'socket' | 'http' = 'socket'): void {
    if (transport === 'socket') this.errorCount++;
    this.errors.inc({ code, transport });
  }

  handled(event: string, seconds: number): void {
    let child = this.durationBy.get(event);
    if (!child) this.durationBy.set(event, (child = this.handlerDuration.labels(event)));
    child.observe(seconds);
    // Exponentially weighted, so one slow call does not dominate for long.
    this.averageLatencyMs = this.averageLatencyMs === 0 ? seconds * 1000 : this.averageLatencyMs * 0.9 + seconds * 100;
  }

  snapshot(): SeedMetricsSnapshot {
    return {
      connections: { current: this.current, total: this.total, peak: this.peak },
      events: { sent: this.sentCount, received: this.receivedCount, errors: this.errorCount },
      performance: { averageLatency: round(this.averageLatencyMs), messageSize: this.lastMessageSize, compressionRatio: 0 },
    };
  }

  /** Seed 004's `/api/health` figures. */
  health(): { status: 'healthy' | 'degraded'; connections: number; errorRate: number; averageLatency: number } {
    const traffic = this.sentCount + this.receivedCount;
    const errorRate = traffic === 0 ? 0 : this.errorCount / traffic;
    return { status: errorRate < 0.05 ? 'healthy' : 'degraded', connections: this.current, errorRate: round(errorRate * 100), averageLatency: round(this.averageLatencyMs) };
  }
}

const round = (n: number) => Math.round(n * 1000) / 1000;
