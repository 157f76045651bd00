import http from 'node:http';

/** One Server-Sent Events record (a comment is `{ comment }`). */
export interface SseRecord { id?: string; event?: string; data?: string; retry?: string; comment?: string }

export interface SseClient {
  status: number;
  headers: http.IncomingHttpHeaders;
  records: SseRecord[];
  /** The next record with `event` (or, with `'comment'`, the next comment) not yet taken. */
  next(event: string, timeoutMs?: number): Promise<SseRecord>;
  /** The body of a refused request. */
  body(): Promise<string>;
  close(): void;
}

/** A real HTTP GET of `${url}${path}` read as an event stream; resolves once the response head arrived. */
export function openSse(url: string, path: string, headers: Record<string, string> = {}): Promise<SseClient> {
  return new Promise((resolve, reject) => {
    const req = http.get(url + path, { headers: { accept: 'text/event-stream', ...headers } }, (res) => {
      const records: SseRecord[] = [];
      const taken = new Set<SseRecord>();
      const waiters: Array<() => void> = [];
      let buffer = '';
      let raw = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        raw += chunk;
        buffer += chunk;
        let end;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const record: SseRecord = {};
          for (const line of block.split('\n')) {
            if (line.startsWith(':')) record.comment = line.slice(1).trim();
            else {
              const i = line.indexOf(':');
              (record as Record<string, string>)[line.slice(0, i)] = line.slice(i + 1).replace(/^ /, '');
            }
          }
          records.push(record);
        }
        for (const w of waiters.splice(0)) w();
      });
      res.on('error', () => undefined);
      const ended = new Promise<void>((r) => res.on('end', () => r()));
      resolve({
        status: res.statusCode ?? 0,
        headers: res.headers,
        records,
        next: (event, timeoutMs = 3000) => new Promise((ok, fail) => {
          const timer = setTimeout(() => fail(new Error(`no ${event} record within ${timeoutMs} ms; got ${JSON.stringify(records).slice(0, 600)}`)), timeoutMs);
          const look = () => {
            const r = records.find((x) => !taken.has(x) && (event === 'comment' ? x.comment !== undefined : x.event === event));
            if (!r) return void waiters.push(look);
            taken.add(r);
            clearTimeout(timer);
            ok(r);
          };
          look();
        }),
        body: async () => {
          await ended;
          return raw;
        },
        close: () => req.destroy(),
      });
    });
    req.on('error', reject);
  });
}
