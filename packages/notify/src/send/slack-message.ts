/**
 * The Slack message for a notice: one line of text (what notifications and screen readers show)
 * and one attachment coloured by outcome with the service, version, instances, duration, who ran
 * it and, for a failure, the failing unit, its systemd states and machine. Pure.
 */
import type { IncomingWebhookSendArguments } from '@slack/webhook';
import type { NoticeEvent, RolloutNotice } from '../notice/notice.js';
import { goDuration } from '../targets/job-template.js';

/** One Slack attachment (the legacy, colourable message part). */
export type MessageAttachment = NonNullable<IncomingWebhookSendArguments['attachments']>[number];

export interface SlackMessage {
  text: string;
  attachments: MessageAttachment[];
}

/** Attachment colours: Slack's good / danger / warning, blue for started, grey for unchanged. */
export const SLACK_COLORS: Readonly<Record<NoticeEvent, string>> = Object.freeze({
  started: '#439FE0',
  succeeded: 'good',
  unchanged: '#9E9E9E',
  failed: 'danger',
  'rolled-back': 'warning',
  paused: 'warning',
});

const HEADLINES: Readonly<Record<NoticeEvent, string>> = Object.freeze({
  started: 'started',
  succeeded: 'succeeded',
  unchanged: 'unchanged: nothing to do',
  failed: 'failed',
  'rolled-back': 'failed and was rolled back',
  paused: 'failed and is paused',
});

export function slackMessage(n: RolloutNotice): SlackMessage {
  const what = n.action === 'destroy' ? 'destroy' : `${n.action} ${n.version}`;
  const text = `fs ${esc(what)} of *${esc(n.service)}* ${HEADLINES[n.event]}${n.user ? ` (${esc(who(n))})` : ''}`;
  const fields: NonNullable<MessageAttachment['fields']> = [
    { title: 'Service', value: esc(n.service), short: true },
  ];
  if (n.action !== 'destroy') fields.push({ title: 'Version', value: esc(n.version), short: true });
  if (n.image) fields.push({ title: 'Image', value: esc(n.image), short: true });
  if (n.rolledBackTo) fields.push({ title: 'Rolled back to', value: esc(n.rolledBackTo), short: true });
  if (n.event !== 'started') {
    fields.push({ title: 'Instances', value: instances(n), short: true });
    if (n.durationMs !== undefined)
      fields.push({ title: 'Duration', value: goDuration(n.durationMs), short: true });
  }
  if (n.user) fields.push({ title: 'Run by', value: esc(who(n)), short: true });
  if (n.outcome && n.outcome !== n.event)
    fields.push({ title: 'Outcome', value: esc(n.outcome), short: true });
  if (n.failure) {
    const f = n.failure;
    fields.push({ title: 'Failed unit', value: esc(f.unit), short: true });
    if (f.systemd) {
      const s = f.systemd;
      fields.push({
        title: 'systemd',
        value: esc(`${s.load ?? '?'} / ${s.active ?? '?'} / ${s.sub ?? '?'}`),
        short: true,
      });
    }
    if (f.machineID) {
      const ip = f.primaryIP ? ` (${f.primaryIP})` : '';
      fields.push({ title: 'Machine', value: esc(`${f.machineID.slice(0, 12)}${ip}`), short: true });
    }
    if (f.diagnosis) fields.push({ title: 'Diagnosis', value: esc(f.diagnosis), short: false });
  }
  if (n.error && n.event !== 'succeeded')
    fields.push({ title: 'Error', value: esc(n.error.message), short: false });
  return {
    text,
    attachments: [
      {
        color: SLACK_COLORS[n.event],
        fallback: text.replace(/\*/g, ''),
        title: `${n.service}: ${HEADLINES[n.event]}`,
        fields,
        footer: n.rolloutId ? `fs rollout ${n.rolloutId}` : 'fs',
      },
    ],
  };
}

function who(n: RolloutNotice): string {
  return n.host ? `${n.user}@${n.host}` : (n.user ?? '');
}

function instances(n: RolloutNotice): string {
  const parts = [`${n.replaced} replaced`];
  if (n.added) parts.push(`${n.added} added`);
  if (n.removed) parts.push(`${n.removed} removed`);
  return parts.join(', ');
}

/** Slack's three control characters in message text. */
function esc(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
