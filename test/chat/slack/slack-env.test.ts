import { describe, expect, it } from 'vitest';
import { parseSlackEnv } from '../../../adapters/chat/slack/slack-env.js';
import { escapeSlack, fitText, truncate } from '../../../adapters/chat/slack/escape.js';

describe('Slack environment', () => {
  it('defaults to Socket Mode and normalises the API URL', () => {
    const env = parseSlackEnv({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_APP_TOKEN: 'xapp-1', SLACK_API_URL: 'http://127.0.0.1:4000/api' });
    expect(env).toMatchObject({ SLACK_MODE: 'socket', SLACK_API_URL: 'http://127.0.0.1:4000/api/' });
  });

  it('names each missing or malformed variable', () => {
    expect(() => parseSlackEnv({ SLACK_BOT_TOKEN: 'xoxp-user' })).toThrow(/SLACK_BOT_TOKEN: must be a bot token.*SLACK_APP_TOKEN: required when SLACK_MODE is socket/);
    expect(() => parseSlackEnv({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_MODE: 'http' })).toThrow(/SLACK_SIGNING_SECRET: required when SLACK_MODE is http/);
    expect(() => parseSlackEnv({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_APP_TOKEN: 'xapp-1', SLACK_API_URL: 'ftp://x' })).toThrow(/SLACK_API_URL/);
  });
});

describe('Slack escaping', () => {
  it('escapes the three control characters and cuts without breaking an entity', () => {
    expect(escapeSlack('<!here> & <@U1>')).toBe('&lt;!here&gt; &amp; &lt;@U1&gt;');
    const cut = fitText(`${'a'.repeat(8)}<b`, 12);
    expect(cut.length).toBeLessThanOrEqual(12);
    expect(cut).toBe(`${'a'.repeat(8)}…`);
    expect(truncate('😀😀😀', 4)).toBe('😀…');
  });
});
