import { Flags } from '@oclif/core';
import { durationFlag } from './global-flags.js';

/** `fs serve`'s flags (SymfoniNext's BIND is read as --listen's fallback by the runtime). */
export const serveFlags = {
  config: Flags.string({
    summary:
      "services.yaml (fs apply's format) with image and allowUpdates per service: a path or an http(s) URL",
    env: 'FS_SERVE_CONFIG',
    required: true,
    helpValue: 'FILE',
  }),
  listen: Flags.string({
    summary: 'HOST:PORT or unix:PATH to listen on (also BIND, as SymfoniNext) [default: 127.0.0.1:4500]',
    env: 'FS_SERVE_LISTEN',
    helpValue: 'ADDRESS',
  }),
  cert: Flags.string({
    summary: 'serve HTTPS with this PEM certificate (with --key)',
    env: 'FS_SERVE_CERT',
    helpValue: 'FILE',
    dependsOn: ['key'],
  }),
  key: Flags.string({
    summary: 'the PEM private key of --cert',
    env: 'FS_SERVE_KEY',
    helpValue: 'FILE',
    dependsOn: ['cert'],
  }),
  parallel: Flags.integer({
    summary: 'services rolled out at once [default: 4]',
    env: 'FS_SERVE_PARALLEL',
    min: 1,
    max: 256,
  }),
  'state-dir': Flags.string({
    summary:
      'where accepted requests, rollout ids, events and results are kept (SQLite); :memory: keeps nothing across restarts [default: $XDG_STATE_HOME/fs/serve or ~/.local/state/fs/serve]',
    env: 'FS_SERVE_STATE_DIR',
    helpValue: 'DIR',
  }),
  'keep-rollouts': Flags.integer({
    summary: 'finished rollouts kept in the state store [default: 1000]',
    env: 'FS_SERVE_KEEP_ROLLOUTS',
    min: 1,
  }),
  notify: Flags.string({
    summary:
      'tell TARGET every outcome: slack:URL, webhook:URL, beanstalkd:HOST:PORT/TUBE; repeatable; also FS_NOTIFY and NOTIFY_FLAGS (SymfoniNext)',
    multiple: true,
    helpValue: 'TARGET',
  }),
  username: Flags.string({
    summary:
      "the basic-auth user (deployster's -username) [default: FS_SERVE_USERNAME, FS_SERVE_USER, else fs]",
    env: 'FS_SERVE_USERNAME',
    helpValue: 'USER',
  }),
  'password-file': Flags.string({
    summary:
      'the basic-auth password, first line of FILE (also FS_SERVE_PASSWORD_FILE); there is no default password',
    env: 'FS_SERVE_PASSWORD_FILE',
    helpValue: 'FILE',
  }),
  password: Flags.string({
    summary:
      "the basic-auth password (deployster's -password); visible to every user in ps: prefer --password-file",
    helpValue: 'PASSWORD',
  }),
  'docker-hub-username': Flags.string({
    summary:
      "deployster's -docker-hub-username: services without image run USER/<service> (deploys point its tag at the version)",
    env: 'FS_SERVE_DOCKER_HUB_USERNAME',
    helpValue: 'USER',
  }),
  'no-auth': Flags.boolean({
    summary: 'serve without credentials (only on a loopback address or a unix socket)',
    default: false,
  }),
  'repull-period': durationFlag({
    summary:
      'every PERIOD, a forced rolling restart of the services on moving tags (latest, qa), so they re-pull [default: off]',
    env: 'FS_SERVE_REPULL_PERIOD',
    bounds: { minMs: 60_000, maxMs: 30 * 86_400_000 },
  }),
};
