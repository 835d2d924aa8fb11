import { describe, expect, it } from 'vitest';
import { parseServicesYaml } from './parse-yaml.js';

describe('parseServicesYaml', () => {
  it('reads coco’s entries and keeps a version exactly as written', () => {
    const r = parseServicesYaml(
      'services:\n  - name: web@.service\n    version: 1.10\n    count: 2\n',
      's.yaml',
    );
    expect(r.problems).toEqual([]);
    expect(r.entries).toEqual([
      {
        entry: { name: 'web@.service', version: 1.1, count: 2 },
        index: 0,
        at: { line: 2, column: 5 },
        nameAt: { line: 2, column: 11 },
        version: '1.10',
      },
    ]);
  });

  it('accepts fs serve’s keys (image, allowUpdates, notify): one file for apply and serve', () => {
    const r = parseServicesYaml(
      'services:\n  - name: web@.service\n    count: 2\n    image: myorg/web\n    allowUpdates: true\n    notify: ["slack:https://hooks.slack.com/x"]\n',
      's.yaml',
    );
    expect(r.problems).toEqual([]);
    expect(r.entries[0]?.entry).toMatchObject({ image: 'myorg/web', allowUpdates: true });
    const bad = parseServicesYaml(
      'services:\n  - name: web@.service\n    image: "My Org/web:1"\n    allowUpdates: yes please\n',
      's.yaml',
    );
    expect(bad.problems.map((p) => p.message).join('\n')).toMatch(/image is a repository without a tag/);
    expect(bad.problems).toHaveLength(2);
  });

  it('reports every schema problem at once, each at its line and column', () => {
    const text = [
      'services:',
      '  - name: web@.service',
      '    count: -1',
      '    colour: red',
      '  - name: api@.service',
      '    count: abc',
      '    sequentialDeployment: maybe',
      'extra: 1',
    ].join('\n');
    const r = parseServicesYaml(text, 's.yaml');
    expect(r.problems.map((p) => `${p.line}:${p.column} ${p.entry ?? '-'} ${p.message}`).sort()).toEqual(
      [
        '3:12 web@.service count: count must be ≥ 0',
        '4:5 web@.service unknown key "colour" in services[0]',
        '6:12 api@.service count: count must be a whole number ≥ 0',
        '7:27 api@.service sequentialDeployment: Invalid input: expected boolean, received string',
        '8:1 - unknown key "extra" at the top level',
      ].sort(),
    );
    // the names are still there for the name and duplicate checks
    expect(r.raw?.map((e) => e.entry.name)).toEqual(['web@.service', 'api@.service']);
  });

  it('reports YAML syntax errors and duplicate keys with their position', () => {
    const r = parseServicesYaml('services:\n  - name: a@.service\n    name: b@.service\n', 's.yaml');
    expect(r.problems).toEqual([
      expect.objectContaining({ file: 's.yaml', line: 3, message: expect.stringMatching(/unique/) }),
    ]);
  });

  it('accepts an empty file as no entries and nested durations in ms', () => {
    expect(parseServicesYaml('', 'e.yaml')).toMatchObject({ entries: [], problems: [] });
    const r = parseServicesYaml(
      'defaults:\n  minHealthy: 2s\n  timeouts: { healthy: 1m }\nservices: []\n',
      'd.yaml',
    );
    expect(r.defaults).toEqual({ minHealthy: 2_000, timeouts: { healthy: 60_000 } });
  });
});
