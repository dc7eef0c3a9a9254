import { randomUUID } from 'node:crypto';
import type { SlackDouble, StoredMessage, StoredView } from './slack-double.js';

/** Builders of the payloads Slack sends for commands and interactions (shared by Socket Mode and HTTP). */

export interface SlackUser {
  id: string;
  username: string;
}
export const DEFAULT_USER: SlackUser = { id: 'U0CAMILLE', username: 'camille.martin' };

export function slashCommand(double: SlackDouble, args: { command: string; text: string; channel: string; user?: SlackUser }): Record<string, string> {
  const user = args.user ?? DEFAULT_USER;
  return {
    token: 'verification-token',
    team_id: double.teamId,
    team_domain: 'vigie',
    channel_id: args.channel,
    channel_name: 'veille',
    user_id: user.id,
    user_name: user.username,
    command: args.command.startsWith('/') ? args.command : `/${args.command}`,
    text: args.text,
    api_app_id: 'A0VIGIE',
    is_enterprise_install: 'false',
    response_url: double.responseUrl(),
    trigger_id: `trigger-${randomUUID()}`,
  };
}

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Finds an element of a rendered message by action id (in actions blocks or section accessories). */
export function findElement(blocks: unknown[], actionId: string): { element: Json; blockId: string } | null {
  for (const block of blocks) {
    if (!isObject(block)) continue;
    const elements = Array.isArray(block.elements) ? block.elements : isObject(block.accessory) ? [block.accessory] : [];
    for (const element of elements) {
      if (isObject(element) && element.action_id === actionId) return { element, blockId: String(block.block_id ?? '') };
    }
  }
  return null;
}

/** Every option of a select, flattening option groups. */
export function optionsOf(element: Json): Array<{ text: string; value: string }> {
  const groups = Array.isArray(element.option_groups) ? element.option_groups : [];
  const options = [...(Array.isArray(element.options) ? element.options : []), ...groups.flatMap((g) => (isObject(g) && Array.isArray(g.options) ? g.options : []))];
  return options.filter(isObject).map((o) => ({ text: isObject(o.text) ? String(o.text.text) : '', value: String(o.value) }));
}

/**
 * A block_actions payload for a click on `actionId` of a message the double holds, as Slack would send
 * it: the element's own value, or the option picked by `pick` for a select.
 */
export function messageAction(
  double: SlackDouble,
  message: StoredMessage,
  actionId: string,
  options: { user?: SlackUser; pick?: (option: { text: string; value: string }) => boolean; value?: string } = {},
): Json {
  const user = options.user ?? DEFAULT_USER;
  const found = findElement(message.blocks, actionId);
  if (!found) throw new Error(`no element "${actionId}" in message ${message.ts}`);
  const { element, blockId } = found;
  const action: Json = { action_id: actionId, block_id: blockId, type: element.type, action_ts: String(Date.now() / 1000) };
  if (element.type === 'static_select') {
    const option = optionsOf(element).find(options.pick ?? (() => true));
    if (!option) throw new Error(`no matching option in "${actionId}"`);
    action.selected_option = { text: { type: 'plain_text', text: option.text }, value: option.value };
  } else {
    action.value = options.value ?? element.value;
  }
  return {
    type: 'block_actions',
    user: { id: user.id, username: user.username, name: user.username, team_id: double.teamId },
    api_app_id: 'A0VIGIE',
    token: 'verification-token',
    container: { type: 'message', message_ts: message.ts, channel_id: message.channel, is_ephemeral: false },
    trigger_id: `trigger-${randomUUID()}`,
    team: { id: double.teamId, domain: 'vigie' },
    enterprise: null,
    is_enterprise_install: false,
    channel: { id: message.channel, name: 'veille' },
    message: { type: 'message', ts: message.ts, text: message.text, blocks: message.blocks, user: message.user, bot_id: message.bot_id, ...(message.thread_ts ? { thread_ts: message.thread_ts } : {}) },
    state: { values: {} },
    response_url: double.responseUrl(),
    actions: [action],
  };
}

/** State values of a view as Slack would report them: typed inputs and picked options. */
export type ViewInputs = Record<string, Record<string, { type: string; value?: string | null; selected_option?: { value: string } | null }>>;

function viewPayload(stored: StoredView, inputs: ViewInputs): Json {
  return {
    id: stored.id,
    team_id: 'T0VIGIE',
    type: 'modal',
    callback_id: stored.view.callback_id,
    private_metadata: stored.view.private_metadata ?? '',
    hash: stored.hash,
    blocks: stored.view.blocks,
    state: { values: inputs },
  };
}

/** A block_actions payload from inside a modal (a select change or a dispatched input). */
export function viewAction(double: SlackDouble, stored: StoredView, action: Json, inputs: ViewInputs, user: SlackUser = DEFAULT_USER): Json {
  return {
    type: 'block_actions',
    user: { id: user.id, username: user.username, name: user.username, team_id: double.teamId },
    api_app_id: 'A0VIGIE',
    token: 'verification-token',
    container: { type: 'view', view_id: stored.id },
    trigger_id: `trigger-${randomUUID()}`,
    team: { id: double.teamId, domain: 'vigie' },
    is_enterprise_install: false,
    view: viewPayload(stored, inputs),
    actions: [{ action_ts: String(Date.now() / 1000), ...action }],
  };
}

export function viewSubmission(double: SlackDouble, stored: StoredView, inputs: ViewInputs, user: SlackUser = DEFAULT_USER): Json {
  return {
    type: 'view_submission',
    team: { id: double.teamId, domain: 'vigie' },
    user: { id: user.id, username: user.username, name: user.username, team_id: double.teamId },
    api_app_id: 'A0VIGIE',
    token: 'verification-token',
    trigger_id: `trigger-${randomUUID()}`,
    is_enterprise_install: false,
    view: viewPayload(stored, inputs),
    response_urls: [],
  };
}
