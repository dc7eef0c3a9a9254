import { z } from 'zod';

/** Button ids of crisis and hold notices: built and parsed here only, never retyped elsewhere. */
export const ButtonPrefix = { crisis: 'crisis', hold: 'hold' } as const;
export const HOLD_CHOICES = ['postpone', 'keep'] as const;
export type HoldChoice = (typeof HOLD_CHOICES)[number];

export function checklistButtonId(crisisId: number, stepId: string): string {
  return `${ButtonPrefix.crisis}:${crisisId}:step:${stepId}`;
}

export function holdButtonId(postId: string, choice: HoldChoice): string {
  return `${ButtonPrefix.hold}:${postId}:${choice}`;
}

const stepButton = z.object({ crisisId: z.coerce.number().int().positive(), stepId: z.string().regex(/^[a-z0-9][a-z0-9_-]*$/) });

/** Button values come back from the chat platform: validated like any input. */
export function parseChecklistButton(id: string): { crisisId: number; stepId: string } | null {
  const m = /^crisis:(\d{1,9}):step:([^:]{1,100})$/.exec(id);
  if (!m) return null;
  const parsed = stepButton.safeParse({ crisisId: m[1], stepId: m[2] });
  return parsed.success ? parsed.data : null;
}

/** Post ids from ICS files may contain `:` or `@` (UIDs), so the choice is read from the end. */
export function parseHoldButton(id: string): { postId: string; choice: HoldChoice } | null {
  const m = /^hold:(.{1,200}):(postpone|keep)$/s.exec(id);
  if (!m || /[\u0000-\u001f]/.test(m[1]!)) return null;
  return { postId: m[1]!, choice: m[2] as HoldChoice };
}
