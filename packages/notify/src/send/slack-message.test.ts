import { describe, expect, it } from 'vitest';
import type { RolloutNotice } from '../notice/notice.js';
import { SLACK_COLORS, slackMessage } from './slack-message.js';

const base: RolloutNotice = {
  event: 'succeeded',
  action: 'create',
  service: 'web',
  version: 'v2',
  hash: 'h',
  replaced: 2,
  added: 1,
  removed: 0,
  durationMs: 4_200,
};

describe('slackMessage', () => {
  it('colours by event', () => {
    expect(SLACK_COLORS).toMatchObject({
      succeeded: 'good',
      failed: 'danger',
      'rolled-back': 'warning',
      paused: 'warning',
    });
    for (const event of ['started', 'succeeded', 'unchanged', 'failed', 'rolled-back', 'paused'] as const) {
      expect(slackMessage({ ...base, event }).attachments[0]?.color).toBe(SLACK_COLORS[event]);
    }
  });

  it("escapes Slack's control characters", () => {
    const m = slackMessage({ ...base, event: 'failed', error: { name: 'E', message: '<a> & <b>' } });
    expect(m.attachments[0]?.fields).toContainEqual({
      title: 'Error',
      value: '&lt;a&gt; &amp; &lt;b&gt;',
      short: false,
    });
  });

  it('destroy names no version; started has no instances or duration', () => {
    expect(slackMessage({ ...base, action: 'destroy', outcome: 'destroyed' }).text).toBe(
      'fs destroy of *web* succeeded',
    );
    const titles = slackMessage({ ...base, event: 'started' }).attachments[0]?.fields?.map((f) => f.title);
    expect(titles).toEqual(['Service', 'Version']);
  });
});
