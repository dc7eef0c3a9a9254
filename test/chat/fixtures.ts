import type { Card, Notice } from '../../src/chat/card.js';

/** A plausible card: a bomb-alert rumour at Roissy, open, with every action offered. */
export function sampleCard(overrides: Partial<Card> = {}): Card {
  return {
    ticketId: 42,
    version: 3,
    locale: 'en',
    level: 'critical',
    category: 'security',
    score: 88,
    text: 'Alerte à la bombe à Roissy ?? tout le terminal 2E est évacué',
    url: 'https://x.com/jdupont/status/1800000000000000001',
    author: { handle: 'jdupont', name: 'J. Dupont', followers: 8200, source: 'twitter' },
    account: '@ParisAeroport',
    accountLabel: 'Paris Aéroport',
    reasons: ['rule security/bomb (+60)', 'author reach 8k (+5)', '14 similar in 10 min (+15)'],
    similarCount: 14,
    trend: [0, 1, 3, 8, 14],
    status: 'open',
    team: null,
    lastDecision: null,
    notices: ['consider not replying'],
    teams: [
      { id: 'passengers', label: 'Passengers' },
      { id: 'field', label: 'Field ambassadors' },
      { id: 'crisis', label: 'Crisis & press' },
    ],
    templates: [{ id: 'airline-contact', label: 'Contact the airline' }],
    ignoreReasons: [
      { id: 'off-topic', label: 'Off-topic' },
      { id: 'troll', label: 'Troll / politicised (Streisand risk)' },
      { id: 'duplicate', label: 'Duplicate' },
      { id: 'handled', label: 'Already handled' },
    ],
    actions: ['assign', 'reply', 'ignore', 'author'],
    ...overrides,
  };
}

/** The card after Camille assigned it to the passengers team. */
export function assignedCard(overrides: Partial<Card> = {}): Card {
  return sampleCard({
    version: 4,
    status: 'assigned',
    team: { id: 'passengers', label: 'Passengers' },
    lastDecision: {
      action: 'assign',
      actorId: 'U0CAMILLE',
      actorName: 'Camille Martin',
      platform: 'slack',
      at: new Date('2026-11-28T08:05:00Z'),
      detail: 'Passengers',
    },
    actions: ['reply', 'ignore', 'author', 'resolve'],
    ...overrides,
  });
}

export function sampleNotice(overrides: Partial<Notice> = {}): Notice {
  return {
    title: 'Assigned to Passengers',
    sections: [{ lines: ['Camille Martin assigned this card at 09:05.'] }],
    ...overrides,
  };
}

/** Outside text that tries every ping and markup trick we know of (Slack and Discord). */
export const HOSTILE_TEXT = [
  'Roissy <!channel> <!here> <!everyone> @channel @here @everyone',
  '<@U0123ABCD> <#C0123ABCD> <!subteam^S0123ABCD> <!date^1392734382^{date}|x>',
  '<https://evil.example/phish|innocent.example> *bold* _it_ ~strike~ `code` ```block```',
  '<@123456789012345678> <@!123456789012345678> <@&123456789012345678> [link](https://evil.example)',
  '&amp; &lt; &gt; > quote',
].join('\n');
