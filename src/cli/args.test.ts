import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { closest, editDistance, parseCommandArgs, unknownCommand, UsageError } from './args.ts';

describe('editDistance', () => {
  // Reference values: the classic Levenshtein examples.
  const cases: [string, string, number][] = [
    ['', '', 0],
    ['', 'abc', 3],
    ['kitten', 'sitting', 3],
    ['flaw', 'lawn', 2],
    ['saturday', 'sunday', 3],
    ['from', 'frm', 1],
    ['config', 'confgi', 2],
  ];
  for (const [a, b, d] of cases) it(`${a || '""'} → ${b || '""'} is ${d}`, () => assert.equal(editDistance(a, b), d));
});

describe('closest', () => {
  const commands = ['run', 'once', 'backtest', 'check-config', 'promote', 'demo', 'healthcheck'];
  const cases: [string, readonly string[], string | undefined][] = [
    ['chek-config', commands, 'check-config'],
    ['onse', commands, 'once'],
    ['backtets', commands, 'backtest'],
    ['Once', commands, 'once'],
    ['check', commands, 'check-config'],
    ['deploy', commands, undefined],
    ['x', commands, undefined],
    ['frm', ['config', 'from', 'to', 'step'], 'from'],
    ['dryrun', ['config', 'dry-run', 'json'], 'dry-run'],
    ['failondrift', ['fail-on-drift'], 'fail-on-drift'],
    ['verbose', ['config', 'fail-on-drift'], undefined],
  ];
  for (const [typed, known, expected] of cases) it(`${typed} → ${expected ?? 'nothing'}`, () => assert.equal(closest(typed, known), expected));
});

describe('parseCommandArgs', () => {
  const options = {
    config: { type: 'string', short: 'c' },
    from: { type: 'string' },
    json: { type: 'boolean', default: false },
    set: { type: 'string', multiple: true, default: [] as string[] },
  } as const;
  const ok: [string, string[], Record<string, unknown>][] = [
    ['long and short names', ['-c', 'a.yaml', '--from', '2026-01-01'], { config: 'a.yaml', from: '2026-01-01', json: false, set: [] }],
    ['inline values', ['--config=a.yaml', '--json'], { config: 'a.yaml', json: true, set: [] }],
    ['repeated multiple', ['--set', 'a=1', '--set', 'b=2'], { json: false, set: ['a=1', 'b=2'] }],
    ['the same value twice', ['--config', 'a.yaml', '--config', 'a.yaml'], { config: 'a.yaml', json: false, set: [] }],
  ];
  for (const [name, args, values] of ok) it(`reads ${name}`, () => assert.deepEqual(parseCommandArgs('backtest', args, options).values, values));

  const bad: [string, string[], RegExp][] = [
    ['an unknown option, with the near one', ['--frm', 'x'], /^unknown option --frm for backtest; did you mean --from\?$/],
    ['an unknown option, nothing near', ['--zzzzzz'], /^unknown option --zzzzzz for backtest$/],
    ['an unknown short flag', ['-z'], /^unknown option -z for backtest$/],
    ['a value missing at the end', ['--config'], /^--config needs a value \(backtest --config FILE\)$/],
    ['an option taken for a value', ['--config', '--json'], /^--config needs a value/],
    ['a value on a flag', ['--json=yes'], /^--json takes no value \(got "yes"\)$/],
    ['two different values', ['--config', 'a.yaml', '--config', 'b.yaml'], /^--config is given twice \(a\.yaml, b\.yaml\)$/],
    ['a bare config file', ['a.yaml'], /^backtest takes no bare arguments, got "a\.yaml"; did you mean --config a\.yaml\?$/],
  ];
  for (const [name, args, message] of bad) {
    it(`refuses ${name}`, () =>
      assert.throws(
        () => parseCommandArgs('backtest', args, options),
        (err: unknown) => err instanceof UsageError && message.test(err.message),
      ));
  }

  it('takes as many bare arguments as the command allows', () => {
    assert.deepEqual(parseCommandArgs('check-config', ['a.yaml', '--json'], options, 1).positionals, ['a.yaml']);
    assert.throws(() => parseCommandArgs('check-config', ['a.yaml', 'b.yaml'], options, 1), /at most 1, got "b\.yaml"/);
  });

  it('names the nearest command', () => {
    assert.equal(unknownCommand('chek-config', ['once', 'check-config']).message, 'unknown command "chek-config"; did you mean check-config?');
    assert.equal(unknownCommand('frobnicate', ['once', 'check-config']).message, 'unknown command "frobnicate"');
  });
});
