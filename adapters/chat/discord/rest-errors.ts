import { DiscordAPIError, HTTPError, RateLimitError } from 'discord.js';
import { AmbiguousDeliveryError, PlatformRateLimitError } from '../../../src/chat/port.js';

/**
 * Turns what @discordjs/rest throws into the port's errors:
 * - a rate limit it would not absorb (see `rejectOnRateLimit` in the platform) → PlatformRateLimitError,
 *   so the delivery worker pauses the channel instead of a request hanging for minutes;
 * - a request that may have reached Discord (timeout, connection reset, 5xx) and that creates
 *   something → AmbiguousDeliveryError: the worker calls `find` before posting again;
 * - a Discord refusal (4xx, DiscordAPIError) stays what it is: nothing was created.
 */
export async function callDiscord<T>(what: string, creates: boolean, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (err) {
    throw mapRestError(what, creates, err);
  }
}

export function mapRestError(what: string, creates: boolean, err: unknown): unknown {
  if (err instanceof RateLimitError) return new PlatformRateLimitError(Math.max(0, Math.ceil(err.retryAfter)), { cause: err });
  if (err instanceof DiscordAPIError) return err;
  if (!creates) return err;
  if (err instanceof HTTPError || err instanceof Error) {
    return new AmbiguousDeliveryError(`discord ${what}: outcome unknown (${err instanceof HTTPError ? `HTTP ${err.status}` : err.name})`, { cause: err });
  }
  return err;
}

/** Discord's "a thread has already been created for this message" error code. */
export const THREAD_ALREADY_EXISTS = 160_004;

export function isDiscordError(err: unknown, code: number): boolean {
  return err instanceof DiscordAPIError && err.code === code;
}
