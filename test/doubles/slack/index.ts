export { type SlackDouble, type SlackDoubleOptions, type RecordedCall, type StoredMessage, type Fault, startSlackDouble } from './slack-double.js';
export { type SocketAck, type SocketDouble, eventCallback } from './socket-double.js';
export { blockKitViolations, slackWouldPing } from './limits.js';
export * from './payloads.js';
export * from './signed-request.js';
