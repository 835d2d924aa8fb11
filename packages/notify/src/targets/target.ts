/** Where notifications go: the parsed form of `slack:…`, `webhook:…` and `beanstalkd:…` targets. */

export interface SlackTarget {
  kind: 'slack';
  /** The incoming webhook URL (secret: its path is the token). */
  url: string;
}

export interface WebhookTarget {
  kind: 'webhook';
  /** Where the JSON document is POSTed (its path and query may be secret). */
  url: string;
  /** Key of the `X-Fs-Signature: sha256=…` HMAC of the body; no signature when absent. */
  secret?: string;
}

export interface BeanstalkdTarget {
  kind: 'beanstalkd';
  host: string;
  port: number;
  tube: string;
  /**
   * The job body as a Go template (`{{.Artifact}}`, `{{.ServiceName}}`, `{{.Outcome}}`, …; see
   * TEMPLATE_FIELDS), already decoded from base64. Absent: the body is the webhook's JSON document.
   */
  template?: string;
  /** Job priority (0 is most urgent). @default 10 (SymfoniNext's) */
  priority: number;
  /** Time to run, seconds. @default 60 (SymfoniNext's) */
  ttrSeconds: number;
  /** Delay before the job is ready, seconds. @default 0 */
  delaySeconds: number;
}

export type NotifyTarget = SlackTarget | WebhookTarget | BeanstalkdTarget;

/** SymfoniNext's beanstalkd settings: priority 10, TTR 60 s, no delay. */
export const BEANSTALKD_DEFAULTS = Object.freeze({
  priority: 10,
  ttrSeconds: 60,
  delaySeconds: 0,
  port: 11300,
});
