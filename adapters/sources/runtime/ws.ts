import { WebSocket } from 'ws';

/** The WebSocket client class the sources use; injected so a test or another runtime can swap it. */
export type WebSocketClass = typeof WebSocket;
export const DefaultWebSocket: WebSocketClass = WebSocket;

/** A `ws` message as text, whatever shape the library handed it in. */
export function messageText(data: WebSocket.RawData): string {
  if (Buffer.isBuffer(data)) return data.toString('utf8');
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  return Buffer.from(data).toString('utf8');
}

/** Closes politely, and for good after `graceMs` if the other side never answers the close frame. */
export function closeSocket(ws: WebSocket, graceMs = 2_000): void {
  if (ws.readyState === WebSocket.CLOSED) return;
  if (ws.readyState !== WebSocket.OPEN) {
    ws.terminate();
    return;
  }
  ws.close(1000, 'stopping');
  const timer = setTimeout(() => ws.terminate(), graceMs);
  timer.unref();
  ws.once('close', () => clearTimeout(timer));
}
