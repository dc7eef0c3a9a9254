import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { afterEach, describe, expect, it } from 'vitest';
import { registerEngineCommands } from '../../src/cli/engine-commands.js';

async function run(args: string[]) {
  let stdout = '';
  let stderr = '';
  const program = new Command().exitOverride();
  registerEngineCommands(program, { stdout: { write: (s: string) => (stdout += s) }, stderr: { write: (s: string) => (stderr += s) } });
  await program.parseAsync(args, { from: 'user' });
  const exitCode = process.exitCode;
  process.exitCode = undefined;
  return { stdout, stderr, exitCode };
}

async function tempFile(name: string, content: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'vigie-engine-'));
  const path = join(dir, name);
  await writeFile(path, content);
  return path;
}

const line = (id: string, text: string) =>
  JSON.stringify({ source: 'twitter', id, text, createdAt: '2026-11-28T08:00:00Z', author: { id: 'a', handle: 'a', followers: 10 } });

afterEach(() => {
  process.exitCode = undefined;
});

describe('vigie score', () => {
  it('prints one JSON line per mention in input order, and a summary on stderr', async () => {
    const file = await tempFile('m.jsonl', [line('1', 'Alerte à la bombe à Roissy, le terminal 2E est évacué'), line('2', 'Ce concert était une bombe'), ''].join('\n'));
    const { stdout, stderr, exitCode } = await run(['score', file]);
    const out = stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(out.map((o) => [o.id, o.level])).toEqual([
      ['1', 'critical'],
      ['2', 'none'],
    ]);
    expect(Object.keys(out[0])).toEqual(['id', 'score', 'level', 'rules', 'reasons', 'cluster']);
    expect(out[0].rules).toContain('security/bomb-alert');
    expect(stderr).toContain('scored 2 mentions');
    expect(stderr).toMatch(/levels: none 1 · watch 0 · high 0 · critical 1/);
    expect(stderr).toContain('clusters: 2');
    expect(exitCode).toBeUndefined();
  });

  it('groups as the running bot would: the accounts of the configuration it would start with', async () => {
    const file = await tempFile(
      'm.jsonl',
      [line('1', 'Alerte à la bombe à Roissy, le terminal 2E est évacué'), line('2', 'on parle d une bombe à CDG ?? quelqu un confirme'), ''].join('\n'),
    );
    const clusters = (stdout: string) => stdout.trim().split('\n').map((l) => JSON.parse(l).cluster as string);
    // No --config and no vigie.config.yaml here: the bundled example, whose airport account claims both.
    const example = clusters((await run(['score', file])).stdout);
    expect(example[1]).toBe(example[0]);
    const bare = await tempFile('vigie.config.yaml', 'accounts: []\n');
    const none = clusters((await run(['score', file, '--config', bare])).stdout);
    expect(none[1]).not.toBe(none[0]);
  });

  it('reports invalid lines with their number and field, and skips them', async () => {
    const file = await tempFile('m.jsonl', [line('1', 'retard'), '{not json', JSON.stringify({ source: 'twitter', id: '3', text: 'x', createdAt: '2026-11-28T08:00:00Z' }), line('4', 'panne')].join('\n'));
    const { stdout, stderr } = await run(['score', file]);
    expect(stdout.trim().split('\n')).toHaveLength(2);
    expect(stderr).toContain('line 2: not JSON');
    expect(stderr).toContain('line 3: author: required');
    expect(stderr).toContain('2 invalid lines skipped');
  });

  it('takes the rules and risk from a config file, the pack path relative to it', async () => {
    const pack = await tempFile('pack.yaml', 'rules:\n  - {id: custom, category: safety, weight: 40, query: licorne}\n');
    const config = join(pack, '..', 'vigie.config.yaml');
    await writeFile(config, 'organisation: {name: Test}\nrules: ./pack.yaml\nrisk:\n  levels: {watch: 10, high: 30, critical: 90}\n');
    const file = await tempFile('m.jsonl', line('1', 'une licorne sur le quai'));
    // Rules alone: what the bundled model makes of a unicorn is not what this test is about.
    const { stdout } = await run(['score', file, '--config', config, '--no-model']);
    expect(JSON.parse(stdout)).toMatchObject({ level: 'high', rules: ['safety/custom'] });
  });

  it('compares its levels with the labels of lines that carry one, leaving convention lines and unlabelled ones out', async () => {
    const labelled = (id: string, text: string, expected: string, expectedBy?: string) => JSON.stringify({ ...JSON.parse(line(id, text)), expected, ...(expectedBy ? { expectedBy } : {}) });
    const file = await tempFile(
      'm.jsonl',
      [
        labelled('1', 'Alerte à la bombe à Roissy, le terminal 2E est évacué', 'critical'),
        labelled('2', 'Ce concert était une bombe', 'none'),
        labelled('3', 'une dame fait un malaise sur le quai', 'critical'),
        labelled('4', 'bravo pour les nouveaux bancs', 'watch'),
        labelled('5', 'encore 40 minutes de retard sur la ligne 4', 'none'),
        labelled('6', 'Incendie au terminal 2E', 'none', 'convention'),
        line('7', 'retard'),
      ].join('\n'),
    );
    const { stdout, stderr } = await run(['score', file, '--no-model']);
    const got = stdout.trim().split('\n').map((l) => JSON.parse(l) as { id: string; level: string });
    const level = (id: string) => got.find((o) => o.id === id)!.level;
    expect(Object.keys(got[0]!)).toEqual(['id', 'score', 'level', 'rules', 'reasons', 'cluster']);
    // What the figures must say, from the levels printed above (6 and 7 are not counted).
    const highOrMore = ['1', '3'].filter((id) => ['high', 'critical'].includes(level(id))).length;
    const human = ['1', '3', '4'].filter((id) => level(id) !== 'none').length;
    const flagged = ['2', '5'].filter((id) => level(id) !== 'none').length;
    expect(level('5')).not.toBe('none');
    expect(stderr).toContain(
      `against the 5 labelled lines: critical at high or above ${(highOrMore / 2).toFixed(3)} (${highOrMore}/2), needing a human at watch or above ${(human / 3).toFixed(3)} (${human}/3), quiet ones flagged ${(flagged / 2).toFixed(3)} (${flagged}/2)`,
    );
    expect(stderr).toContain(`expected none → none ${['2', '5'].filter((id) => level(id) === 'none').length}`);
    // Without labels, no such lines.
    const plain = await tempFile('p.jsonl', line('1', 'retard'));
    expect((await run(['score', plain])).stderr).not.toContain('labelled');
  });

  it('fails with a clear message on a missing file', async () => {
    const { stderr, exitCode } = await run(['score', '/nope/missing.jsonl']);
    expect(stderr).toContain('missing.jsonl');
    expect(exitCode).toBe(1);
  });
});

describe('vigie rules', () => {
  it('checks the bundled pack', async () => {
    const { stdout, exitCode } = await run(['rules', 'check', new URL('../../rules/default.yaml', import.meta.url).pathname]);
    expect(stdout).toMatch(/\d+ rules in \d+ categories, all queries parse/);
    expect(exitCode).toBeUndefined();
  });

  it('reports a broken pack with the rule and a caret, and exits 1', async () => {
    const pack = await tempFile('bad.yaml', 'rules:\n  - id: oops\n    category: security\n    weight: 50\n    query: (bombe OR\n');
    const { stderr, exitCode } = await run(['rules', 'check', pack]);
    expect(stderr).toContain('rule "oops"');
    expect(stderr).toContain('^');
    expect(exitCode).toBe(1);
  });

  it('explains what a query matched', async () => {
    const { stdout } = await run(['rules', 'explain', '(colis OR bagage) NEAR/3 suspect NOT exercice', 'Un COLIS très suspect au quai']);
    expect(stdout).toContain('text: un colis tres suspect au quai');
    expect(stdout).toContain('✓ colis   ← "colis"');
    expect(stdout.trim().endsWith('MATCH')).toBe(true);
  });

  it('explains a rule of a pack by its id, with its lists', async () => {
    const { stdout } = await run(['rules', 'explain', 'bomb-alert', 'Ce concert était une bombe', '--rules', new URL('../../rules/default.yaml', import.meta.url).pathname]);
    expect(stdout.trim().endsWith('NO MATCH')).toBe(true);
  });
});
