import type { IncomingMessage, ServerResponse } from 'node:http';
import { messageViolations, modalViolations } from './limits.js';
import type { DoubleState, Json, StoredMessage } from './state.js';
import { readBody } from '../read-body.js';

/**
 * The REST half of the Discord double: the routes discord.js and the adapter call, answered the way
 * Discord does (rate-limit headers on every answer, 204 without a content type for interaction
 * callbacks, a message object for `?wait=true` follow-ups, Discord's error codes), plus scripted faults.
 */
export interface RestHooks {
  gatewayUrl: () => string;
  /** Dispatches a gateway event (THREAD_CREATE when a thread is made, MESSAGE_CREATE for posts). */
  dispatch: (t: string, d: Json) => void;
}

const API = '/api/v10';

export function createRestHandler(state: DoubleState, hooks: RestHooks) {
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://double');
    const method = req.method ?? 'GET';
    const raw = await readBody(req);
    let body: unknown = null;
    if (raw) {
      try {
        body = JSON.parse(raw);
      } catch {
        body = raw;
      }
    }
    const pathname = decodeURIComponent(url.pathname);
    const path = pathname.startsWith(API) ? pathname.slice(API.length) : pathname;
    const call = { method, path, query: url.searchParams, body, status: 0 };
    state.calls.push(call);

    // One bucket per route, as Discord does (its hashes are opaque but stable), 429s included.
    const bucket = `bucket-${method}-${path.replace(/\d{15,}/g, ':id').replace(/\/[^/]+\/callback$/, '/:token/callback')}`;
    const send = (status: number, payload?: unknown, headers: Record<string, string> = {}) => {
      call.status = status;
      const rate = { 'x-ratelimit-limit': '5', 'x-ratelimit-remaining': '4', 'x-ratelimit-reset-after': '1.000', 'x-ratelimit-bucket': bucket };
      if (payload === undefined) {
        // Interaction callbacks: 204 and no JSON content type, or @discordjs/rest fails to parse nothing.
        res.writeHead(status, { ...rate, ...headers }).end();
        return;
      }
      res.writeHead(status, { 'content-type': 'application/json', ...rate, ...headers }).end(JSON.stringify(payload));
    };
    const fail = (status: number, code: number, message: string) => send(status, { code, message });

    const fault = state.faults.findIndex((f) => f.match.test(`${method} ${path}`));
    const scripted = fault >= 0 ? state.faults.splice(fault, 1)[0] : undefined;
    if (scripted?.kind === '429') {
      const after = scripted.retryAfterS ?? 5;
      call.status = 429;
      res
        .writeHead(429, {
          'content-type': 'application/json',
          'retry-after': String(after),
          'x-ratelimit-limit': '5',
          'x-ratelimit-remaining': '0',
          'x-ratelimit-reset-after': after.toFixed(3),
          'x-ratelimit-bucket': bucket,
          'x-ratelimit-scope': scripted.global ? 'global' : 'user',
          ...(scripted.global ? { 'x-ratelimit-global': 'true' } : {}),
        })
        .end(JSON.stringify({ message: 'You are being rate limited.', retry_after: after, global: scripted.global ?? false }));
      return;
    }

    const answered = route(state, hooks, method, path, url.searchParams, body);
    if (scripted?.kind === 'reset') {
      // The work is done, the answer never arrives.
      call.status = -1;
      req.socket.destroy();
      return;
    }
    if (scripted?.kind === '500') return fail(500, 0, 'Internal Server Error');
    if ('error' in answered) return fail(answered.status, answered.code, answered.error);
    send(answered.status, answered.payload);
  };
}

type Answer = { status: number; payload?: unknown } | { status: number; code: number; error: string };

const ok = (payload?: unknown, status = 200): Answer => ({ status, payload });
const error = (status: number, code: number, message: string): Answer => ({ status, code, error: message });

function route(state: DoubleState, hooks: RestHooks, method: string, path: string, query: URLSearchParams, body: unknown): Answer {
  const b = (typeof body === 'object' && body !== null ? body : {}) as Json;
  const parts = path.split('/').filter(Boolean);
  const [root, a, b2, c, d, e] = parts;

  if (method === 'GET' && path === '/gateway/bot') {
    return ok({ url: hooks.gatewayUrl(), shards: 1, session_start_limit: { total: 1_000, remaining: 999, reset_after: 0, max_concurrency: 1 } });
  }
  if (method === 'GET' && path === '/gateway') return ok({ url: hooks.gatewayUrl() });
  if (method === 'GET' && path === '/users/@me') return ok(state.userJson(state.bot));
  if (method === 'GET' && path === '/applications/@me') return ok({ id: state.appId, name: 'Vigie', flags: 0, bot_public: false });

  // Application commands: PUT replaces them all, global or per guild.
  if (root === 'applications' && a === state.appId) {
    const scope = b2 === 'guilds' && c ? `guild:${c}` : 'global';
    const isCommands = (b2 === 'commands' && c === undefined) || (b2 === 'guilds' && d === 'commands' && e === undefined);
    if (isCommands && method === 'PUT') {
      if (!Array.isArray(body)) return error(400, 50_035, 'Invalid Form Body');
      const stored = (body as Json[]).map((cmd) => ({ ...cmd, id: state.snowflake(), application_id: state.appId, version: state.snowflake(), ...(scope === 'global' ? {} : { guild_id: c }) }));
      state.commands.set(scope, stored);
      return ok(stored);
    }
    if (isCommands && method === 'GET') return ok(state.commands.get(scope) ?? []);
  }

  if (root === 'channels' && a) {
    const channel = state.channels.get(a);
    if (!channel) return error(404, 10_003, 'Unknown Channel');
    if (method === 'GET' && parts.length === 2) return ok({ ...channel, guild_id: state.guildId, permission_overwrites: [] });
    if (b2 === 'messages' && c === undefined) {
      if (method === 'POST') {
        const violations = messageViolations(b);
        if (violations.length > 0) return invalid(state, `POST ${path}`, violations);
        const message = state.createMessage(a, b, state.bot);
        hooks.dispatch('MESSAGE_CREATE', { ...message, guild_id: state.guildId });
        return ok(message);
      }
      if (method === 'GET') {
        const limit = Math.min(100, Number(query.get('limit') ?? 50));
        const before = query.get('before');
        const newestFirst = [...(state.messages.get(a) ?? [])].reverse().filter((msg) => !before || BigInt(msg.id) < BigInt(before));
        return ok(newestFirst.slice(0, limit));
      }
    }
    if (b2 === 'messages' && c && d === undefined && method === 'PATCH') {
      const message = (state.messages.get(a) ?? []).find((msg) => msg.id === c);
      if (!message) return error(404, 10_008, 'Unknown Message');
      const violations = messageViolations(b);
      if (violations.length > 0) return invalid(state, `PATCH ${path}`, violations);
      return ok(state.editMessage(message, b));
    }
    if (b2 === 'messages' && c && d === 'threads' && method === 'POST') {
      const message = (state.messages.get(a) ?? []).find((msg) => msg.id === c);
      if (!message) return error(404, 10_008, 'Unknown Message');
      if (state.channels.has(c)) return error(400, 160_004, 'A thread has already been created for this message');
      const name = typeof b.name === 'string' ? b.name : '';
      if (name.length === 0 || name.length > 100) return invalid(state, `POST ${path}`, [`thread name length ${name.length} (1..100)`]);
      // A thread started from a message has the message's id.
      const thread = { id: c, type: 11, name, parent_id: a, owner_id: state.bot.id };
      state.channels.set(c, thread);
      state.messages.set(c, []);
      const json = threadJson(state, thread, b);
      hooks.dispatch('THREAD_CREATE', { ...json, newly_created: true });
      return ok(json, 201);
    }
  }

  if (root === 'interactions' && a && b2 && c === 'callback' && method === 'POST') return callback(state, a, b2, b);

  if (root === 'webhooks' && a === state.appId && b2) {
    const interaction = [...state.interactions.values()].find((i) => i.token === b2);
    if (!interaction) return error(404, 10_015, 'Unknown Webhook');
    if (c === undefined && method === 'POST') return followUp(state, interaction, b, query);
    if (c === 'messages' && d === '@original') {
      if (method === 'PATCH') return editOriginal(state, interaction, b);
      if (method === 'GET') {
        const message = interaction.originalId ? state.findMessage(interaction.originalId) : null;
        return message ? ok(message) : error(404, 10_008, 'Unknown Message');
      }
      if (method === 'DELETE') return ok(undefined, 204);
    }
  }

  return error(404, 0, `double: no route for ${method} ${path}`);
}

function invalid(state: DoubleState, where: string, violations: string[]): Answer {
  state.violations.push(...violations.map((v) => `${where}: ${v}`));
  return error(400, 50_035, `Invalid Form Body: ${violations.join('; ')}`);
}

function threadJson(state: DoubleState, thread: { id: string; name: string; parent_id?: string; owner_id?: string }, body: Json = {}): Json {
  return {
    ...thread,
    type: 11,
    guild_id: state.guildId,
    message_count: 0,
    member_count: 1,
    rate_limit_per_user: 0,
    thread_metadata: { archived: false, auto_archive_duration: body.auto_archive_duration ?? 1_440, archive_timestamp: state.now(), locked: false },
  };
}

function callback(state: DoubleState, id: string, token: string, body: Json): Answer {
  const interaction = state.interactions.get(id);
  if (!interaction || interaction.token !== token) return error(404, 10_062, 'Unknown interaction');
  if (interaction.callback !== null) return error(400, 40_060, 'Interaction has already been acknowledged.');
  const type = typeof body.type === 'number' ? body.type : 0;
  const data = (typeof body.data === 'object' && body.data !== null ? body.data : {}) as Json;
  const flags = typeof data.flags === 'number' ? data.flags : 0;
  switch (type) {
    case 4: {
      // A message in answer: ephemeral ones are only seen by the clicker.
      const violations = messageViolations(data);
      if (violations.length > 0) return invalid(state, 'callback 4', violations);
      const message = state.createMessage(interaction.channelId, data, state.bot, { double_interaction_id: id });
      interaction.originalId = message.id;
      interaction.originalFilled = true;
      interaction.ephemeral = (flags & 64) !== 0;
      state.answers.push({ interactionId: id, kind: 'reply', ephemeral: interaction.ephemeral, body: data });
      break;
    }
    case 5: {
      // "Thinking…": a placeholder message that the first edit or follow-up fills.
      const message = state.createMessage(interaction.channelId, { content: '', flags: flags | 128 }, state.bot, { double_interaction_id: id });
      interaction.originalId = message.id;
      interaction.ephemeral = (flags & 64) !== 0;
      break;
    }
    case 6:
      interaction.originalId = interaction.messageId;
      interaction.originalFilled = true;
      interaction.ephemeral = isEphemeral(state, interaction.messageId);
      break;
    case 7: {
      const violations = messageViolations(data);
      if (violations.length > 0) return invalid(state, 'callback 7', violations);
      const message = interaction.messageId ? state.findMessage(interaction.messageId) : null;
      if (!message) return error(400, 50_035, 'update without a message');
      state.editMessage(message, data);
      interaction.originalId = message.id;
      interaction.originalFilled = true;
      interaction.ephemeral = (message.flags & 64) !== 0;
      state.answers.push({ interactionId: id, kind: 'update', ephemeral: interaction.ephemeral, body: data });
      break;
    }
    case 8:
      interaction.choices = Array.isArray(data.choices) ? (data.choices as Json[]) : [];
      if (interaction.choices.length > 25) return invalid(state, 'callback 8', ['more than 25 choices']);
      break;
    case 9: {
      if (interaction.type === 5) return error(400, 50_035, 'a modal cannot answer a modal submission');
      const violations = modalViolations(data);
      if (violations.length > 0) return invalid(state, 'callback 9', violations);
      interaction.modal = data;
      break;
    }
    default:
      return error(400, 50_035, `unsupported callback type ${type}`);
  }
  interaction.callback = type;
  interaction.ack(type);
  // 204 and no body unless `with_response` was asked for (discord.js asks only with withResponse).
  return ok(undefined, 204);
}

function isEphemeral(state: DoubleState, messageId: string | null): boolean {
  const message = messageId ? state.findMessage(messageId) : null;
  return message ? (message.flags & 64) !== 0 : false;
}

function followUp(state: DoubleState, interaction: ReturnType<DoubleState['interactions']['get']> & object, body: Json, query: URLSearchParams): Answer {
  if (interaction.callback === null) return error(400, 40_060, 'Interaction has not been acknowledged');
  const violations = messageViolations(body);
  if (violations.length > 0) return invalid(state, 'follow-up', violations);
  if (interaction.callback === 5 && !interaction.originalFilled && interaction.originalId) {
    // After a deferred reply, the first follow-up becomes the original, keeping the defer's visibility.
    return editOriginal(state, interaction, body, 'followup');
  }
  const flags = typeof body.flags === 'number' ? body.flags : 0;
  const message = state.createMessage(interaction.channelId, body, state.bot, { double_interaction_id: interaction.id });
  state.answers.push({ interactionId: interaction.id, kind: 'followup', ephemeral: (flags & 64) !== 0, body });
  return query.get('wait') === 'true' ? ok(message) : ok(undefined, 204);
}

function editOriginal(state: DoubleState, interaction: ReturnType<DoubleState['interactions']['get']> & object, body: Json, kind: 'edit-original' | 'followup' = 'edit-original'): Answer {
  const violations = messageViolations(body);
  if (violations.length > 0) return invalid(state, 'edit original', violations);
  const message: StoredMessage | null = interaction.originalId ? state.findMessage(interaction.originalId) : null;
  if (!message) return error(404, 10_008, 'Unknown Message');
  state.editMessage(message, body);
  message.flags &= ~128;
  interaction.originalFilled = true;
  state.answers.push({ interactionId: interaction.id, kind, ephemeral: (message.flags & 64) !== 0, body });
  return ok(message);
}
