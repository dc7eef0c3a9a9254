import type { AppCore, WorkflowPlugin } from './create-app.js';

/** The human workflow on top of the spine: templates, author profiles, escalation, crisis, digest. */
export function createWorkflow(_core: AppCore): WorkflowPlugin {
  return { hooks: {} };
}
