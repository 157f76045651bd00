import WebSocket from 'ws';

/**
 * A minimal Socket.IO v4 client over a raw WebSocket (Engine.IO protocol 4),
 * for load generation where socket.io-client would make the generator the
 * bottleneck. It answers engine pings, authenticates with `auth.token`, and
 * hands every event to `onEvent`.
 */
export class WireClient {
  private ws: WebSocket | undefined;
  connected = false;
  onEvent: (event: string, payload: unknown, raw: string) => void = () => undefined;

  constructor(
    private readonly url: string,
    private readonly token: string | undefined,
    private readonly localAddress?: string,
  ) {}

  /** Resolves when the namespace connect is acknowledged (`40`). */
  connect(timeoutMs = 10_000): Promise<void> {
    const wsUrl = this.url.replace(/^http/, 'ws') + '/socket.io/?EIO=4&transport=websocket';
    const ws = new WebSocket(wsUrl, { perMessageDeflate: false, ...(this.localAddress ? { localAddress: this.localAddress } : {}) });
    this.ws = ws;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('connect timeout')), timeoutMs);
      ws.on('error', (err) => {
        clearTimeout(timer);
        reject(err);
      });
      ws.on('close', () => (this.connected = false));
      ws.on('message', (data) => {
        const text = data.toString();
        const type = text[0];
        if (type === '2') return ws.send('3'); // engine ping → pong
        if (type === '0') return ws.send(this.token ? `40${JSON.stringify({ token: this.token })}` : '40');
        if (text.startsWith('40')) {
          this.connected = true;
          clearTimeout(timer);
          return resolve();
        }
        if (text.startsWith('44')) {
          clearTimeout(timer);
          return reject(new Error(`connect_error ${text.slice(2)}`));
        }
        if (text.startsWith('42')) {
          const arr = JSON.parse(text.slice(2)) as [string, unknown];
          this.onEvent(arr[0], arr[1], text);
        }
      });
    });
  }

  /** Sends an event frame (`42["event", payload]`). */
  emit(event: string, payload?: unknown): void {
    this.ws?.send(`42${JSON.stringify(payload === undefined ? [event] : [event, payload])}`);
  }

  /** Sends a prebuilt frame, for senders that encode once. */
  sendRaw(frame: string): void {
    this.ws?.send(frame);
  }

  close(): void {
    this.ws?.terminate();
  }
}
