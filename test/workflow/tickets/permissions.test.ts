import { describe, expect, it } from 'vitest';
import { type GuardedAction, isAllowed, mayDo, permissionFor } from '../../../src/tickets/index.js';

describe('permissionFor', () => {
  it('maps each action to its audience key', () => {
    const table: Array<[GuardedAction, 'high' | 'critical', string | null]> = [
      ['approve-reply', 'high', 'approveReply'],
      ['reply', 'high', 'approveReply'],
      ['draft-reply', 'critical', null],
      ['ignore', 'high', null],
      ['ignore', 'critical', 'ignoreCritical'],
      ['assign', 'critical', null],
      ['resolve', 'critical', null],
      ['reopen', 'critical', null],
      ['crisis-open', 'high', 'crisis'],
      ['crisis-update', 'high', 'crisis'],
      ['crisis-relay', 'high', 'crisis'],
      ['crisis-close', 'high', 'crisis'],
      ['crisis-tick', 'high', 'crisis'],
      ['hold-choice', 'high', 'crisis'],
      ['crisis-status', 'high', null],
    ];
    for (const [action, level, key] of table) expect([action, level, permissionFor(action, level)]).toEqual([action, level, key]);
  });
});

describe('isAllowed', () => {
  const audience = { slack: ['S0CELLULE', 'U42'], discord: ['200'] };
  it('lets everyone in when the audience or the platform list is absent or empty', () => {
    expect(isAllowed(undefined, { platform: 'slack', id: 'U1' })).toBe(true);
    expect(isAllowed(audience, { platform: 'console', id: 'me' })).toBe(true);
    expect(isAllowed({ slack: [] }, { platform: 'slack', id: 'U1' })).toBe(true);
  });
  it('matches the user id, a group, or "*"', () => {
    expect(isAllowed(audience, { platform: 'slack', id: 'U42' })).toBe(true);
    expect(isAllowed(audience, { platform: 'slack', id: 'U1', groups: ['S0CELLULE'] })).toBe(true);
    expect(isAllowed(audience, { platform: 'slack', id: 'U1', groups: ['S0OTHER'] })).toBe(false);
    expect(isAllowed(audience, { platform: 'discord', id: 'U42' })).toBe(false);
    expect(isAllowed({ slack: ['*'] }, { platform: 'slack', id: 'anyone' })).toBe(true);
  });
  it('mayDo combines both', () => {
    expect(mayDo({ crisis: { slack: ['S1'] } }, 'crisis-open', 'none', { platform: 'slack', id: 'U1' })).toBe(false);
    expect(mayDo({ crisis: { slack: ['S1'] } }, 'crisis-status', 'none', { platform: 'slack', id: 'U1' })).toBe(true);
    expect(mayDo(undefined, 'crisis-open', 'none', { platform: 'slack', id: 'U1' })).toBe(true);
  });
});
