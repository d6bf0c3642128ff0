import { token, toLogin, type LiveEvent } from './admin-api.js';

/**
 * Reads `/api/events` (Server-Sent Events) with fetch, because EventSource cannot send the
 * Authorization header. After a drop it reconnects with `Last-Event-ID` = the last id seen, so the
 * server replays what was missed (WHATWG HTML §9.2.4 semantics, done by hand).
 */
export function followEvents(onEvent: (event: LiveEvent) => void, onState: (connected: boolean) => void): void {
  let lastId: string | undefined;
  const connect = async (): Promise<void> => {
    try {
      const headers: Record<string, string> = { authorization: `Bearer ${token() ?? ''}`, accept: 'text/event-stream' };
      if (lastId) headers['last-event-id'] = lastId;
      const r = await fetch('/api/events', { headers });
      if (r.status === 401 || r.status === 403) return toLogin('expired');
      if (!r.ok || !r.body) throw new Error(`HTTP ${r.status}`);
      onState(true);
      const reader = r.body.getReader();
      const decoder = new TextDecoder();
      let buffer = '';
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buffer += decoder.decode(value, { stream: true });
        let cut: number;
        while ((cut = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, cut);
          buffer = buffer.slice(cut + 2);
          let data = '';
          for (const line of block.split('\n')) {
            if (line.startsWith('id: ')) lastId = line.slice(4);
            else if (line.startsWith('data: ')) data += line.slice(6);
          }
          if (data) onEvent(JSON.parse(data) as LiveEvent);
        }
      }
    } catch {
      // dropped: reconnect below
    }
    onState(false);
    setTimeout(() => void connect(), 2000);
  };
  void connect();
}
