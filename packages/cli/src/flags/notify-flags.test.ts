import { describe, expect, it } from 'vitest';
import { notifyRequest, splitTargetList } from './notify-flags.js';

describe('FS_NOTIFY and the notify request', () => {
  it('splits FS_NOTIFY only where another target starts (URLs and JSON keep their commas)', () => {
    expect(
      splitTargetList(
        'slack:https://h.example/a,b, webhook:https://w.example/?x=1,2,beanstalkd:{"addr":"q:1","tube":"t"}',
      ),
    ).toEqual([
      'slack:https://h.example/a,b',
      'webhook:https://w.example/?x=1,2',
      'beanstalkd:{"addr":"q:1","tube":"t"}',
    ]);
    expect(splitTargetList('')).toEqual([]);
  });

  it('collects --notify, FS_NOTIFY, NOTIFY_FLAGS, FS_WEBHOOK_SECRET and the user; nothing when no target', () => {
    expect(notifyRequest({}, 'create', 'web', {})).toBeUndefined();
    expect(
      notifyRequest(
        { notify: ['slack:https://h.example/x'], 'notify-on': 'failed', 'notify-timeout': 500 },
        'create',
        'web',
        {
          FS_NOTIFY: 'webhook:https://w.example/',
          NOTIFY_FLAGS: ' {"addr":"q:1","tube":"t"} ',
          FS_WEBHOOK_SECRET: 'k',
          USER: 'alice',
        },
      ),
    ).toEqual({
      action: 'create',
      service: 'web',
      targets: ['slack:https://h.example/x', 'webhook:https://w.example/'],
      notifyFlags: '{"addr":"q:1","tube":"t"}',
      on: 'failed',
      timeoutMs: 500,
      webhookSecret: 'k',
      user: 'alice',
    });
    expect(notifyRequest({}, 'destroy', 'web', { NOTIFY_FLAGS: '{}' })).toMatchObject({
      targets: [],
      notifyFlags: '{}',
    });
  });

  it('loads nothing heavy: the flags module imports only oclif and the duration flag', async () => {
    const { readFileSync } = await import('node:fs');
    const text = readFileSync(new URL('./notify-flags.ts', import.meta.url), 'utf8');
    const imports = [...text.matchAll(/^import .* from '([^']+)';$/gm)].map((m) => m[1]);
    expect(imports).toEqual(['@oclif/core', './global-flags.js']);
  });
});
