import type { Logger } from '../../core/logger.ts';
import type { DriverPoint, GeoIndex } from '../geo-index.ts';
import { createRedisClient, type RedisClient } from './index.ts';

/** One change, compact on the wire: upsert, availability, removal. */
type Op =
  | ['u', string, number, number, number, 0 | 1, number | null, number | null, string | null]
  | ['a', string, 0 | 1]
  | ['r', string];

interface Message {
  /** Publishing node; a node ignores its own messages. */
  n: string;
  ops?: Op[];
  /** A node (re)joined and asks every node to republish its drivers. */
  hello?: 1;
}

export interface PositionFeedOptions {
  url: string;
  nodeId: string;
  geo: GeoIndex;
  /** Local changes are published in one message per this interval (0 = at once). */
  batchMs: number;
  /** Positions older than this are not republished to a joining node. */
  freshMs: number;
  log: Logger;
  channel?: string;
  now?: () => number;
}

const MAX_OPS_PER_MESSAGE = 2_000;

/**
 * Every node keeps a full in-process copy of the nearby-driver index; this
 * feed keeps the copies in step over Redis Pub/Sub. A node publishes the
 * changes of the drivers connected to it (batched every `batchMs`) and
 * applies every other node's changes to its own index, keeping the newest fix
 * per driver. A node that joins or reconnects says `hello` and every node
 * republishes its own fresh drivers, so a new node is complete at once rather
 * than after every driver's next fix. Why Pub/Sub feeding local indexes rather
 * than querying Redis GEO: see docs/architecture.md ("Nearby drivers across
 * nodes"). Losing Redis costs freshness across nodes, never local answers.
 */
export class RedisPositionFeed {
  private pending: Op[] = [];
  private timer: NodeJS.Timeout | undefined;
  /** The drivers this node publishes for, latest point each (for `hello` answers). */
  private readonly local = new Map<string, DriverPoint>();
  private readonly channel: string;
  private opsSincePrune = 0;

  private constructor(
    private readonly pub: RedisClient,
    private readonly sub: RedisClient,
    private readonly opts: PositionFeedOptions,
  ) {
    this.channel = opts.channel ?? 'livegate:positions';
  }

  static async start(opts: PositionFeedOptions): Promise<RedisPositionFeed> {
    const pub = await createRedisClient(opts.url, opts.log, { name: `livegate-positions-pub-${opts.nodeId}` });
    const sub = await createRedisClient(opts.url, opts.log, { name: `livegate-positions-sub-${opts.nodeId}` });
    const feed = new RedisPositionFeed(pub, sub, opts);
    await sub.subscribe(feed.channel, (raw) => feed.receive(raw));
    // After a Redis outage the other nodes' positions may have been missed: ask again.
    sub.on('ready', () => feed.send({ n: opts.nodeId, hello: 1 }));
    feed.send({ n: opts.nodeId, hello: 1 });
    return feed;
  }

  upsert(p: DriverPoint): void {
    this.local.set(p.driverId, p);
    this.queue(['u', p.driverId, p.latitude, p.longitude, p.at, p.isAvailable ? 1 : 0, p.heading ?? null, p.speed ?? null, p.vehicleType ?? null]);
  }

  setAvailability(driverId: string, isAvailable: boolean): void {
    const p = this.local.get(driverId);
    if (p) this.local.set(driverId, { ...p, isAvailable });
    this.queue(['a', driverId, isAvailable ? 1 : 0]);
  }

  remove(driverId: string): void {
    this.local.delete(driverId);
    this.queue(['r', driverId]);
  }

  async stop(): Promise<void> {
    clearTimeout(this.timer);
    this.flush();
    await Promise.all([this.sub.close().catch(() => undefined), this.pub.close().catch(() => undefined)]);
  }

  private queue(op: Op): void {
    this.pending.push(op);
    // Drivers that went quiet (disconnected) are forgotten now and then, so `local` follows the live drivers.
    if (++this.opsSincePrune >= 10_000) {
      this.opsSincePrune = 0;
      this.forgetStale();
    }
    if (this.opts.batchMs <= 0 || this.pending.length >= MAX_OPS_PER_MESSAGE) return this.flush();
    this.timer ??= setTimeout(() => this.flush(), this.opts.batchMs);
  }

  private flush(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.pending.length === 0) return;
    const ops = this.pending;
    this.pending = [];
    this.send({ n: this.opts.nodeId, ops });
  }

  private send(message: Message): void {
    // Fire and forget: while Redis is down the client refuses at once, and the next fix supersedes this one.
    this.pub.publish(this.channel, JSON.stringify(message)).catch(() => undefined);
  }

  private receive(raw: string): void {
    let message: Message;
    try {
      message = JSON.parse(raw) as Message;
    } catch {
      return;
    }
    if (message.n === this.opts.nodeId) return;
    if (message.hello) return this.republish();
    for (const op of message.ops ?? []) this.apply(op);
  }

  private apply(op: Op): void {
    const { geo } = this.opts;
    if (op[0] === 'u') {
      const [, driverId, latitude, longitude, at, available, heading, speed, vehicleType] = op;
      const current = geo.get(driverId);
      if (current && current.at > at) return;
      // A driver whose socket moved here is published by this node now; a late message from its old node must not take it over.
      if (this.local.has(driverId) && this.local.get(driverId)!.at >= at) return;
      geo.upsert({ driverId, latitude, longitude, at, isAvailable: available === 1, heading: heading ?? undefined, speed: speed ?? undefined, vehicleType: vehicleType ?? undefined });
    } else if (op[0] === 'a') {
      geo.setAvailability(op[1], op[2] === 1);
    } else {
      geo.remove(op[1]);
    }
  }

  private republish(): void {
    this.forgetStale();
    for (const p of [...this.local.values()]) this.upsert(p);
  }

  private forgetStale(): void {
    const freshSince = (this.opts.now ?? Date.now)() - this.opts.freshMs;
    for (const [id, p] of this.local) if (p.at < freshSince) this.local.delete(id);
  }
}
