// Defect 6: any flag may come before the command (`fs --count 3 create …`), and a word that is no
// command is answered in fs's error style with a suggestion and exit 2, never by a raw oclif
// "command deploy:web:x.service not found". The same through the help cache's fast path.
import { describe, expect, it } from 'vitest';
import { cliIsBuilt, parseJsonDoc, runCli } from './helpers/run-cli.js';
import { simForTests, webUnit } from './helpers/sim.js';

describe.runIf(cliIsBuilt())('the command line: flags before the command, unknown commands', () => {
  const sim = simForTests('tcp');

  it('accepts command flags before the command, with values, =values and booleans', async () => {
    const file = sim.t.unitFile('web.service', webUnit('v1'));
    const run = await runCli(['--count', '2', '--max-surge=1', '--force', '--json', 'create', 'web', file], {
      env: sim.env,
    });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(parseJsonDoc(run)).toMatchObject({
      ok: true,
      result: { outcome: 'succeeded', added: ['web@1.service', 'web@2.service'] },
    });
  });

  it('answers an unknown command with a suggestion and exit 2', async () => {
    const run = await runCli(['deploy', 'web', 'x.service'], { env: sim.env });
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toBe(
      '✖ unknown command "deploy"\nhint: did you mean create? (fs create --help); fs --help lists every command\n',
    );
  });

  it('answers a typo after flags, and after `help`, the same way', async () => {
    for (const args of [
      ['--count', '3', 'crate', 'web', 'x.service'],
      ['help', 'crate'],
      ['crate', '--help'],
      ['--help', 'crate'],
    ]) {
      const run = await runCli(args, { env: sim.env });
      expect(run.code, args.join(' ')).toBe(2);
      expect(run.stderr).toMatch(/^✖ unknown command "crate"\nhint: did you mean create\?/);
      expect(run.stderr).not.toMatch(/not found/);
    }
  });

  it('with --json: the error document on stdout', async () => {
    const run = await runCli(['--json', 'deploy', 'web'], { env: sim.env });
    expect(run.code).toBe(2);
    expect(parseJsonDoc(run)).toMatchObject({
      ok: false,
      exitCode: 2,
      error: {
        code: 'ERR_USAGE',
        message: 'unknown command "deploy"',
        hint: expect.stringMatching(/create/),
      },
    });
  });

  it('flags with no command: a usage error, exit 2', async () => {
    const run = await runCli(['--count', '3'], { env: sim.env });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^✖ no command given\n/);
  });

  it('help for a command with flags before it goes through oclif and shows that command', async () => {
    const run = await runCli(['--count', '3', 'create', '--help'], { env: sim.env });
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^USAGE\n {2}\$ fs create SERVICE UNIT_FILE/m);
  });
});
