/** One Server-Sent Event as a test reads it (WHATWG HTML §9.2.6 field parsing, enough for confgate's stream). */
export interface SseEvent {
  id: string | undefined;
  event: string | undefined;
  data: string;
}

/** A real HTTP SSE connection: collects events and comments until `close()` (which drops the TCP connection). */
export class SseClient {
  readonly events: SseEvent[] = [];
  readonly comments: string[] = [];
  status = 0;
  private readonly abort = new AbortController();
  private waiters: Array<() => void> = [];
  private done: Promise<void>;

  constructor(url: string, token: string, lastEventId?: string) {
    const headers: Record<string, string> = { authorization: `Bearer ${token}`, accept: 'text/event-stream' };
    if (lastEventId) headers['last-event-id'] = lastEventId;
    let opened: () => void = () => {};
    const open = new Promise<void>((r) => (opened = r));
    this.done = (async () => {
      try {
        const r = await fetch(url, { headers, signal: this.abort.signal });
        this.status = r.status;
        opened();
        const reader = r.body!.getReader();
        const decoder = new TextDecoder();
        let buffer = '';
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          buffer += decoder.decode(value, { stream: true });
          let cut: number;
          while ((cut = buffer.indexOf('\n\n')) >= 0) {
            this.parse(buffer.slice(0, cut));
            buffer = buffer.slice(cut + 2);
          }
        }
      } catch {
        // aborted
      } finally {
        opened();
      }
    })();
    this.opened = open;
  }

  readonly opened: Promise<void>;

  private parse(block: string): void {
    const e: SseEvent = { id: undefined, event: undefined, data: '' };
    let isEvent = false;
    for (const line of block.split('\n')) {
      if (line.startsWith(':')) this.comments.push(line.slice(1).trim());
      else if (line.startsWith('id: ')) e.id = line.slice(4);
      else if (line.startsWith('event: ')) e.event = line.slice(7);
      else if (line.startsWith('data: ')) {
        e.data += line.slice(6);
        isEvent = true;
      }
    }
    if (isEvent) this.events.push(e);
    const w = this.waiters;
    this.waiters = [];
    w.forEach((f) => f());
  }

  /** Resolves once `predicate` holds (checked after each block), or rejects after `ms`. */
  async until(predicate: () => boolean, ms = 5000): Promise<void> {
    const deadline = Date.now() + ms;
    while (!predicate()) {
      const left = deadline - Date.now();
      if (left <= 0)
        throw new Error(`SSE: condition not met in ${ms} ms; events: ${this.events.map((e) => e.event).join(',')}`);
      await new Promise<void>((r) => {
        const t = setTimeout(r, Math.min(left, 200));
        this.waiters.push(() => {
          clearTimeout(t);
          r();
        });
      });
    }
  }

  async close(): Promise<void> {
    this.abort.abort();
    await this.done;
  }
}
