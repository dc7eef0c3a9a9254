import { z } from 'zod';

/** One reply template ("élément de langage") as written in a YAML file of the library. */

const slug = z.string().regex(/^[a-z0-9][a-z0-9_-]*$/, 'lowercase letters, digits, "-" or "_"');

/** YAML 1.2 reads `2026-10-01` as a string, but a quoted or JS-made value may be a Date: take both. */
const day = z.union([z.date(), z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date as YYYY-MM-DD')]).transform((value, ctx) => {
  const date = value instanceof Date ? value : new Date(`${value}T00:00:00Z`);
  if (Number.isNaN(date.getTime())) {
    ctx.addIssue({ code: 'custom', message: 'not a real date' });
    return z.NEVER;
  }
  return date;
});

/** `{{ name }}` placeholders: letters, digits and `_`, optional spaces inside the braces. */
export const PLACEHOLDER = /\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/g;

export function placeholdersOf(body: string): string[] {
  return [...new Set([...body.matchAll(PLACEHOLDER)].map((m) => m[1]!))];
}

const variable = z.strictObject({
  name: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'letters, digits or "_"'),
  label: z.string().min(1),
  default: z.string().optional(),
});

export const templateSchema = z
  .strictObject({
    id: slug,
    title: z.string().min(1),
    /** Rule category the template answers (security, disruption, praise…). */
    category: slug,
    language: z.enum(['fr', 'en']),
    body: z.string().trim().min(1),
    variables: z.array(variable).default([]),
    /** Who answers for the wording: reviews it and is asked when in doubt. */
    owner: z.string().min(1),
    version: z.number().int().positive(),
    reviewedAt: day,
    reviewEveryDays: z.number().int().positive().default(90),
    /** Past this many days after the review, the template can no longer be approved. */
    hardLimitDays: z.number().int().positive().default(180),
    /** Whom the user should turn to (the airline, the prefecture…), shown beside the template. */
    contact: z.string().min(1).optional(),
    /** Site keys (config accounts' `site`) the template fits; empty means every site. */
    sites: z.array(slug).default([]),
  })
  .superRefine((t, ctx) => {
    if (t.hardLimitDays < t.reviewEveryDays) {
      ctx.addIssue({ code: 'custom', path: ['hardLimitDays'], message: `must be at least reviewEveryDays (${t.reviewEveryDays})` });
    }
    const declared = new Set<string>();
    t.variables.forEach((v, i) => {
      if (declared.has(v.name)) ctx.addIssue({ code: 'custom', path: ['variables', i, 'name'], message: `duplicate variable "${v.name}"` });
      declared.add(v.name);
    });
    for (const name of placeholdersOf(t.body)) {
      if (!declared.has(name)) ctx.addIssue({ code: 'custom', path: ['body'], message: `uses {{${name}}} which is not declared in variables` });
    }
  });

export type ReplyTemplate = z.output<typeof templateSchema>;
export type TemplateVariable = ReplyTemplate['variables'][number];

/** A file holds one template or a list of them; chosen by shape so errors point inside the right one. */
export const templateListSchema = z.array(templateSchema);
