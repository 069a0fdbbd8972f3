import { ProtocolError } from './errors.js';

/** One server-sent event. */
export interface SseEvent {
  event: string;
  data: string;
}

/** Longest SSE line and largest event (its data lines together) readSse accepts, in UTF-16 code units: a progress event is < 1 KiB (docs/api.md). */
export const MAX_SSE_EVENT_CHARS = 1 << 20;

/**
 * Parse a text/event-stream body (a fetch Response body) into events, in Node and in browsers. A line or an event
 * longer than MAX_SSE_EVENT_CHARS is a ProtocolError (memory stays bounded); each byte is scanned for a newline once.
 * The stream is cancelled when the reader stops, however it stops.
 */
export async function* readSse(body: ReadableStream<Uint8Array>, signal?: AbortSignal): AsyncGenerator<SseEvent> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let buf = '';
  let event = 'message';
  let data: string[] = [];
  let dataChars = 0;
  const onAbort = (): void => void reader.cancel().catch(() => undefined);
  signal?.addEventListener('abort', onAbort);
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      const scanFrom = buf.length; // buf holds no newline: scan only the new text
      buf += decoder.decode(value, { stream: true });
      let start = 0;
      let nl = buf.indexOf('\n', scanFrom);
      while (nl >= 0) {
        const line = buf.slice(start, nl).replace(/\r$/, '');
        start = nl + 1;
        nl = buf.indexOf('\n', start);
        if (line === '') {
          if (data.length) yield { event, data: data.join('\n') };
          event = 'message';
          data = [];
          dataChars = 0;
        } else if (line.startsWith(':')) {
          continue;
        } else {
          const i = line.indexOf(':');
          const field = i < 0 ? line : line.slice(0, i);
          const val = i < 0 ? '' : line.slice(i + 1).replace(/^ /, '');
          if (field === 'event') event = val;
          else if (field === 'data') {
            dataChars += val.length + 1;
            if (dataChars > MAX_SSE_EVENT_CHARS) throw new ProtocolError(`server-sent event larger than ${MAX_SSE_EVENT_CHARS} characters`);
            data.push(val);
          }
        }
      }
      if (start > 0) buf = buf.slice(start);
      if (buf.length > MAX_SSE_EVENT_CHARS) throw new ProtocolError(`server-sent event line longer than ${MAX_SSE_EVENT_CHARS} characters`);
    }
  } finally {
    signal?.removeEventListener('abort', onAbort);
    void reader.cancel().catch(() => undefined);
    try {
      reader.releaseLock();
    } catch {
      // already released
    }
  }
}
