import { connect, createServer, type Socket } from 'node:net';

export interface TcpProxy { port: number; close(): Promise<void> }

/**
 * A round-robin TCP load balancer on loopback: each new connection goes to
 * the next backend that accepts it, skipping dead ones — what a load balancer
 * in front of the gateway nodes does when one dies.
 */
export function startTcpProxy(backendPorts: number[]): Promise<TcpProxy> {
  let nextIndex = 0;
  const open = new Set<Socket>();
  const server = createServer((client) => {
    open.add(client);
    client.on('close', () => open.delete(client));
    client.pause();
    const tryBackend = (attempt: number) => {
      if (attempt >= backendPorts.length) return client.destroy();
      const port = backendPorts[nextIndex++ % backendPorts.length]!;
      const upstream = connect({ host: '127.0.0.1', port });
      upstream.once('connect', () => {
        open.add(upstream);
        upstream.on('close', () => open.delete(upstream));
        client.pipe(upstream).pipe(client);
        client.resume();
        upstream.on('error', () => client.destroy());
        client.on('error', () => upstream.destroy());
        upstream.on('close', () => client.destroy());
        client.on('close', () => upstream.destroy());
      });
      upstream.once('error', () => tryBackend(attempt + 1));
    };
    tryBackend(0);
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      resolve({
        port: (server.address() as { port: number }).port,
        close: () => new Promise<void>((r) => {
          for (const s of open) s.destroy();
          server.close(() => r());
        }),
      });
    });
  });
}
