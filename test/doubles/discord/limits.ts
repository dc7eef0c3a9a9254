/**
 * Discord's limits, checked independently of the adapter's own renderer (a test that reused the code
 * under test to check it could not fail). Sources: discord.com/developers/docs/resources/message
 * (embed limits) and /components/reference. Returns the broken rules in words; empty when all is well.
 */

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string => (typeof v === 'string' ? v : '');
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

export function embedViolations(embeds: unknown[]): string[] {
  const out: string[] = [];
  if (embeds.length > 10) out.push(`${embeds.length} embeds (max 10)`);
  let total = 0;
  embeds.forEach((e, i) => {
    if (!isObject(e)) return;
    const title = str(e.title);
    const description = str(e.description);
    const footer = isObject(e.footer) ? str(e.footer.text) : '';
    const author = isObject(e.author) ? str(e.author.name) : '';
    if (title.length > 256) out.push(`embed ${i}: title ${title.length} > 256`);
    if (description.length > 4_096) out.push(`embed ${i}: description ${description.length} > 4096`);
    if (footer.length > 2_048) out.push(`embed ${i}: footer ${footer.length} > 2048`);
    if (author.length > 256) out.push(`embed ${i}: author ${author.length} > 256`);
    const fields = arr(e.fields);
    if (fields.length > 25) out.push(`embed ${i}: ${fields.length} fields > 25`);
    total += title.length + description.length + footer.length + author.length;
    fields.forEach((f, j) => {
      if (!isObject(f)) return;
      const name = str(f.name);
      const value = str(f.value);
      if (name.length === 0 || name.length > 256) out.push(`embed ${i} field ${j}: name length ${name.length} (1..256)`);
      if (value.length === 0 || value.length > 1_024) out.push(`embed ${i} field ${j}: value length ${value.length} (1..1024)`);
      total += name.length + value.length;
    });
    if (typeof e.url === 'string' && !/^https?:\/\//.test(e.url)) out.push(`embed ${i}: url not http(s)`);
  });
  if (total > 6_000) out.push(`embeds total ${total} > 6000`);
  return out;
}

export function componentViolations(components: unknown[]): string[] {
  const out: string[] = [];
  if (components.length > 5) out.push(`${components.length} action rows (max 5)`);
  const ids = new Set<string>();
  components.forEach((rowValue, r) => {
    if (!isObject(rowValue) || rowValue.type !== 1) {
      out.push(`row ${r}: not an action row`);
      return;
    }
    const items = arr(rowValue.components);
    if (items.length === 0) out.push(`row ${r}: empty`);
    const selects = items.filter((c) => isObject(c) && c.type === 3);
    if (selects.length > 0 && items.length > 1) out.push(`row ${r}: a select must be alone in its row`);
    if (items.length > 5) out.push(`row ${r}: ${items.length} buttons (max 5)`);
    items.forEach((c, k) => {
      if (!isObject(c)) return;
      const where = `row ${r} item ${k}`;
      if (c.type === 2) {
        const labelText = str(c.label);
        if (labelText.length === 0 || labelText.length > 80) out.push(`${where}: button label length ${labelText.length} (1..80)`);
        if (c.style === 5) {
          if (!/^https?:\/\//.test(str(c.url)) || str(c.url).length > 512) out.push(`${where}: link button needs an http(s) url ≤ 512`);
          return;
        }
      }
      const id = str(c.custom_id);
      if (id.length === 0 || id.length > 100) out.push(`${where}: custom_id length ${id.length} (1..100)`);
      if (ids.has(id)) out.push(`${where}: duplicate custom_id ${id}`);
      ids.add(id);
      if (c.type === 3) {
        const options = arr(c.options);
        if (options.length === 0 || options.length > 25) out.push(`${where}: ${options.length} options (1..25)`);
        if (str(c.placeholder).length > 150) out.push(`${where}: placeholder > 150`);
        const values = new Set<string>();
        options.forEach((o, n) => {
          if (!isObject(o)) return;
          const l = str(o.label);
          const v = str(o.value);
          if (l.length === 0 || l.length > 100) out.push(`${where} option ${n}: label length ${l.length} (1..100)`);
          if (v.length === 0 || v.length > 100) out.push(`${where} option ${n}: value length ${v.length} (1..100)`);
          if (str(o.description).length > 100) out.push(`${where} option ${n}: description > 100`);
          if (values.has(v)) out.push(`${where}: duplicate option value ${v}`);
          values.add(v);
        });
      }
    });
  });
  return out;
}

/** A message body (create, edit, interaction message, follow-up). */
export function messageViolations(body: Json): string[] {
  const out: string[] = [];
  const content = str(body.content);
  if (content.length > 2_000) out.push(`content ${content.length} > 2000`);
  if (typeof body.nonce === 'string' && body.nonce.length > 25) out.push('nonce > 25');
  out.push(...embedViolations(arr(body.embeds)), ...componentViolations(arr(body.components)));
  return out;
}

export function modalViolations(data: Json): string[] {
  const out: string[] = [];
  const title = str(data.title);
  if (title.length === 0 || title.length > 45) out.push(`modal title length ${title.length} (1..45)`);
  const id = str(data.custom_id);
  if (id.length === 0 || id.length > 100) out.push(`modal custom_id length ${id.length}`);
  const components = arr(data.components);
  if (components.length === 0 || components.length > 5) out.push(`modal has ${components.length} components (1..5)`);
  for (const c of components) {
    if (!isObject(c)) continue;
    const input = c.type === 18 && isObject(c.component) ? c.component : c.type === 1 ? arr(c.components)[0] : null;
    const labelText = c.type === 18 ? str(c.label) : isObject(input) ? str(input.label) : '';
    if (labelText.length === 0 || labelText.length > 45) out.push(`text input label length ${labelText.length} (1..45)`);
    if (isObject(input) && str(input.value).length > 4_000) out.push('text input value > 4000');
    if (isObject(input) && (str(input.custom_id).length === 0 || str(input.custom_id).length > 100)) out.push('text input custom_id length');
  }
  return out;
}

const MENTION = /@(everyone|here)\b|<@[!&]?\d+>|<#\d+>/;

function texts(value: unknown, out: string[] = []): string[] {
  if (typeof value === 'string') out.push(value);
  else if (Array.isArray(value)) for (const v of value) texts(v, out);
  else if (isObject(value)) for (const [k, v] of Object.entries(value)) if (k !== 'allowed_mentions') texts(v, out);
  return out;
}

/**
 * True when a message payload would notify someone: it lacks `allowed_mentions: { parse: [] }` (no
 * users or roles listed either), or any of its text still holds a live mention (second layer).
 */
export function discordWouldPing(raw: string): boolean {
  let body: unknown;
  try {
    body = JSON.parse(raw);
  } catch {
    return MENTION.test(raw);
  }
  if (!isObject(body)) return false;
  const message = isObject(body.data) && 'type' in body ? body.data : body;
  const allowed = message.allowed_mentions;
  const safe =
    isObject(allowed) && Array.isArray(allowed.parse) && allowed.parse.length === 0 && arr(allowed.users).length === 0 && arr(allowed.roles).length === 0;
  return !safe || texts(message).some((t) => MENTION.test(t));
}
