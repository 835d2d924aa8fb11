// @fleet-service/notify: the public surface.

export {
  isNotifyError,
  NOTIFY_ERROR_CODES,
  NotifyDeliveryError,
  NotifyError,
  type NotifyErrorCode,
  NotifyOptionsError,
  NotifyTargetError,
} from './errors.js';
export {
  DEFAULT_NOTIFY_ON,
  eventOfOutcome,
  NOTICE_EVENTS,
  type NoticeEvent,
  type NoticeFailure,
  type RolloutNotice,
} from './notice/notice.js';
export {
  createNoticeTracker,
  type EngineSettled,
  type NoticeContext,
  type NoticeTracker,
} from './notice/notice-tracker.js';
export { imageOf, tagOf, type UnitLine, versionOf } from './notice/unit-version.js';
export {
  createNotifier,
  type Notifier,
  type NotifierOptions,
  type NotifyEvent,
  type NotifyReport,
} from './notifier.js';
export type { DeliveryOutcome, NotifyClock } from './send/deliver.js';
export { realClock } from './send/deliver.js';
export { SIGNATURE_HEADER, signBody, verifySignature } from './send/signature.js';
export { SLACK_COLORS, type SlackMessage, slackMessage } from './send/slack-message.js';
export { type WebhookDocument, webhookDocument } from './send/webhook-body.js';
export { decodeBase64 } from './targets/beanstalkd-settings.js';
export { goDuration, TEMPLATE_FIELDS, type TemplateField, templateData } from './targets/job-template.js';
export { parseNotifyFlags } from './targets/notify-flags.js';
export { type ParseTargetOptions, parseTarget, TARGET_SCHEMES } from './targets/parse-target.js';
export { redactTarget, redactUrl } from './targets/redact.js';
export {
  BEANSTALKD_DEFAULTS,
  type BeanstalkdTarget,
  type NotifyTarget,
  type SlackTarget,
  type WebhookTarget,
} from './targets/target.js';
