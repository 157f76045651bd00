/*
 * Cluster-wide connection registry on Redis.
 *
 * Key layout (prefix P defaults to `livegate:{conn}:`; the `{conn}` hash tag
 * keeps every key in one Redis Cluster slot so the Lua scripts may touch them
 * all):
 *
 *   P s:<socketId>  hash    userId, userRole, connectedAt (ISO), transport, nodeId
 *   P u:<userId>    zset    member socketId, score connectedAt (ms): the user's sockets, oldest first
 *   P live          zset    member socketId, score = liveness deadline (ms, Redis clock)
 *
 * A socket counts only while its deadline is in the future. Each node keeps
 * its own sockets in memory and, every `tickMs`, pushes their deadlines to
 * now + `ttlMs` (one script per `batchSize` sockets, so 20,000 sockets are 20
 * short scripts, not 20,000 commands). A node that dies (kill -9, partition)
 * stops doing so and its sockets vanish from every read within `ttlMs`;
 * reads filter by deadline and prune the dead members they meet, and every
 * node's tick sweeps a bounded number of expired sockets (hash, user entry,
 * `live` entry) whichever node owned them, so nothing leaks. `count()` is a
 * ZCOUNT, not a scan.
 *
 * The heartbeat also heals: sockets of this node that are missing from Redis
 * (Redis restarted empty, an add that failed during an outage, a deadline that
 * lapsed during a long pause) are written again on the next tick.
 *
 * add() and remove() are one script each, a single round trip and atomic;
 * each reports whether it changed the user's presence (first socket in, last
 * socket out). A user's set of sockets empties in exactly one script — a
 * remove, a close, or the sweep of a dead node's sockets — so exactly one
 * node learns that the user went offline. Reads skip expired members without
 * deleting them for the same reason.
 */
import type { Logger } from '../../core/logger.ts';
import type { SocketRole } from '../../protocol/roles.ts';
import { transportName, type ConnectionInfo, type ConnectionRegistry, type PresenceTransition } from '../connection-registry.ts';
import { COUNT, LIVE_IDS, ONLINE_AMONG, READ, REFRESH, REMOVE, SET_TRANSPORT, SWEEP, UPSERT, USER } from './connection-registry.scripts.ts';
import type { RedisClient } from './redis-client.ts';

export interface RedisConnectionRegistryOptions {
  nodeId: string;
  log: Logger;
  /** Heartbeat period. Default 5 s. */
  tickMs?: number;
  /** How long a socket outlives its node's last heartbeat. Default 15 s; must exceed `tickMs` (about 3× is right). */
  ttlMs?: number;
  /** Default `livegate:{conn}:`. */
  prefix?: string;
  /** Sockets per heartbeat script and per read batch. Default 1,000. */
  batchSize?: number;
  /** Expired sockets each tick deletes at most. Default 1,000. */
  sweepLimit?: number;
}

const byAge = (a: ConnectionInfo, b: ConnectionInfo) => a.connectedAt.localeCompare(b.connectedAt) || a.socketId.localeCompare(b.socketId);

export class RedisConnectionRegistry implements ConnectionRegistry {
  private readonly mine = new Map<string, ConnectionInfo>();
  private readonly listeners: Array<(changes: PresenceTransition[]) => void> = [];
  private readonly prefix: string;
  private readonly live: string;
  private readonly tickMs: number;
  private readonly ttlMs: number;
  private readonly batchSize: number;
  private readonly sweepLimit: number;
  private timer: NodeJS.Timeout | undefined;
  private ticking: Promise<void> | undefined;
  private closed = false;

  constructor(
    private readonly client: RedisClient,
    private readonly opts: RedisConnectionRegistryOptions,
  ) {
    this.prefix = opts.prefix ?? 'livegate:{conn}:';
    this.live = `${this.prefix}live`;
    this.tickMs = opts.tickMs ?? 5_000;
    this.ttlMs = opts.ttlMs ?? 15_000;
    this.batchSize = opts.batchSize ?? 1_000;
    this.sweepLimit = opts.sweepLimit ?? 1_000;
    if (!(this.ttlMs > this.tickMs && this.tickMs > 0)) throw new Error(`ttlMs (${this.ttlMs}) must exceed tickMs (${this.tickMs}) > 0`);
    this.schedule();
  }

  /** Recorded locally first, so if Redis refuses now the next heartbeat still publishes it. */
  async add(info: ConnectionInfo): Promise<{ userOnline: boolean }> {
    this.mine.set(info.socketId, { ...info });
    return { userOnline: (await this.upsert([info])).length > 0 };
  }

  /** Forgotten locally first, so if Redis refuses now the entry simply expires (and the sweep reports the user offline). */
  async remove({ socketId, userId }: Pick<ConnectionInfo, 'socketId' | 'userId'>): Promise<{ userOffline: boolean }> {
    this.mine.delete(socketId);
    const offline = (await REMOVE.run(this.client, [this.live], [this.prefix, socketId, userId])) as string[];
    return { userOffline: offline.length > 0 };
  }

  onTransitions(listener: (changes: PresenceTransition[]) => void): void {
    this.listeners.push(listener);
  }

  async setTransport(socketId: string, transport: ConnectionInfo['transport']): Promise<void> {
    const own = this.mine.get(socketId);
    if (own) own.transport = transport;
    await SET_TRANSPORT.run(this.client, [this.live], [this.prefix, socketId, transport]);
  }

  async get(socketId: string): Promise<ConnectionInfo | undefined> {
    return (await this.read([socketId]))[0];
  }

  async listForUser(userId: string): Promise<ConnectionInfo[]> {
    return parsePairs(await USER.run(this.client, [this.live], [this.prefix, userId, 'all'])).sort(byAge);
  }

  async list(): Promise<ConnectionInfo[]> {
    const ids = (await LIVE_IDS.run(this.client, [this.live], [this.prefix])) as string[];
    const out: ConnectionInfo[] = [];
    for (let i = 0; i < ids.length; i += this.batchSize) out.push(...(await this.read(ids.slice(i, i + this.batchSize))));
    return out.sort(byAge);
  }

  async count(): Promise<number> {
    return Number(await COUNT.run(this.client, [this.live], [this.prefix]));
  }

  async isOnline(userId: string): Promise<boolean> {
    return Number(await USER.run(this.client, [this.live], [this.prefix, userId, 'any'])) === 1;
  }

  /** One script call per 1,000 users, not one round trip per user. */
  async onlineAmong(userIds: readonly string[]): Promise<Set<string>> {
    const unique = [...new Set(userIds)];
    const online = new Set<string>();
    for (let i = 0; i < unique.length; i += 1_000) {
      const chunk = unique.slice(i, i + 1_000);
      const flags = (await ONLINE_AMONG.run(this.client, [this.live], [this.prefix, ...chunk])) as number[];
      chunk.forEach((id, k) => flags[k] === 1 && online.add(id));
    }
    return online;
  }

  /**
   * Stops the heartbeat and removes this node's remaining sockets (best
   * effort: if Redis is unreachable they expire instead). Other nodes' data is
   * never touched. The client belongs to the caller and stays open.
   */
  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.timer);
    await this.ticking;
    const own = [...this.mine.values()];
    this.mine.clear();
    try {
      for (let i = 0; i < own.length; i += this.batchSize) {
        const args = [this.prefix, ...own.slice(i, i + this.batchSize).flatMap((c) => [c.socketId, c.userId])];
        const offline = (await REMOVE.run(this.client, [this.live], args)) as string[];
        this.report(offline.map((userId) => ({ userId, online: false, lastSeen: Date.now() })));
      }
    } catch (err) {
      this.opts.log.warn({ err, sockets: own.length }, 'registry close: could not remove own sockets; they will expire');
    }
  }

  private report(changes: PresenceTransition[]): void {
    if (changes.length === 0) return;
    for (const listener of this.listeners) {
      try {
        listener(changes);
      } catch (err) {
        this.opts.log.error({ err }, 'presence transition listener failed');
      }
    }
  }

  private async read(ids: string[]): Promise<ConnectionInfo[]> {
    return parsePairs(await READ.run(this.client, [this.live], [this.prefix, ...ids]));
  }

  /** Returns the user ids that went online. */
  private async upsert(infos: ConnectionInfo[]): Promise<string[]> {
    const args = [this.prefix, String(this.ttlMs)];
    for (const i of infos) args.push(i.socketId, i.userId, i.userRole, i.connectedAt, String(Date.parse(i.connectedAt) || 0), i.transport, i.nodeId);
    return (await UPSERT.run(this.client, [this.live], args)) as string[];
  }

  private schedule(): void {
    if (this.closed) return;
    this.timer = setTimeout(() => {
      this.ticking = this.heartbeat().finally(() => {
        this.ticking = undefined;
        this.schedule();
      });
    }, this.tickMs);
    this.timer.unref();
  }

  /**
   * One tick: refresh own deadlines, re-add what Redis lost, sweep the expired.
   * All batches are queued at once (one round trip, each script short), so a
   * tick is not stretched by waiting behind other traffic once per batch. A
   * remove() issued after this point is queued behind the batch holding its
   * socket, so it cannot be undone by the refresh.
   */
  private async heartbeat(): Promise<void> {
    const started = Date.now();
    try {
      const ids = [...this.mine.keys()];
      const refreshes: Promise<void>[] = [];
      for (let i = 0; i < ids.length; i += this.batchSize) {
        const batch = ids.slice(i, i + this.batchSize);
        refreshes.push(
          REFRESH.run(this.client, [this.live], [this.prefix, String(this.ttlMs), ...batch]).then((missing) => {
            // Filtered now, not earlier: a socket removed meanwhile must not come back.
            const lost = (missing as string[]).map((id) => this.mine.get(id)).filter((x): x is ConnectionInfo => !!x);
            if (lost.length === 0) return;
            // Back after a sweep took them (this node stalled past the TTL) or Redis lost them: online again.
            return this.upsert(lost).then((online) => this.report(online.map((userId) => ({ userId, online: true, lastSeen: Date.now() }))));
          }),
        );
      }
      await Promise.all(refreshes);
      const swept = (await SWEEP.run(this.client, [this.live], [this.prefix, String(this.sweepLimit), String(this.ttlMs)])) as string[];
      const offline: PresenceTransition[] = [];
      for (let i = 0; i + 1 < swept.length; i += 2) offline.push({ userId: swept[i]!, online: false, lastSeen: Number(swept[i + 1]) });
      this.report(offline);
      const tookMs = Date.now() - started;
      // Ticks never overlap, so a slow one stretches the period towards the TTL and sockets start to flap.
      if (tookMs > this.tickMs) this.opts.log.warn({ tookMs, tickMs: this.tickMs, sockets: this.mine.size }, 'registry heartbeat slower than its period');
    } catch (err) {
      this.opts.log.warn({ err, nodeId: this.opts.nodeId }, 'registry heartbeat failed; retrying next tick');
    }
  }
}

/** [id, [field, value, ...], ...] from the scripts into ConnectionInfo. */
function parsePairs(reply: unknown): ConnectionInfo[] {
  const flat = reply as (string | string[])[];
  const out: ConnectionInfo[] = [];
  for (let i = 0; i + 1 < flat.length; i += 2) {
    const fields = flat[i + 1] as string[];
    const f = new Map<string, string>();
    for (let j = 0; j + 1 < fields.length; j += 2) f.set(fields[j]!, fields[j + 1]!);
    const userId = f.get('userId');
    if (!userId) continue;
    out.push({
      socketId: flat[i] as string,
      userId,
      userRole: f.get('userRole') as SocketRole,
      connectedAt: f.get('connectedAt') ?? '',
      transport: transportName(f.get('transport')),
      nodeId: f.get('nodeId') ?? '',
    });
  }
  return out;
}
