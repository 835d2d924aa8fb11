import { describe, expect, it } from 'vitest';
import { classifyEntry, sidekickOf } from './entry-rules.js';
import { renderUnitText } from './render-unit.js';
import { mergeStrategy } from './strategy.js';

describe('coco’s entry rules', () => {
  it.each([
    ['web@.service', 3, { kind: 'template', service: 'web' }],
    ['web.service', 0, { kind: 'plain', service: 'web' }],
    ['web.service', undefined, { kind: 'plain', service: 'web' }],
    ['backup.timer', undefined, { kind: 'plain', service: 'backup.timer' }],
  ] as const)('%s count %s → %o', (name, count, shape) => {
    expect(classifyEntry(name, count)).toEqual(shape);
  });

  it.each([
    ['web@.service', 0, /needs count ≥ 1/],
    ['web@.service', undefined, /needs count ≥ 1/],
    ['web.service', 2, /has count 2 but is not a template/],
    ['web@1.service', 1, /names one instance/],
    ['web', 1, /invalid unit name "web"/],
    ['web@.timer', 2, /only \.service templates/],
    ['web.fs-record.service', 0, /reserved for fs/],
  ] as const)('refuses %s count %s', (name, count, why) => {
    expect(classifyEntry(name, count)).toEqual({ problem: expect.stringMatching(why) });
  });

  it('groups a sidekick with its service by name', () => {
    expect(sidekickOf('web-sidekick')).toBe('web');
    expect(sidekickOf('web')).toBeUndefined();
  });
});

describe('version substitution', () => {
  it('replaces the first DOCKER_APP_VERSION=latest, as coco did, and every {{version}}', () => {
    const text =
      'Environment="DOCKER_APP_VERSION=latest"\nX=DOCKER_APP_VERSION=latest\nImage=app:{{version}} {{version}}\n';
    expect(renderUnitText(text, '1.2$&').text).toBe(
      'Environment="DOCKER_APP_VERSION=1.2$&"\nX=DOCKER_APP_VERSION=latest\nImage=app:1.2$& 1.2$&\n',
    );
  });

  it('leaves the text alone without a version, and refuses {{version}} then', () => {
    expect(renderUnitText('A=DOCKER_APP_VERSION=latest', undefined)).toEqual({
      text: 'A=DOCKER_APP_VERSION=latest',
    });
    expect(renderUnitText('A={{version}}', '')).toMatchObject({
      problem: expect.stringMatching(/no version/),
    });
  });
});

describe('sequentialDeployment', () => {
  it('true → one at a time; false → all at once (an outage); absent → fs’s defaults', () => {
    expect(mergeStrategy({ maxSurge: 1 }, {}, true, 3)).toMatchObject({ maxUnavailable: 1, maxSurge: 0 });
    expect(mergeStrategy({}, {}, false, 3)).toEqual({ maxUnavailable: 3, maxSurge: 0, allowOutage: true });
    expect(mergeStrategy({ maxSurge: 1 }, {}, undefined, 3)).toEqual({ maxSurge: 1 });
  });

  it('the entry’s own strategy wins; timeouts merge per state', () => {
    expect(
      mergeStrategy({ timeouts: { stop: 1 } }, { maxSurge: 2, timeouts: { gone: 2 } }, false, 3),
    ).toEqual({
      maxSurge: 2,
      timeouts: { stop: 1, gone: 2 },
    });
  });
});
