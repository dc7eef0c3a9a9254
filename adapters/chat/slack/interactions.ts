import type { App } from '@slack/bolt';
import { z } from 'zod';
import type { Locale } from '../../../src/chat/card.js';
import type { ActionResult, Actor, ChatInbound, ChatReply, MessageRef } from '../../../src/chat/port.js';
import type { Logger } from '../../../src/ops/logger.js';
import {
  ActionId,
  CallbackId,
  BlockId,
  type ReplyMetadata,
  assignValueSchema,
  buttonValueSchema,
  ignoreValueSchema,
  parseValue,
  replyMetadataSchema,
} from './action-ids.js';
import { fitText } from './escape.js';
import { messagesFor } from './messages.js';
import { renderNotice } from './notice-blocks.js';
import { fillView, loadingView, messageView, previewErrors, templatesView, variableBlockId } from './reply-modal.js';

/** What the listeners need from the platform; kept small so they stay testable through Bolt alone. */
export interface InteractionDeps {
  inbound: () => ChatInbound | null;
  groupsOf: (userId: string) => Promise<string[]>;
  botUserId: string;
  locale: Locale;
  logger: Logger;
  /** How long a view submission waits for the core's preview before acknowledging anyway. */
  submitPreviewTimeoutMs: number;
}

// ---- Payload shapes we read (zod at the boundary: Slack sends much more; we keep what we use). ----

const user = z.looseObject({ id: z.string().min(1), username: z.string().optional(), name: z.string().optional() });
const actionSchema = z.looseObject({
  action_id: z.string(),
  value: z.string().nullish(),
  selected_option: z.looseObject({ value: z.string() }).nullish(),
});
const viewSchema = z.looseObject({
  id: z.string(),
  hash: z.string().optional(),
  private_metadata: z.string().optional(),
  state: z
    .looseObject({
      values: z.record(
        z.string(),
        z.record(z.string(), z.looseObject({ value: z.string().nullish(), selected_option: z.looseObject({ value: z.string() }).nullish() })),
      ),
    })
    .optional(),
});
const blockActionsSchema = z.looseObject({
  user,
  trigger_id: z.string().optional(),
  channel: z.looseObject({ id: z.string() }).optional(),
  message: z.looseObject({ ts: z.string(), thread_ts: z.string().optional() }).optional(),
  view: viewSchema.optional(),
  actions: z.array(actionSchema).min(1),
});
type BlockActions = z.infer<typeof blockActionsSchema>;
const viewSubmissionSchema = z.looseObject({ user, view: viewSchema });
const commandSchema = z.looseObject({
  command: z.string().min(2),
  text: z.string().default(''),
  user_id: z.string().min(1),
  user_name: z.string().optional(),
  channel_id: z.string().min(1),
});
const threadMessageSchema = z.looseObject({
  type: z.literal('message'),
  subtype: z.string().optional(),
  bot_id: z.string().optional(),
  user: z.string().min(1),
  channel: z.string().min(1),
  text: z.string(),
  ts: z.string(),
  thread_ts: z.string().optional(),
  parent_user_id: z.string().optional(),
});
const reactionSchema = z.looseObject({
  user: z.string().min(1),
  reaction: z.string().min(1),
  item_user: z.string().optional(),
  item: z.looseObject({ type: z.literal('message'), channel: z.string(), ts: z.string() }),
});

type Respond = (message: Record<string, unknown>) => Promise<unknown>;

/** Registers every listener. Each one acknowledges first, then calls the core: Slack allows 3 s. */
export function registerInteractions(app: App, deps: InteractionDeps): void {
  const m = messagesFor(deps.locale);
  const log = deps.logger;

  const actorOf = async (u: z.infer<typeof user>): Promise<Actor> => ({
    platform: 'slack',
    id: u.id,
    name: u.username ?? u.name ?? u.id,
    groups: await deps.groupsOf(u.id),
  });
  const core = (): ChatInbound => {
    const inbound = deps.inbound();
    if (!inbound) throw new Error('slack: interaction before start()');
    return inbound;
  };

  /** A private answer: only the clicker sees it, and it mentions nobody. */
  const privately = async (respond: Respond | undefined, text: string) => {
    if (!respond) return;
    await respond({ response_type: 'ephemeral', replace_original: false, text: fitText(text, 3_000) });
  };
  const answerReply = async (respond: Respond | undefined, reply: ChatReply) => {
    if (!respond) return;
    const rendered = renderNotice(reply.notice);
    await respond({
      response_type: reply.visibility === 'channel' ? 'in_channel' : 'ephemeral',
      replace_original: false,
      text: rendered.text,
      blocks: rendered.blocks,
    });
  };
  const answerResult = async (respond: Respond | undefined, result: ActionResult | null) => {
    // "ok" needs no answer: the core updates the card in place and notes the decision in its thread.
    if (result && result.status !== 'ok') await privately(respond, result.message);
  };
  /** Never lets an exception escape to Bolt (which would log a stack and maybe answer with it). */
  const guard = async (what: string, respond: Respond | undefined, work: () => Promise<void>) => {
    try {
      await work();
    } catch (err) {
      log.error({ err, what }, 'slack: handling an interaction failed');
      await privately(respond, m.apology).catch((e: unknown) => log.warn({ err: e }, 'slack: apology not delivered'));
    }
  };

  // ---- Card actions ----

  const cardAction = (actionId: string, handle: (body: BlockActions, action: z.infer<typeof actionSchema>, actor: Actor, respond: Respond | undefined, client: App['client']) => Promise<void>) => {
    app.action(actionId, async (args) => {
      await args.ack();
      const respond = 'respond' in args ? (args.respond as Respond) : undefined;
      await guard(actionId, respond, async () => {
        const body = blockActionsSchema.safeParse(args.body);
        const action = body.success ? body.data.actions.find((a) => a.action_id === actionId) : undefined;
        if (!body.success || !action) {
          log.warn({ actionId }, 'slack: malformed block_actions payload');
          await privately(respond, m.invalidAction);
          return;
        }
        await handle(body.data, action, await actorOf(body.data.user), respond, args.client);
      });
    });
  };

  const simple = (actionId: string, kind: 'resolve' | 'reopen') =>
    cardAction(actionId, async (_body, action, actor, respond) => {
      const v = parseValue(buttonValueSchema, action.value);
      if (!v) return privately(respond, m.invalidAction);
      await answerResult(respond, await core().act({ ticketId: v.t, version: v.v, actor, action: { kind } }));
    });
  simple(ActionId.resolve, 'resolve');
  simple(ActionId.reopen, 'reopen');

  cardAction(ActionId.assign, async (_body, action, actor, respond) => {
    const v = parseValue(assignValueSchema, action.selected_option?.value);
    if (!v) return privately(respond, m.invalidAction);
    await answerResult(respond, await core().act({ ticketId: v.t, version: v.v, actor, action: { kind: 'assign', teamId: v.team } }));
  });

  cardAction(ActionId.ignore, async (_body, action, actor, respond) => {
    const v = parseValue(ignoreValueSchema, action.selected_option?.value);
    if (!v) return privately(respond, m.invalidAction);
    const ignore = v.s === undefined ? { kind: 'ignore' as const, reason: v.r } : { kind: 'ignore' as const, reason: v.r, snoozeMinutes: v.s };
    await answerResult(respond, await core().act({ ticketId: v.t, version: v.v, actor, action: ignore }));
  });

  cardAction(ActionId.author, async (_body, action, actor, respond) => {
    const v = parseValue(buttonValueSchema, action.value);
    if (!v) return privately(respond, m.invalidAction);
    await answerReply(respond, await core().author(v.t, actor));
  });

  cardAction(ActionId.reply, async (body, action, actor, respond, client) => {
    const v = parseValue(buttonValueSchema, action.value);
    const channel = body.channel?.id;
    if (!v || !channel || !body.trigger_id) return privately(respond, m.invalidAction);
    const meta: ReplyMetadata = { t: v.t, v: v.v, c: channel, locale: deps.locale };
    // The trigger id expires 3 s after the click: open first, ask the core second.
    const opened = await client.views.open({ trigger_id: body.trigger_id, view: loadingView(meta) as never });
    const viewId = opened.view?.id;
    const options = await core().replyOptions(v.t, actor);
    if (!viewId) return;
    const view = options ? templatesView(meta, options.templates) : messageView(meta, m.invalidAction);
    await client.views.update({ view_id: viewId, view: view as never });
  });

  app.action(ActionId.openLink, async ({ ack }) => {
    await ack();
  });

  // ---- Reply modal steps ----

  const modalState = (body: BlockActions | z.infer<typeof viewSubmissionSchema>) => {
    const view = body.view;
    if (!view) return null;
    const meta = parseValue(replyMetadataSchema, view.private_metadata);
    if (!meta) return null;
    const values = view.state?.values ?? {};
    const variables: Record<string, string> = {};
    (meta.vars ?? []).forEach((name, index) => {
      variables[name] = values[variableBlockId(index)]?.[ActionId.replyVariable]?.value ?? '';
    });
    const picked = values[BlockId.replyTemplate]?.[ActionId.replyTemplate]?.selected_option?.value;
    return { view, meta, variables, picked };
  };

  app.action(ActionId.replyTemplate, async (args) => {
    await args.ack();
    await guard(ActionId.replyTemplate, undefined, async () => {
      const body = blockActionsSchema.parse(args.body);
      const state = modalState(body);
      const picked = body.actions[0]?.selected_option?.value;
      if (!state || !picked) return;
      const actor = await actorOf(body.user);
      const options = await core().replyOptions(state.meta.t, actor);
      const template = options?.templates.find((t) => t.id === picked);
      if (!options || !template) return;
      const defaults = Object.fromEntries(template.variables.map((variable) => [variable.name, variable.value]));
      const preview = await core().previewReply(state.meta.t, template.id, defaults);
      const view = fillView(state.meta, options.templates, template, defaults, preview);
      await args.client.views.update({ view_id: state.view.id, view: view as never });
    });
  });

  app.action(ActionId.replyVariable, async (args) => {
    await args.ack();
    await guard(ActionId.replyVariable, undefined, async () => {
      const body = blockActionsSchema.parse(args.body);
      const state = modalState(body);
      if (!state?.meta.tpl) return;
      const actor = await actorOf(body.user);
      const options = await core().replyOptions(state.meta.t, actor);
      const template = options?.templates.find((t) => t.id === state.meta.tpl);
      if (!options || !template) return;
      const preview = await core().previewReply(state.meta.t, template.id, state.variables);
      const view = fillView(state.meta, options.templates, template, state.variables, preview);
      // The hash makes Slack refuse an update built from an older state than the one on screen.
      const update = state.view.hash ? { view_id: state.view.id, hash: state.view.hash } : { view_id: state.view.id };
      await args.client.views.update({ ...update, view: view as never }).catch((err: unknown) => {
        log.debug({ err }, 'slack: preview update skipped (a newer one won)');
      });
    });
  });

  app.view(CallbackId.replyModal, async (args) => {
    const body = viewSubmissionSchema.safeParse(args.body);
    const state = body.success ? modalState(body.data) : null;
    if (!body.success || !state?.meta.tpl) {
      await args.ack();
      log.warn('slack: reply modal submitted without a template or with bad metadata');
      return;
    }
    const { meta, variables } = state;
    const tpl = meta.tpl;
    if (tpl === undefined) return;
    // Validation errors can only be shown through the acknowledgement, so this one call to the core
    // happens before ack, bounded so that Slack's 3 s are never missed.
    const preview = await withTimeout(core().previewReply(meta.t, tpl, variables), deps.submitPreviewTimeoutMs).catch(
      (err: unknown): null => {
        log.warn({ err }, 'slack: preview before submission failed');
        return null;
      },
    );
    const errors = preview ? previewErrors(meta, preview) : null;
    if (errors) {
      await args.ack({ response_action: 'errors', errors });
      return;
    }
    await args.ack();
    const u = body.data.user;
    await guard('reply submission', undefined, async () => {
      const actor = await actorOf(u);
      const finalText = preview?.ok ? { finalText: preview.text } : {};
      const result = await core().act({
        ticketId: meta.t,
        version: meta.v,
        actor,
        action: { kind: 'reply', templateId: tpl, variables, ...finalText },
      });
      if (result.status !== 'ok') {
        await args.client.chat.postEphemeral({ channel: meta.c, user: u.id, text: fitText(result.message, 3_000) });
      }
    });
  });

  // ---- Notice buttons ----

  app.action(new RegExp(`^${ActionId.noticePrefix}\\d+$`), async (args) => {
    await args.ack();
    const respond = 'respond' in args ? (args.respond as Respond) : undefined;
    await guard('notice button', respond, async () => {
      const body = blockActionsSchema.parse(args.body);
      const buttonId = body.actions[0]?.value;
      const channel = body.channel?.id;
      if (!buttonId || !channel || !body.message) return privately(respond, m.invalidAction);
      const ref: MessageRef = { platform: 'slack', channel, messageId: body.message.ts, threadId: body.message.thread_ts ?? body.message.ts };
      const reply = await core().button(buttonId, await actorOf(body.user), ref);
      if (reply) await answerReply(respond, reply);
    });
  });

  // ---- Commands ----

  for (const command of ['/vigie', '/crisis']) {
    app.command(command, async (args) => {
      await args.ack();
      const respond = args.respond as Respond;
      await guard(command, respond, async () => {
        const body = commandSchema.parse(args.body);
        const actor = await actorOf({ id: body.user_id, ...(body.user_name ? { username: body.user_name } : {}) });
        const reply = await core().command({ actor, command: body.command.slice(1), text: body.text.trim(), channel: body.channel_id });
        await answerReply(respond, reply);
      });
    });
  }

  // ---- Events: thread notes and reactions ----

  app.event('message', async ({ event }) => {
    const parsed = threadMessageSchema.safeParse(event);
    if (!parsed.success) return;
    const msg = parsed.data;
    // Only human replies in a thread: no edits/joins (subtype), no bots, not the parent itself, and
    // only under our own messages when Slack tells us whose the parent is.
    if (msg.subtype !== undefined || msg.bot_id !== undefined) return;
    if (msg.thread_ts === undefined || msg.thread_ts === msg.ts) return;
    if (msg.parent_user_id !== undefined && msg.parent_user_id !== deps.botUserId) return;
    await guard('thread reply', undefined, async () => {
      const ref: MessageRef = { platform: 'slack', channel: msg.channel, messageId: msg.thread_ts ?? msg.ts, threadId: msg.thread_ts ?? null };
      await core().threadReply(ref, await actorOf({ id: msg.user }), msg.text);
    });
  });

  app.event('reaction_added', async ({ event, client }) => {
    const parsed = reactionSchema.safeParse(event);
    if (!parsed.success) return;
    const r = parsed.data;
    if (r.item_user !== undefined && r.item_user !== deps.botUserId) return;
    await guard('reaction', undefined, async () => {
      const ref: MessageRef = { platform: 'slack', channel: r.item.channel, messageId: r.item.ts, threadId: r.item.ts };
      const result = await core().reaction(ref, await actorOf({ id: r.user }), r.reaction);
      if (result && result.status !== 'ok') {
        await client.chat.postEphemeral({ channel: r.item.channel, user: r.user, text: fitText(result.message, 3_000) });
      }
    });
  });

  app.error(async (err) => {
    log.error({ err }, 'slack: unhandled Bolt error');
  });
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (err: unknown) => {
        clearTimeout(timer);
        reject(err);
      },
    );
  });
}
