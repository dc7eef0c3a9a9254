/** The two timer functions a scheduler needs; injected so a test can drive time. */
export interface Timers {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

/**
 * Looks the globals up at call time, so `vi.useFakeTimers()` installed after the user was created
 * still drives it (capturing `setTimeout` at import would keep the real one).
 */
export const globalTimers: Timers = {
  setTimeout: (callback, ms) => globalThis.setTimeout(callback, ms),
  clearTimeout: (handle) => globalThis.clearTimeout(handle as Parameters<typeof clearTimeout>[0]),
};
