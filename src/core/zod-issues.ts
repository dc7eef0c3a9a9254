import type { z } from 'zod';

/** Renders zod issues as `teams[2].id: required` lines, the form every boundary reports. */
export function formatIssuePath(path: ReadonlyArray<PropertyKey>): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out === '' ? String(part) : `.${String(part)}`;
  }
  return out === '' ? '(root)' : out;
}

export function describeIssue(issue: z.core.$ZodIssue): string {
  if (issue.code === 'invalid_type' && (issue as { input?: unknown }).input === undefined) {
    return `${formatIssuePath(issue.path)}: required`;
  }
  return `${formatIssuePath(issue.path)}: ${issue.message}`;
}

export function describeIssues(error: z.ZodError): string[] {
  return error.issues.map(describeIssue);
}
