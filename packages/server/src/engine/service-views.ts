/**
 * What `GET /v1/services` answers: every configured service with the cluster's own view of it
 * (`fs status`'s summary, from one whole-cluster listing) and its last rollout here. The listing
 * is cached for `ttlMs` (one in flight at a time) and dropped whenever a rollout ends, so a busy
 * dashboard costs fleet one listing per ttl, not one per request.
 */
import { type Clock, type FleetApi, systemClock } from '@fleet-service/fleet-client';
import { listServices, type ServiceSummary } from '@fleet-service/rollout';
import type { ServeConfig } from '../config/serve-config.js';
import type { StateStore } from '../store/state-store.js';

export interface ServiceViewsOptions {
  api: FleetApi;
  config: ServeConfig;
  store: StateStore;
  clock?: Clock;
  /** @default 2_000 */
  ttlMs?: number;
}

export class ServiceViews {
  private cached: { at: number; body: string } | undefined;
  private pending: Promise<string> | undefined;
  private readonly clock: Clock;

  constructor(private readonly opts: ServiceViewsOptions) {
    this.clock = opts.clock ?? systemClock;
  }

  /** The JSON text of the list (cached). */
  async listJson(): Promise<string> {
    const c = this.cached;
    if (c && this.clock.now() - c.at < (this.opts.ttlMs ?? 2_000)) return c.body;
    this.pending ??= this.refresh().finally(() => {
      this.pending = undefined;
    });
    return this.pending;
  }

  invalidate(): void {
    this.cached = undefined;
  }

  configured(service: string) {
    const d = this.opts.config.services.get(service);
    if (!d) return undefined;
    return {
      name: d.name,
      ...(d.image ? { image: d.image } : {}),
      ...(d.version !== undefined ? { version: d.version } : {}),
      count: d.count,
      allowUpdates: d.allowUpdates ?? false,
    };
  }

  lastRollout(service: string) {
    const last = this.opts.store.lastOf(service, 1)[0];
    return last
      ? { id: last.id, state: last.state, ...(last.outcome ? { outcome: last.outcome } : {}) }
      : null;
  }

  private async refresh(): Promise<string> {
    const at = this.clock.now();
    const summaries = await listServices(this.opts.api, { clock: this.clock });
    const byName = new Map<string, ServiceSummary>(summaries.map((s) => [s.service, s]));
    const services = [...this.opts.config.services.keys()].map((service) => ({
      service,
      configured: this.configured(service),
      cluster: byName.get(service) ?? null,
      lastRollout: this.lastRollout(service),
    }));
    const body = JSON.stringify({ observedAt: new Date(at).toISOString(), services });
    this.cached = { at, body };
    return body;
  }
}
