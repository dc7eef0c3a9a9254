/**
 * Splits a byte stream into lines (LF or CRLF), without holding more than `maxLine` bytes of an
 * unfinished line: a stream that never sends a newline cannot fill the memory.
 */
export class LineSplitter {
  private partial = '';
  private readonly decoder = new TextDecoder();

  constructor(private readonly maxLine = 1024 * 1024) {}

  push(chunk: Uint8Array): string[] {
    const text = this.partial + this.decoder.decode(chunk, { stream: true });
    const lines = text.split('\n');
    this.partial = lines.pop() ?? '';
    if (this.partial.length > this.maxLine) throw new Error(`a line longer than ${this.maxLine} characters`);
    return lines.map((l) => (l.endsWith('\r') ? l.slice(0, -1) : l));
  }
}
