import type { Locale } from '../../../src/chat/card.js';
import type { ReplyPreview, TemplateChoice } from '../../../src/chat/port.js';
import { ActionId, BlockId, CallbackId, type ReplyMetadata } from './action-ids.js';
import { type Block, SlackLimits } from './block-kit.js';
import { fitText, plain } from './escape.js';
import { messagesFor } from './messages.js';

/** A modal view as sent to views.open / views.update. */
export interface ModalView {
  type: 'modal';
  callback_id: string;
  title: ReturnType<typeof plain>;
  close: ReturnType<typeof plain>;
  submit?: ReturnType<typeof plain>;
  private_metadata: string;
  blocks: Block[];
}

function shell(meta: ReplyMetadata, blocks: Block[], submit: boolean): ModalView {
  const m = messagesFor(meta.locale);
  const view: ModalView = {
    type: 'modal',
    callback_id: CallbackId.replyModal,
    title: plain(m.replyTitle, SlackLimits.viewTitle),
    close: plain(m.cancel, SlackLimits.viewTitle),
    private_metadata: JSON.stringify(meta),
    blocks: blocks.slice(0, SlackLimits.blocksPerView),
  };
  if (submit) view.submit = plain(m.replySubmit, SlackLimits.viewTitle);
  return view;
}

/** Opened at once with the trigger id (valid 3 s), before asking the core for the templates. */
export function loadingView(meta: ReplyMetadata): ModalView {
  return shell(meta, [{ type: 'section', text: plain(messagesFor(meta.locale).loading, SlackLimits.sectionText) }], false);
}

export function messageView(meta: ReplyMetadata, text: string): ModalView {
  return shell(meta, [{ type: 'section', text: plain(text, SlackLimits.sectionText) }], false);
}

function templateSelect(locale: Locale | undefined, templates: TemplateChoice[], picked?: TemplateChoice): Block {
  const m = messagesFor(locale);
  const option = (t: TemplateChoice) => ({
    text: plain(t.stale ? `${t.label} (${m.staleTemplate})` : t.label, SlackLimits.optionText),
    value: t.id.slice(0, 150),
  });
  const select: Record<string, unknown> = {
    type: 'static_select',
    action_id: ActionId.replyTemplate,
    placeholder: plain(m.pickTemplatePlaceholder, SlackLimits.placeholderText),
    options: templates.slice(0, SlackLimits.optionsPerSelect).map(option),
  };
  if (picked) select.initial_option = option(picked);
  return {
    type: 'section',
    block_id: BlockId.replyTemplate,
    text: plain(m.pickTemplate, SlackLimits.sectionText),
    accessory: select,
  };
}

/** Step 1: the templates the core offers for this ticket. */
export function templatesView(meta: ReplyMetadata, templates: TemplateChoice[]): ModalView {
  if (templates.length === 0) return messageView(meta, messagesFor(meta.locale).noTemplates);
  return shell(meta, [templateSelect(meta.locale, templates)], false);
}

export function variableBlockId(index: number): string {
  return `${BlockId.replyVariablePrefix}${index}`;
}

/**
 * Step 2: the variables as inputs pre-filled with the core's values, and the final text. Each input
 * dispatches its changes, so the preview follows the typing (views.update keeps what was typed in
 * blocks whose ids do not change).
 */
export function fillView(
  meta: ReplyMetadata,
  templates: TemplateChoice[],
  template: TemplateChoice,
  values: Record<string, string>,
  preview: ReplyPreview,
): ModalView {
  const m = messagesFor(meta.locale);
  const inputs: Block[] = template.variables.slice(0, 90).map((variable, index) => {
    const element: Record<string, unknown> = {
      type: 'plain_text_input',
      action_id: ActionId.replyVariable,
      dispatch_action_config: { trigger_actions_on: ['on_enter_pressed', 'on_character_entered'] },
      max_length: SlackLimits.textInput,
    };
    const initial = values[variable.name] ?? variable.value;
    if (initial !== '') element.initial_value = initial.slice(0, SlackLimits.textInput);
    return {
      type: 'input',
      block_id: variableBlockId(index),
      dispatch_action: true,
      optional: true,
      label: plain(variable.label || variable.name, SlackLimits.inputLabel),
      element,
    };
  });
  const previewText = preview.ok ? preview.text : `${m.previewFailed} : ${preview.message}`;
  const lengthLine = preview.ok ? m.lengthOf(preview.length, preview.maxLength) : ' ';
  return shell(
    { ...meta, tpl: template.id, vars: template.variables.slice(0, 90).map((v) => v.name) },
    [
      templateSelect(meta.locale, templates, template),
      ...inputs,
      { type: 'section', block_id: BlockId.replyPreview, text: plain(`${m.preview} :\n${previewText}`, SlackLimits.sectionText) },
      { type: 'context', elements: [plain(lengthLine, SlackLimits.contextText)] },
    ],
    true,
  );
}

/** Errors for `response_action: errors`, keyed by the input blocks of the fields at fault. */
export function previewErrors(meta: ReplyMetadata, preview: ReplyPreview): Record<string, string> | null {
  const names = meta.vars ?? [];
  if (names.length === 0) return null;
  const m = messagesFor(meta.locale);
  const first = variableBlockId(0);
  if (!preview.ok) {
    const errors: Record<string, string> = {};
    for (const name of preview.missing) {
      const index = names.indexOf(name);
      if (index !== -1) errors[variableBlockId(index)] = fitText(preview.message, 150);
    }
    if (Object.keys(errors).length === 0) errors[first] = fitText(preview.message, 150);
    return errors;
  }
  if (preview.maxLength !== null && preview.length > preview.maxLength) return { [first]: m.tooLong(preview.maxLength) };
  return null;
}
