/**
 * `fs serve` at run time: credentials and settings from the flags and the environment, the
 * config loaded and checked, fleet verified, then the server until SIGINT/SIGTERM.
 */

import { readFileSync } from 'node:fs';
import { homedir, hostname } from 'node:os';
import { join } from 'node:path';
import type { NotifyTarget } from '@fleet-service/notify';
import { splitTargetList } from '../flags/notify-flags.js';
import type { OutputMode } from '../output/output-mode.js';
import { UsageError } from '../usage-error.js';
import type { ConnectionSettings } from './connect.js';
import { importOutside } from './import-outside.js';

export interface ServeFlags {
  config: string;
  listen?: string | undefined;
  cert?: string | undefined;
  key?: string | undefined;
  parallel?: number | undefined;
  'state-dir'?: string | undefined;
  'keep-rollouts'?: number | undefined;
  notify?: string[] | undefined;
  'no-auth': boolean;
  username?: string | undefined;
  password?: string | undefined;
  'password-file'?: string | undefined;
  'docker-hub-username'?: string | undefined;
  'repull-period'?: number | undefined;
}

export async function runServe(run: {
  flags: ServeFlags;
  settings: ConnectionSettings;
  mode: OutputMode;
}): Promise<{ address: string; services: number }> {
  const server = await loadServer();
  const { flags, settings } = run;
  const env = credentialEnv(process.env, flags);
  if (flags.password !== undefined && run.mode.format === 'text')
    process.stderr.write(
      'fs serve: a password on the command line is visible in ps; prefer --password-file\n',
    );
  let credentials: ReturnType<typeof server.credentialsFrom>;
  let listen: ReturnType<typeof server.parseListen>;
  try {
    credentials = server.credentialsFrom(env);
    listen = server.parseListen(flags.listen ?? (env.BIND ? bindAddress(env.BIND) : server.DEFAULT_LISTEN));
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const tls =
    flags.cert && flags.key
      ? { cert: readPem(flags.cert, '--cert'), key: readPem(flags.key, '--key') }
      : undefined;
  const targets = await notifyTargets(flags.notify ?? [], env);
  const config = await server.loadServeConfig({ file: flags.config });
  const hubUser = flags['docker-hub-username'];
  // deployster's convention: every image is <docker-hub-username>/<service>
  if (hubUser) for (const d of config.services.values()) d.image ??= `${hubUser}/${d.service}`;
  const { checkIsFleet, createClient } = await import('./connect.js');
  const api = await createClient(settings);
  await checkIsFleet(api, settings.endpoint);
  let fs: ReturnType<typeof server.createServer>;
  try {
    fs = server.createServer({
      api,
      config,
      credentials,
      noAuth: flags['no-auth'],
      listen,
      ...(tls ? { tls } : {}),
      ...stateDirOf(flags['state-dir'], env),
      ...(flags['keep-rollouts'] !== undefined ? { keepRollouts: flags['keep-rollouts'] } : {}),
      ...(flags.parallel !== undefined ? { parallel: flags.parallel } : {}),
      ...(flags['repull-period'] !== undefined ? { repullPeriodMs: flags['repull-period'] } : {}),
      notify: targets,
      onNotifyEvent: (e) => {
        if (e.type === 'notify-failed') process.stderr.write(`notify ${e.target}: ${e.error.message}\n`);
      },
      logger: { level: env.FS_SERVE_LOG_LEVEL ?? 'info' },
      host: hostname(),
      pid: process.pid,
    });
  } catch (error) {
    if (server.isServeError(error) && error.code !== 'ERR_SERVE_STATE') throw new UsageError(error.message);
    throw error;
  }
  const address = await fs.listen();
  process.stderr.write(
    `fs serve: listening on ${address} (${config.services.size} services from ${config.source}; state in ${fs.store.path})\n`,
  );
  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  await fs.close();
  return { address, services: config.services.size };
}

/** @fleet-service/server, installed beside the CLI (not bundled: fastify, SQLite's native binding). */
async function loadServer(): Promise<typeof import('@fleet-service/server')> {
  try {
    return (await importOutside('@fleet-service/server')) as typeof import('@fleet-service/server');
  } catch (error) {
    if ((error as { code?: string }).code !== 'ERR_MODULE_NOT_FOUND') throw error;
    throw new UsageError('fs serve needs @fleet-service/server installed beside the CLI', {
      hint: 'npm install -g @fleet-service/cli @fleet-service/server',
    });
  }
}

/** SymfoniNext's BIND (`:8080`, `0.0.0.0:8080`) as a listen address. */
function bindAddress(bind: string): string {
  return /^\d+$/.test(bind) ? `:${bind}` : bind;
}

function readPem(file: string, flag: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    throw new UsageError(`${flag}: cannot read ${file} (${(error as Error).message})`);
  }
}

async function notifyTargets(flags: string[], env: NodeJS.ProcessEnv): Promise<NotifyTarget[]> {
  const { parseNotifyFlags, parseTarget } = await import('@fleet-service/notify');
  const texts = [...flags, ...(env.FS_NOTIFY ? splitTargetList(env.FS_NOTIFY) : [])];
  const options = env.FS_WEBHOOK_SECRET ? { webhookSecret: env.FS_WEBHOOK_SECRET } : {};
  try {
    const targets = texts.map((t) => parseTarget(t, options));
    if (env.NOTIFY_FLAGS) targets.push(parseNotifyFlags(env.NOTIFY_FLAGS, 'NOTIFY_FLAGS'));
    return targets;
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

/**
 * A 202 is a promise, so the state store is on disk unless asked otherwise: `--state-dir DIR`, else
 * `$XDG_STATE_HOME/fs/serve` (`~/.local/state/fs/serve`); `--state-dir :memory:` keeps it in memory
 * (nothing survives a restart: for trying fs serve out).
 */
export function stateDirOf(flag: string | undefined, env: NodeJS.ProcessEnv): { stateDir?: string } {
  if (flag === ':memory:') return {};
  if (flag) return { stateDir: flag };
  const base = env.XDG_STATE_HOME || join(homedir(), '.local', 'state');
  return { stateDir: join(base, 'fs', 'serve') };
}

/** The environment credentialsFrom reads, with --username, --password and --password-file over it. */
function credentialEnv(env: NodeJS.ProcessEnv, flags: ServeFlags): Record<string, string | undefined> {
  return {
    ...env,
    ...(flags.username !== undefined ? { FS_SERVE_USERNAME: flags.username } : {}),
    ...(flags.password !== undefined
      ? { FS_SERVE_PASSWORD: flags.password, FS_SERVE_PASSWORD_FILE: undefined }
      : {}),
    ...(flags['password-file'] !== undefined ? { FS_SERVE_PASSWORD_FILE: flags['password-file'] } : {}),
  };
}
