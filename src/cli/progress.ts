/** A one-line progress bar on a terminal; silent when the stream is not one (CI logs stay clean). */
export function progressBar(stream: NodeJS.WriteStream) {
  const tty = stream.isTTY === true;
  let last = 0;
  return {
    update(done: number, total: number, label: string) {
      if (!tty || total <= 0) return;
      const now = Date.now();
      if (now - last < 100 && done < total) return;
      last = now;
      const width = 30;
      const filled = Math.round((done / total) * width);
      stream.write(`\r[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${Math.round((done / total) * 100)}% ${label}   `);
    },
    done() {
      if (tty) stream.write('\n');
    },
  };
}
