import type { Notice, NoticeSection } from '../../../src/chat/card.js';
import { ActionId, BUTTON_VALUE_MAX, BlockId } from './action-ids.js';
import { type Block, LEVEL_EMOJI, SlackLimits } from './block-kit.js';
import { defuseMrkdwn, escapeSlack, fitText, mrkdwn, plain, safeUrl } from './escape.js';
import type { RenderedMessage } from './card-blocks.js';

/** Renders a notice (thread note, digest, storm list, checklist…) within Slack's limits. */
export function renderNotice(notice: Notice): RenderedMessage {
  const emoji = notice.level ? `${LEVEL_EMOJI[notice.level]} ` : '';
  const header: Block = { type: 'header', text: plain(`${emoji}${notice.title}`, SlackLimits.headerText, { emoji: true }) };
  const footer: Block[] = notice.footer ? [{ type: 'context', elements: [plain(notice.footer, SlackLimits.contextText)] }] : [];
  // Deliberate pings come from the configuration (escalation to a lead group), never from outside text:
  // only well-formed ids are rendered as mentions.
  const pings = (notice.ping ?? []).filter((id) => /^[SUW][A-Z0-9]{2,20}$/.test(id)).slice(0, 10);
  const pingBlock: Block[] = pings.length
    ? [{ type: 'section', text: { type: 'mrkdwn', text: pings.map((id) => (id.startsWith('S') ? `<!subteam^${id}>` : `<@${id}>`)).join(' ') } }]
    : [];
  const actions = buttonBlocks(notice);

  const budget = SlackLimits.blocksPerMessage - 1 - footer.length - actions.length - pingBlock.length;
  let body = notice.sections.flatMap(sectionBlocks);
  if (body.length > budget) {
    const dropped = body.length - (budget - 1);
    body = [...body.slice(0, budget - 1), { type: 'context', elements: [plain(`… (+${dropped})`, SlackLimits.contextText)] }];
  }

  const flat = [notice.title, ...notice.sections.flatMap((s) => [s.heading ?? '', ...s.lines])].filter(Boolean).join('\n');
  return { text: fitText(flat, 3_000), blocks: [header, ...pingBlock, ...body, ...footer, ...actions] };
}

function sectionBlocks(section: NoticeSection): Block[] {
  const blocks: Block[] = [];
  if (section.heading) blocks.push({ type: 'section', text: mrkdwn(`*${defuseMrkdwn(section.heading)}*`, SlackLimits.sectionText) });
  // Long sections are split over several blocks rather than cut, as long as the block budget allows.
  let chunk: string[] = [];
  let size = 0;
  const flush = () => {
    if (chunk.length > 0) blocks.push({ type: 'section', text: plain(chunk.join('\n'), SlackLimits.sectionText) });
    chunk = [];
    size = 0;
  };
  for (const line of section.lines) {
    const length = escapeSlack(line).length + 1;
    if (size + length > SlackLimits.sectionText && chunk.length > 0) flush();
    chunk.push(line);
    size += length;
  }
  flush();
  const links = (section.links ?? [])
    .map((link) => {
      const url = safeUrl(link.url);
      // `|` and `>` end Slack's link syntax: the URL is percent-encoded, the label escaped and defused.
      return url ? `<${url.replace(/\|/g, '%7C')}|${defuseMrkdwn(link.label).replace(/\|/g, '¦')}>` : defuseMrkdwn(link.label);
    })
    .join('  ·  ');
  if (links) blocks.push({ type: 'section', text: mrkdwn(links, SlackLimits.sectionText) });
  return blocks;
}

function buttonBlocks(notice: Notice): Block[] {
  const buttons = (notice.buttons ?? [])
    .map((button, index) => ({
      type: 'button',
      action_id: `${ActionId.noticePrefix}${index}`,
      text: plain(button.label, SlackLimits.buttonText),
      value: button.id,
    }))
    .filter((b) => b.value.length > 0 && b.value.length <= BUTTON_VALUE_MAX);
  const blocks: Block[] = [];
  // At most two rows of buttons: a notice is not a control panel, and the block budget is shared.
  for (let i = 0; i < buttons.length && blocks.length < 2; i += SlackLimits.elementsPerActions) {
    blocks.push({ type: 'actions', block_id: `${BlockId.noticeActions}_${blocks.length}`, elements: buttons.slice(i, i + SlackLimits.elementsPerActions) });
  }
  return blocks;
}
