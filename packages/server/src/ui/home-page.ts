/**
 * The status page `/`: every configured service with its versions and instances (per state and
 * machine, from one whole-cluster observation), the rollouts in flight with their progress, and
 * the last outcomes. Rendered on the server; /ui/live.js keeps the rollouts current.
 */
import type { FleetApi } from '@fleet-service/fleet-client';
import {
  type InstanceView,
  observeClusterState,
  snapshotOf,
  versionSnapshotOf,
  viewService,
  viewVersions,
} from '@fleet-service/rollout';
import type { ServeConfig } from '../config/serve-config.js';
import type { RolloutEntry } from '../store/entry.js';
import { esc, layout, tone } from './html.js';
import type { LiveFeed } from './live-feed.js';

/** One service on the page. */
export interface ServiceRow {
  service: string;
  /** The version(s) running: `-` for a rolling service without one. */
  versions: { version: string; instances: InstanceView[] }[];
}

/**
 * One observation of the cluster → the rows. `deployed(S)` is the version the last successful
 * rollout here rolled out (a rolling service's units do not name their version), else the config's.
 */
export async function gatherServices(
  api: FleetApi,
  config: ServeConfig,
  deployed: (service: string) => string | undefined = () => undefined,
): Promise<{ rows: ServiceRow[]; machines: Map<string, string> }> {
  const observation = await observeClusterState(api, { machines: true });
  const machines = new Map((observation.machines ?? []).map((m) => [m.id ?? '', m.primaryIP ?? '']));
  const rows = [...config.services.values()].map((d): ServiceRow => {
    const versions = viewVersions(versionSnapshotOf(observation, d.service)).map((v) => ({
      version: v.version,
      instances: v.instances,
    }));
    const plain = viewService(snapshotOf(observation, d.service)).instances;
    if (plain.length > 0 || versions.length === 0)
      versions.unshift({ version: deployed(d.service) ?? d.version ?? '-', instances: plain });
    return { service: d.service, versions };
  });
  return { rows, machines };
}

const stateOf = (i: InstanceView) =>
  i.running ? 'running' : i.desiredState === 'launched' ? 'not running' : (i.desiredState ?? 'unknown');

function instancesCell(instances: readonly InstanceView[], machines: ReadonlyMap<string, string>): string {
  if (instances.length === 0) return '<span class="muted">no instance</span>';
  const byState = new Map<string, number>();
  for (const i of instances) byState.set(stateOf(i), (byState.get(stateOf(i)) ?? 0) + 1);
  const byMachine = new Map<string, number>();
  for (const i of instances) {
    const m = i.machineID
      ? `${i.machineID.slice(0, 8)}${machines.get(i.machineID) ? ` ${machines.get(i.machineID)}` : ''}`
      : 'unscheduled';
    byMachine.set(m, (byMachine.get(m) ?? 0) + 1);
  }
  const states = [...byState]
    .map(([s, n]) => `<span class="${s === 'running' ? 'ok' : 'bad'}">${n} ${esc(s)}</span>`)
    .join(', ');
  const where = [...byMachine].map(([m, n]) => `${esc(m)}: ${n}`).join('; ');
  return `${states}<br><span class="muted">${where}</span>`;
}

function rolloutRow(e: RolloutEntry, feed: LiveFeed): string {
  const p = e.state === 'running' ? feed.progressOf(e.id) : undefined;
  const progress =
    p && p.total > 0 ? `<progress max="${p.total}" value="${p.done}"></progress> ${p.done}/${p.total}` : '';
  const outcome = e.outcome ?? e.state;
  return `<tr id="r-${esc(e.id)}" data-state="${esc(e.state)}"><td><a href="/rollouts/${esc(e.id)}">${esc(e.service)}</a></td><td>${esc(e.request.kind)}${e.request.version ? ` ${esc(e.request.version)}` : ''}</td><td class="${tone(e.outcome ?? e.state)}" data-field="outcome">${esc(outcome)}</td><td data-field="progress">${progress}</td><td class="muted" data-field="last">${esc(p?.last ?? '')}</td></tr>`;
}

export function renderHome(opts: {
  rows: ServiceRow[];
  machines: ReadonlyMap<string, string>;
  inFlight: RolloutEntry[];
  recent: RolloutEntry[];
  feed: LiveFeed;
  observedAt: string;
  error?: string;
}): string {
  const services = opts.rows
    .flatMap((r) =>
      r.versions.map(
        (v, k) =>
          `<tr><td>${k === 0 ? `<b>${esc(r.service)}</b>` : ''}</td><td><code>${esc(v.version)}</code></td><td>${instancesCell(v.instances, opts.machines)}</td></tr>`,
      ),
    )
    .join('');
  const head = '<tr><th>service</th><th>request</th><th>state</th><th>progress</th><th>last</th></tr>';
  const body = `<h1>fs serve</h1><p class="muted">cluster observed ${esc(opts.observedAt)}${opts.error ? ` — <span class="bad">${esc(opts.error)}</span>` : ''}</p>
<h2>Services</h2><div class="card"><table id="services"><tr><th>service</th><th>version</th><th>instances</th></tr>${services}</table></div>
<h2>Rollouts in flight</h2><div class="card"><table id="inflight">${head}${opts.inFlight.map((e) => rolloutRow(e, opts.feed)).join('')}</table></div>
<h2>Last outcomes</h2><div class="card"><table id="recent">${head}${opts.recent.map((e) => rolloutRow(e, opts.feed)).join('')}</table></div>`;
  return layout('fs serve', body, { page: 'home' });
}
