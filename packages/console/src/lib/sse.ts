// Server-Sent Events over fetch. EventSource cannot send an Authorization header and the session
// token must not travel in a URL, so the stream is read from a fetch body and parsed here
// (https://html.spec.whatwg.org/multipage/server-sent-events.html#event-stream-interpretation).
import { authHeaders } from './api';

export interface SseMessage { event: string; data: string; id?: string }

export type StreamState = 'connecting' | 'live' | 'retrying' | 'unavailable';

export interface StreamHandle { close(): void }

/** Opens `url` and keeps it open: reconnects with backoff (honouring `retry:`) until closed. */
export function openStream(url: string, onMessage: (m: SseMessage) => void, onState: (s: StreamState) => void): StreamHandle {
  const ctl = new AbortController();
  let retryMs = 1000;
  let lastId: string | undefined;

  const run = async () => {
    while (!ctl.signal.aborted) {
      onState('connecting');
      try {
        const headers: Record<string, string> = { accept: 'text/event-stream', ...authHeaders() };
        if (lastId) headers['last-event-id'] = lastId;
        const res = await fetch(url, { headers, signal: ctl.signal, cache: 'no-store', credentials: 'omit' });
        if (res.status === 404 || res.status === 401 || res.status === 403) { onState('unavailable'); return; }
        if (!res.ok || !res.body) throw new Error(`stream answered ${res.status}`);
        onState('live');
        retryMs = 1000;
        await parse(res.body, (m) => { if (m.id !== undefined) lastId = m.id; onMessage(m); }, (ms) => { retryMs = ms; });
      } catch (err) {
        if (ctl.signal.aborted) return;
        void err;
      }
      if (ctl.signal.aborted) return;
      onState('retrying');
      await new Promise((r) => setTimeout(r, retryMs));
      retryMs = Math.min(retryMs * 2, 30_000);
    }
  };
  void run();
  return { close: () => ctl.abort() };
}

async function parse(body: ReadableStream<Uint8Array>, onMessage: (m: SseMessage) => void, onRetry: (ms: number) => void) {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  let event = '', data: string[] = [], id: string | undefined;
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    buffer += decoder.decode(value, { stream: true });
    let nl: number;
    while ((nl = buffer.search(/\r\n|\r|\n/)) >= 0) {
      if (nl === buffer.length - 1 && buffer[nl] === '\r') break; // maybe half of a CRLF
      const line = buffer.slice(0, nl);
      buffer = buffer.slice(nl + (buffer.startsWith('\r\n', nl) ? 2 : 1));
      if (line === '') {
        if (data.length) onMessage({ event: event || 'message', data: data.join('\n'), id });
        event = ''; data = [];
        continue;
      }
      if (line.startsWith(':')) continue;
      const colon = line.indexOf(':');
      const field = colon < 0 ? line : line.slice(0, colon);
      const val = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
      if (field === 'event') event = val;
      else if (field === 'data') data.push(val);
      else if (field === 'id') id = val;
      else if (field === 'retry' && /^\d+$/.test(val)) onRetry(Number(val));
    }
  }
}
