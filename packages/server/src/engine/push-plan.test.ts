import type { DesiredService } from '@fleet-service/apply';
import { describe, expect, it } from 'vitest';
import { configOf } from '../config/serve-config.js';
import { isMovingTag, parseImageRef, renderForVersion, sameRepository } from './image-ref.js';
import { repullRequests, requestsForPush } from './push-plan.js';

const svc = (service: string, image: string, version: string | undefined, allowUpdates = true) =>
  ({
    service,
    kind: 'template',
    name: `${service}@.service`,
    count: 2,
    ...(version !== undefined ? { version } : {}),
    image,
    allowUpdates,
    unitFile: [],
    unitSource: 'x',
    desiredState: 'launched',
    strategy: {},
    at: { file: 'services.yaml' },
  }) as DesiredService;

const config = configOf('services.yaml', [
  svc('qa', 'myorg/web', 'qa'),
  svc('prod', 'myorg/web', '1.4.2'),
  svc('edge', 'myorg/web', undefined),
  svc('frozen', 'myorg/web', '1.0', false),
  svc('other', 'myorg/api', '1.0'),
]);

describe('requestsForPush', () => {
  it('a moving tag restarts (forced) the services tracking it; a version tag updates those on versions', () => {
    const qa = requestsForPush(config, { repositories: ['myorg/web'], tag: 'qa' }, 'dockerhub');
    expect(qa.requests).toEqual([
      { kind: 'deploy', service: 'qa', source: 'dockerhub', version: 'qa', force: true },
    ]);
    expect(qa.skipped.map((s) => s.service)).toEqual(['prod', 'edge', 'frozen']);
    const v = requestsForPush(config, { repositories: ['docker.io/myorg/web'], tag: 'v1.5' }, 'registry');
    expect(v.requests).toEqual([{ kind: 'deploy', service: 'prod', source: 'registry', version: 'v1.5' }]);
    const latest = requestsForPush(config, { repositories: ['myorg/web'], tag: 'latest' }, 'dockerhub');
    expect(latest.requests.map((r) => [r.service, r.force])).toEqual([['edge', true]]);
  });

  it('re-pull: every service on a moving tag that allows updates', () => {
    expect(repullRequests(config).map((r) => r.service)).toEqual(['qa', 'edge']);
  });
});

describe('image references', () => {
  it('parses repo:tag, registry ports and the implicit latest; refuses digests', () => {
    expect(parseImageRef('me/blog:v1.12')).toEqual({ repository: 'me/blog', tag: 'v1.12' });
    expect(parseImageRef('registry.example.com:5000/team/api')).toEqual({
      repository: 'registry.example.com:5000/team/api',
      tag: 'latest',
    });
    expect(parseImageRef('me/blog@sha256:abc')).toBeUndefined();
    expect(parseImageRef('me/blog:bad tag')).toBeUndefined();
  });

  it('moving tags and repository equality', () => {
    expect(['latest', 'qa', 'main'].map(isMovingTag)).toEqual([true, true, true]);
    expect(['1.2', 'v1.12', '20240101'].map(isMovingTag)).toEqual([false, false, false]);
    expect(sameRepository('nginx', 'library/nginx')).toBe(true);
    expect(sameRepository('docker.io/me/x', 'me/x')).toBe(true);
    expect(sameRepository('me/x', 'me/y')).toBe(false);
  });

  it('renders a new tag into {{version}} and into literal image references only', () => {
    const text =
      'ExecStart=/usr/bin/docker run me/blog:v1.11\nExecStartPre=/usr/bin/docker pull me/blogger:v1\n';
    expect(renderForVersion(text, 'v1.12', 'me/blog').text).toBe(
      'ExecStart=/usr/bin/docker run me/blog:v1.12\nExecStartPre=/usr/bin/docker pull me/blogger:v1\n',
    );
    expect(renderForVersion('X=img:{{version}}', '2', undefined).text).toBe('X=img:2');
  });
});
