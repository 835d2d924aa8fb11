import { FsCommand } from '../base-command.js';
import { DEPLOYSTER_FLAGS, translateGoFlags } from '../flags/go-flags.js';
import { serveFlags } from '../flags/serve-flags.js';

export default class Serve extends FsCommand {
  static override summary =
    'Deploy over HTTP: rollouts for CD jobs and registry webhooks, with live progress (SymfoniNext and Docker Hub compatible)';
  static override description =
    `Runs an HTTP API in front of the rollout engine. The services it may deploy come from --config: fs apply's services.yaml, whose entries may also say image (the repository they run, e.g. myorg/web) and allowUpdates: true (only those may be updated over HTTP).

deployster's API: POST /v1/services/{name}/deploys {"deploy": {"version": "9f88701", "destroy_previous": true}} (201; SERVICE-VERSION@1..N beside the running version), DELETE /v1/services/{name}/deploys/{version} (204), GET /v1/services/{name}/units, POST /v1/services/{name}/tasks {"task": {"version", "command"}} (progress streamed, ending with Exited (N)), GET /v1/version; deployster's flags -listen, -username, -password, -cert, -key, -docker-hub-username are accepted. A live status page is at /.

Routes: POST /v1/services/{name}/rollouts {"version": "1.2"} (202 + Location; ?wait=true answers with the outcome), GET /v1/rollouts/{id}, GET /v1/rollouts/{id}/events (server-sent events, or NDJSON with Accept: application/x-ndjson), GET /v1/services, GET /v1/services/{name}, POST /v1/services/{name}/rollback, GET /healthz, GET /metrics, GET /openapi.json; SymfoniNext's PUT /service/{name} {"image": "repo:tag"}; Docker Hub's POST /api/dockerhub/webhook?token=…; registry v2 notifications at POST /api/registry/webhook.

Credentials come from the environment: FS_SERVE_TOKEN, FS_SERVE_TOKEN_FILE (one token a line), TOKEN (SymfoniNext), or FS_SERVE_PASSWORD / FS_SERVE_PASSWORD_FILE with FS_SERVE_USER for basic auth. Without any, fs serve refuses to start unless --no-auth on a loopback or unix listener.

Runs until SIGINT/SIGTERM; rollouts running then stop safely and resume at the next start (with the same --state-dir). Exit code 2 on bad flags, config or credentials.`;
  static override examples = [
    'FS_SERVE_TOKEN=s3cret <%= config.bin %> serve --config deploy.yaml --state-dir /var/lib/fs-serve',
    '<%= config.bin %> serve --config deploy.yaml --listen unix:/run/fs-serve.sock --no-auth',
    '<%= config.bin %> serve --config deploy.yaml --listen 0.0.0.0:4500 --cert tls.crt --key tls.key --repull-period 24h',
    'FS_SERVE_USERNAME=deployster FS_SERVE_PASSWORD_FILE=/etc/fs/password <%= config.bin %> serve --config deploy.yaml -listen=0.0.0.0:3000 -docker-hub-username=mycompany',
  ];
  static override flags = serveFlags;

  async run(): Promise<void> {
    // deployster's single-dash flags (-listen=…, -password=…) as fs serve's
    this.argv = translateGoFlags(this.argv, DEPLOYSTER_FLAGS, new Set()).argv;
    const { flags } = await this.parse(Serve);
    const mode = this.setup(flags);
    const { connectionSettings } = await import('../runtime/settings.js');
    const settings = connectionSettings(flags);
    this.hintContext = { endpoint: settings.endpoint };
    const { runServe } = await import('../runtime/serve-run.js');
    const result = await runServe({ flags, settings, mode });
    await this.finish({ result });
  }
}
