/**
 * Slack's Block Kit limits, checked the way the real API would refuse a payload (`invalid_blocks`).
 * Independent of the adapter's own constants on purpose: a test of the adapter against its own
 * numbers could not fail.
 */
type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const textOf = (v: unknown): string => (isObject(v) && typeof v.text === 'string' ? v.text : '');

export function blockKitViolations(payload: { text?: unknown; blocks?: unknown }, maxBlocks = 50): string[] {
  const problems: string[] = [];
  if (typeof payload.text === 'string' && payload.text.length > 40_000) problems.push(`text: ${payload.text.length} > 40000`);
  const blocks = Array.isArray(payload.blocks) ? payload.blocks : [];
  if (blocks.length > maxBlocks) problems.push(`blocks: ${blocks.length} > ${maxBlocks}`);
  const ids = new Set<string>();
  blocks.forEach((block, i) => {
    if (!isObject(block)) {
      problems.push(`blocks[${i}]: not an object`);
      return;
    }
    const at = `blocks[${i}](${String(block.type)})`;
    if (typeof block.block_id === 'string') {
      if (block.block_id.length > 255) problems.push(`${at}.block_id > 255`);
      if (ids.has(block.block_id)) problems.push(`${at}.block_id duplicate`);
      ids.add(block.block_id);
    }
    const max = (what: string, value: string, limit: number) => {
      if (value.length > limit) problems.push(`${at}.${what}: ${value.length} > ${limit}`);
      if (value.length === 0) problems.push(`${at}.${what}: empty`);
    };
    if (block.type === 'header') max('text', textOf(block.text), 150);
    if (block.type === 'section') {
      if (block.text !== undefined) max('text', textOf(block.text), 3_000);
      if (Array.isArray(block.fields) && block.fields.length > 10) problems.push(`${at}.fields > 10`);
      if (isObject(block.accessory)) checkElement(block.accessory, `${at}.accessory`, problems);
    }
    if (block.type === 'context') {
      const elements = Array.isArray(block.elements) ? block.elements : [];
      if (elements.length > 10) problems.push(`${at}.elements: ${elements.length} > 10`);
      elements.forEach((e, j) => {
        max(`elements[${j}]`, textOf(e), 3_000);
      });
    }
    if (block.type === 'actions') {
      const elements = Array.isArray(block.elements) ? block.elements : [];
      if (elements.length > 25) problems.push(`${at}.elements: ${elements.length} > 25`);
      const actionIds = new Set<string>();
      elements.forEach((e, j) => {
        if (!isObject(e)) return;
        if (typeof e.action_id === 'string') {
          if (actionIds.has(e.action_id)) problems.push(`${at}.elements[${j}].action_id duplicate`);
          actionIds.add(e.action_id);
        }
        checkElement(e, `${at}.elements[${j}]`, problems);
      });
    }
    if (block.type === 'input' && isObject(block.label)) max('label', textOf(block.label), 2_000);
  });
  return problems;
}

function checkElement(e: Json, at: string, problems: string[]): void {
  const limit = (what: string, value: string, max: number) => {
    if (value.length > max) problems.push(`${at}.${what}: ${value.length} > ${max}`);
  };
  if (typeof e.action_id === 'string') limit('action_id', e.action_id, 255);
  if (e.type === 'button') {
    limit('text', textOf(e.text), 75);
    if (typeof e.value === 'string') limit('value', e.value, 2_000);
    if (typeof e.url === 'string') limit('url', e.url, 3_000);
  }
  if (e.type === 'static_select' || e.type === 'overflow') {
    if (isObject(e.placeholder)) limit('placeholder', textOf(e.placeholder), 150);
    const groups = Array.isArray(e.option_groups) ? e.option_groups : [];
    const options = [...(Array.isArray(e.options) ? e.options : []), ...groups.flatMap((g) => (isObject(g) && Array.isArray(g.options) ? g.options : []))];
    if (options.length === 0) problems.push(`${at}: no options`);
    if (options.length > (e.type === 'overflow' ? 5 : 100)) problems.push(`${at}.options: ${options.length} too many`);
    if (groups.length > 100) problems.push(`${at}.option_groups > 100`);
    groups.forEach((g, k) => {
      if (isObject(g)) limit(`option_groups[${k}].label`, textOf(g.label), 75);
    });
    options.forEach((o, k) => {
      if (!isObject(o)) return;
      limit(`options[${k}].text`, textOf(o.text), 75);
      if (typeof o.value === 'string') limit(`options[${k}].value`, o.value, 150);
    });
  }
}

/** True when a raw Slack payload would notify people: broadcast, user, group or channel mentions. */
export function slackWouldPing(raw: string): boolean {
  return /<!(channel|here|everyone|subteam\^)|<@[UWB]|<#C|"link_names":\s*(true|1)|"parse":\s*"full"/i.test(raw);
}
