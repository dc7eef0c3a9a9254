/** One server-sent event: `event:` name (default `message`) and the `data:` lines joined. */
export interface SseEvent {
  event: string;
  data: string;
}

/** Parses server-sent-event lines (https://html.spec.whatwg.org/multipage/server-sent-events.html). */
export class SseParser {
  private event = '';
  private data: string[] = [];

  /** Feeds one line; returns the event it completes, if any. Comment lines (`:thump`) are heartbeats. */
  line(line: string): SseEvent | null {
    if (line === '') {
      if (this.data.length === 0) {
        this.event = '';
        return null;
      }
      const out = { event: this.event || 'message', data: this.data.join('\n') };
      this.event = '';
      this.data = [];
      return out;
    }
    if (line.startsWith(':')) return null;
    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'event') this.event = value;
    else if (field === 'data') this.data.push(value);
    return null;
  }
}
