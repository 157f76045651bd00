import { isLoopback } from '../core/client-address.ts';
import { signToken } from '../auth/token-signer.ts';
import { resolveDevSecret } from '../config/dev-secret.ts';
import type { Config } from '../config/index.ts';
import { createLogger } from '../core/logger.ts';
import type { Role } from '../protocol/index.ts';
import { UsageError, type ParsedValues } from './args.ts';
import { runDemo } from './demo/run.ts';
import { progressLine, type DemoStats } from './demo/stats.ts';

const PLAIN_PROGRESS_EVERY_MS = 5000;

function count(value: unknown, name: string, fallback: number, min: number, max: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (typeof value !== 'string' || !Number.isFinite(n) || n < min || n > max) throw new UsageError(`--${name} takes a number from ${min} to ${max}`);
  return n;
}

function center(value: unknown): { latitude: number; longitude: number } {
  // Khartoum, where the ride-hailing seed's examples live.
  if (value === undefined) return { latitude: 15.5007, longitude: 32.5599 };
  const [lat, lng, extra] = String(value).split(',').map(Number);
  if (extra !== undefined || !Number.isFinite(lat) || !Number.isFinite(lng) || Math.abs(lat!) > 85 || Math.abs(lng!) > 180) throw new UsageError('--center takes lat,lng (for example 51.5072,-0.1276)');
  return { latitude: lat!, longitude: lng! };
}

async function answers(url: string): Promise<boolean> {
  try {
    return (await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(2000) })).ok;
  } catch {
    return false;
  }
}

/**
 * `livegate demo`: simulated drivers, riders and vehicles on a gateway, for
 * the dashboard. When nothing answers at a loopback `--url`, it starts a
 * gateway in this process (with this environment) and stops it at the end.
 */
export async function demo(baseConfig: Config, flags: ParsedValues): Promise<number> {
  const url = (typeof flags.url === 'string' ? flags.url : `http://127.0.0.1:${baseConfig.http.port}`).replace(/\/$/, '');
  let target: URL;
  try {
    target = new URL(url);
  } catch {
    throw new UsageError(`--url is not a URL: ${url}`);
  }
  const options = {
    drivers: count(flags.drivers, 'drivers', 20, 1, 500),
    riders: count(flags.riders, 'riders', 10, 0, 500),
    speed: count(flags.speed, 'speed', 5, 0.1, 1000),
    maxKmh: count(flags['max-kmh'], 'max-kmh', 200, 10, 5000),
    seed: count(flags.seed, 'seed', 1, 0, 2 ** 32 - 1),
    center: center(flags.center),
  };
  const duration = flags.duration === undefined ? undefined : count(flags.duration, 'duration', 0, 1, 86_400 * 7);

  const { config } = await resolveDevSecret(baseConfig);
  const secret = config.auth.jwtSecret;
  if (!secret) {
    process.stderr.write('livegate: demo signs its drivers\' and riders\' tokens with JWT_SECRET; none is configured (set the gateway\'s JWT_SECRET)\n');
    return 2;
  }
  const claims = { ...(config.auth.issuer ? { issuer: config.auth.issuer } : {}), ...(config.auth.audience ? { audience: config.auth.audience } : {}) };
  const sign = (sub: string, role: Role, name: string) => signToken(secret, { sub, role, name, ttl: '24h', ...claims });

  let app: { shutdown(): Promise<void> } | undefined;
  if (!(await answers(url))) {
    const port = Number(target.port || 80);
    if (!isLoopback(target.hostname.replace(/^\[|\]$/g, '')) && target.hostname !== 'localhost') {
      process.stderr.write(`livegate: no gateway answers at ${url}\n`);
      return 1;
    }
    process.stdout.write(`No gateway answers at ${url}: starting one in this process (port ${port}).\n`);
    const { createApp } = await import('../app.ts');
    const started = await createApp({ ...config, http: { ...config.http, port, host: target.hostname === 'localhost' ? '127.0.0.1' : target.hostname } }, { log: createLogger('warn', config.nodeId) });
    await started.listen();
    app = started;
  }

  const controller = new AbortController();
  const stop = () => controller.abort();
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  const timer = duration === undefined ? undefined : setTimeout(stop, duration * 1000);
  const tty = process.stdout.isTTY === true;
  let lastPrint = 0;
  const show = (stats: DemoStats) => {
    const now = Date.now();
    if (tty) process.stdout.write(`\r${progressLine(stats)}\x1b[K`);
    else if (now - lastPrint >= PLAIN_PROGRESS_EVERY_MS) process.stdout.write(progressLine(stats) + '\n');
    else return;
    lastPrint = now;
  };
  process.stdout.write(`Demo on ${url}: ${options.drivers} drivers, ${options.riders} riders around ${options.center.latitude},${options.center.longitude}, ${options.speed}x (Ctrl-C stops)\n`);
  try {
    const adminToken = typeof flags.token === 'string' ? flags.token : await sign('demo-admin', 'admin', 'Demo');
    const stats = await runDemo({ url, adminToken, sign, ...options, signal: controller.signal, onProgress: show });
    process.stdout.write(`${tty ? '\r' : ''}${progressLine(stats)}${tty ? '\x1b[K' : ''}\nDemo stopped.\n`);
    return 0;
  } catch (err) {
    process.stderr.write(`\nlivegate: demo failed: ${(err as Error).message}\n`);
    return 1;
  } finally {
    clearTimeout(timer);
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
    if (app) {
      await app.shutdown();
    }
  }
}
