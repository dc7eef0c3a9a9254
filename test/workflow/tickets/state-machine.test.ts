import { describe, expect, it } from 'vitest';
import { TICKET_STATUSES, type TicketStatus } from '../../../src/chat/card.js';
import type { Actor } from '../../../src/chat/port.js';
import type { Level } from '../../../src/core/levels.js';
import { type ActionContext, applyAction, refusalMessage, type TicketAction, type TicketState } from '../../../src/tickets/index.js';

const now = new Date('2026-11-28T09:00:00Z');
const camille: Actor = { platform: 'slack', id: 'U1', name: 'Camille', groups: ['S0CELLULE'] };
const karim: Actor = { platform: 'slack', id: 'U2', name: 'Karim', groups: ['S0CELLULE'] };
const intern: Actor = { platform: 'slack', id: 'U3', name: 'Intern', groups: [] };
const permissions = { approveReply: { slack: ['S0CELLULE'] }, ignoreCritical: { slack: ['S0CELLULE'] } };

function ticket(status: TicketStatus, level: Level = 'high', extra: Partial<TicketState> = {}): TicketState {
  return { status, level, version: 4, team: status === 'open' ? null : 'passengers', ...extra };
}
function ctx(actor: Actor = camille, extra: Partial<ActionContext> = {}): ActionContext {
  return { actor, now, teams: ['passengers', 'field', 'crisis'], permissions, ...extra };
}
const reply = { templateId: 'metro-delay-breakdown-fr', templateVersion: 5, freshness: 'fresh' as const, text: 'Bonjour, le trafic reprend.' };

/** The documented table, written out again: the machine must agree on all 35 cells. */
const EXPECTED: Record<TicketStatus, Record<string, TicketStatus | null>> = {
  open: { assign: 'assigned', reply: 'replied', 'draft-reply': 'open', ignore: 'ignored', resolve: 'resolved', reopen: null },
  assigned: { assign: 'assigned', reply: 'replied', 'draft-reply': 'assigned', ignore: 'ignored', resolve: 'resolved', reopen: null },
  replied: { assign: null, reply: null, 'draft-reply': null, ignore: null, resolve: 'resolved', reopen: 'open' },
  ignored: { assign: null, reply: null, 'draft-reply': null, ignore: null, resolve: 'resolved', reopen: 'open' },
  resolved: { assign: null, reply: null, 'draft-reply': null, ignore: null, resolve: null, reopen: 'open' },
};
const ACTIONS: Record<string, TicketAction> = {
  assign: { kind: 'assign', teamId: 'field' },
  reply: { kind: 'reply', ...reply },
  'draft-reply': { kind: 'draft-reply', ...reply },
  ignore: { kind: 'ignore', reason: 'off-topic' },
  resolve: { kind: 'resolve' },
  reopen: { kind: 'reopen' },
};

describe('applyAction: the transition table', () => {
  for (const from of TICKET_STATUSES) {
    for (const [name, action] of Object.entries(ACTIONS)) {
      const expected = EXPECTED[from][name];
      it(`${from} + ${name} → ${expected ?? 'refused'}`, () => {
        const result = applyAction(ticket(from), action, ctx());
        if (expected === null) {
          expect(result).toEqual({ ok: false, refusal: { code: 'invalid-transition', status: from, detail: from } });
        } else {
          expect(result.ok).toBe(true);
          if (result.ok) {
            expect(result.status).toBe(expected);
            expect(result.patch.version).toBe(5);
            expect(result.decision).toMatchObject({ action: name, actorId: 'U1', actorName: 'Camille', platform: 'slack', at: now });
            expect(result.cancelEscalations).toBe(true);
          }
        }
      });
    }
  }
  it('approve-reply without a draft is refused whatever the status allows', () => {
    expect(applyAction(ticket('open'), { kind: 'approve-reply', freshness: 'fresh' }, ctx())).toEqual({ ok: false, refusal: { code: 'no-draft' } });
  });
});

describe('applyAction: decisions and their payloads', () => {
  it('assigns, records the team and who took it, and marks the first decision', () => {
    const r = applyAction(ticket('open'), { kind: 'assign', teamId: 'field' }, ctx());
    expect(r).toMatchObject({ ok: true, patch: { status: 'assigned', team: 'field', assigneeName: 'Camille', firstDecisionAt: now, lastDecisionAt: now }, decision: { payload: { teamId: 'field' } } });
  });
  it('keeps the first decision time on later decisions and records a reassignment', () => {
    const first = new Date('2026-11-28T08:00:00Z');
    const r = applyAction(ticket('assigned', 'high', { firstDecisionAt: first }), { kind: 'assign', teamId: 'crisis' }, ctx());
    expect(r.ok && r.patch.firstDecisionAt).toBe(undefined);
    expect(r.ok && r.decision.payload).toEqual({ teamId: 'crisis', fromTeam: 'passengers' });
  });
  it('refuses an unknown team and a reassignment to the same team', () => {
    expect(applyAction(ticket('open'), { kind: 'assign', teamId: 'nope' }, ctx())).toMatchObject({ ok: false, refusal: { code: 'unknown-team', detail: 'nope' } });
    expect(applyAction(ticket('assigned'), { kind: 'assign', teamId: 'passengers' }, ctx())).toMatchObject({ ok: false, refusal: { code: 'no-change' } });
  });
  it('refuses a click made on an older version of the card', () => {
    expect(applyAction(ticket('open'), { kind: 'resolve' }, ctx(camille, { expectedVersion: 3 }))).toEqual({ ok: false, refusal: { code: 'stale-version', status: 'open', version: 4 } });
    expect(applyAction(ticket('open'), { kind: 'resolve' }, ctx(camille, { expectedVersion: 4 })).ok).toBe(true);
  });
  it('ignores with a reason and a snooze, and rejects silly snoozes', () => {
    const r = applyAction(ticket('open'), { kind: 'ignore', reason: 'troll', snoozeMinutes: 120 }, ctx());
    expect(r).toMatchObject({ ok: true, patch: { status: 'ignored', snoozeUntil: new Date('2026-11-28T11:00:00Z') }, decision: { payload: { reason: 'troll', snoozeMinutes: 120 } } });
    for (const snoozeMinutes of [0, -5, 1.5, 7 * 24 * 60 + 1]) {
      expect(applyAction(ticket('open'), { kind: 'ignore', reason: 'troll', snoozeMinutes }, ctx())).toMatchObject({ ok: false, refusal: { code: 'invalid-snooze' } });
    }
  });
  it('reopens to open, keeps the team and lifts the snooze', () => {
    const r = applyAction(ticket('ignored', 'high', { team: 'field' }), { kind: 'reopen' }, ctx());
    expect(r).toMatchObject({ ok: true, patch: { status: 'open', snoozeUntil: null, pendingReply: null }, decision: { payload: { from: 'ignored' } } });
    expect(r.ok && 'team' in r.patch).toBe(false);
  });
  it('replies directly on a high ticket outside a crisis, with the template and the edit', () => {
    const r = applyAction(ticket('assigned'), { kind: 'reply', ...reply, edit: { summary: '+"Merci"' } }, ctx());
    expect(r).toMatchObject({ ok: true, status: 'replied', decision: { action: 'reply', payload: { templateId: reply.templateId, templateVersion: 5, text: reply.text, edit: { summary: '+"Merci"' } } } });
  });
  it('refuses an empty reply and an expired template, allows a due one', () => {
    expect(applyAction(ticket('open'), { kind: 'reply', ...reply, text: '  ' }, ctx())).toMatchObject({ ok: false, refusal: { code: 'empty-reply' } });
    expect(applyAction(ticket('open'), { kind: 'reply', ...reply, freshness: 'expired' }, ctx())).toMatchObject({ ok: false, refusal: { code: 'template-expired', detail: reply.templateId } });
    expect(applyAction(ticket('open'), { kind: 'reply', ...reply, freshness: 'due' }, ctx()).ok).toBe(true);
  });
});

describe('applyAction: two-person approval', () => {
  function draftOn(t: TicketState, by: Actor, crisisOpen = false) {
    const r = applyAction(t, { kind: 'reply', ...reply }, ctx(by, { crisisOpen }));
    if (!r.ok) throw new Error(r.refusal.code);
    return { ...t, status: r.status, version: r.patch.version, pendingReply: r.patch.pendingReply ?? null };
  }

  it('turns the first reply on a critical ticket into a draft that keeps the status', () => {
    const r = applyAction(ticket('open', 'critical'), { kind: 'reply', ...reply }, ctx(intern));
    expect(r).toMatchObject({ ok: true, status: 'open', decision: { action: 'draft-reply', payload: { text: reply.text } }, patch: { pendingReply: { byId: 'U3', byName: 'Intern', text: reply.text, at: now.toISOString() } } });
  });
  it('lets another person approve it and refuses it to the drafter', () => {
    const drafted = draftOn(ticket('open', 'critical'), karim);
    expect(applyAction(drafted, { kind: 'reply', ...reply }, ctx(karim))).toEqual({ ok: false, refusal: { code: 'same-drafter', detail: 'Karim' } });
    expect(applyAction(drafted, { kind: 'approve-reply', freshness: 'fresh' }, ctx(karim))).toMatchObject({ ok: false, refusal: { code: 'same-drafter' } });
    const r = applyAction(drafted, { kind: 'approve-reply', freshness: 'fresh' }, ctx(camille));
    expect(r).toMatchObject({ ok: true, status: 'replied', patch: { pendingReply: null, version: 6 }, decision: { action: 'approve-reply', payload: { text: reply.text, draftedBy: 'Karim', editedOnApproval: false } } });
  });
  it('the same person on another platform is another account, so not the drafter', () => {
    const drafted = draftOn(ticket('open', 'critical'), karim);
    expect(applyAction(drafted, { kind: 'approve-reply', freshness: 'fresh' }, ctx({ ...karim, platform: 'console', groups: [] })).ok).toBe(true);
  });
  it('records an approver edit against the draft', () => {
    const drafted = draftOn(ticket('open', 'critical'), karim);
    const r = applyAction(drafted, { kind: 'approve-reply', freshness: 'fresh', text: 'Bonjour, le trafic reprend progressivement.', edit: 'e' }, ctx(camille));
    expect(r).toMatchObject({ ok: true, decision: { payload: { text: 'Bonjour, le trafic reprend progressivement.', editedOnApproval: true, edit: 'e' } } });
  });
  it('requires two persons on a high ticket while a crisis is open', () => {
    const r = applyAction(ticket('assigned', 'high'), { kind: 'reply', ...reply }, ctx(camille, { crisisOpen: true }));
    expect(r).toMatchObject({ ok: true, status: 'assigned', decision: { action: 'draft-reply' } });
  });
  it('anyone may draft, but approving needs the approveReply audience', () => {
    const drafted = draftOn(ticket('open', 'critical'), intern);
    expect(drafted.pendingReply?.byName).toBe('Intern');
    expect(applyAction(drafted, { kind: 'reply', ...reply }, ctx({ ...intern, id: 'U4', name: 'Other intern' }))).toEqual({ ok: false, refusal: { code: 'forbidden', permission: 'approveReply', detail: 'approveReply' } });
    expect(applyAction(ticket('open'), { kind: 'reply', ...reply }, ctx(intern))).toMatchObject({ ok: false, refusal: { code: 'forbidden' } });
  });
  it('refuses to approve a draft whose template expired in the meantime', () => {
    const drafted = draftOn(ticket('open', 'critical'), karim);
    expect(applyAction(drafted, { kind: 'approve-reply', freshness: 'expired' }, ctx(camille))).toMatchObject({ ok: false, refusal: { code: 'template-expired', detail: reply.templateId } });
  });
  it('a new draft replaces the pending one; ignoring discards it', () => {
    const drafted = draftOn(ticket('open', 'critical'), karim);
    const again = applyAction(drafted, { kind: 'draft-reply', ...reply, text: 'Autre texte' }, ctx(intern));
    expect(again).toMatchObject({ ok: true, decision: { action: 'draft-reply', payload: { replacesDraftBy: 'Karim' } }, patch: { pendingReply: { byName: 'Intern', text: 'Autre texte' } } });
    expect(applyAction(drafted, { kind: 'ignore', reason: 'handled' }, ctx(camille))).toMatchObject({ ok: true, patch: { pendingReply: null } });
  });
  it('ignoring a critical ticket needs the ignoreCritical audience; a high one does not', () => {
    expect(applyAction(ticket('open', 'critical'), { kind: 'ignore', reason: 'troll' }, ctx(intern))).toMatchObject({ ok: false, refusal: { code: 'forbidden', permission: 'ignoreCritical' } });
    expect(applyAction(ticket('open', 'high'), { kind: 'ignore', reason: 'troll' }, ctx(intern)).ok).toBe(true);
  });
  it('without configured permissions everyone may approve, but still not their own draft', () => {
    const drafted = draftOn(ticket('open', 'critical'), intern);
    expect(applyAction(drafted, { kind: 'reply', ...reply }, ctx(intern, { permissions: undefined })).ok).toBe(false);
    expect(applyAction(drafted, { kind: 'reply', ...reply }, ctx({ ...intern, id: 'U9' }, { permissions: undefined })).ok).toBe(true);
  });
});

describe('refusalMessage', () => {
  it('speaks French and English, with the details', () => {
    expect(refusalMessage({ code: 'same-drafter' }, 'fr')).toMatch(/autre personne/);
    expect(refusalMessage({ code: 'invalid-transition', status: 'resolved' }, 'en')).toBe('Not possible while the ticket is "resolved".');
    expect(refusalMessage({ code: 'template-expired', detail: 'x-fr' }, 'fr')).toContain('« x-fr »');
  });
});
