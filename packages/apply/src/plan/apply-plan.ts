/** The whole-cluster plan as data: one entry per service, printable (that is `--dry-run` / `--plan`). */
import type { Plan, RolloutSpec, VersionedSpec } from '@fleet-service/rollout';
import type { DesiredService } from '../desired.js';

/**
 * What happens to a service:
 * - `create`: it has no unit yet;
 * - `scale-up`: only instances are added (no contents change);
 * - `update`: contents change (a rolling update), or instances not running are started again;
 * - `scale-down`: only instances above the count are removed;
 * - `unchanged`: nothing to do;
 * - `remove`: not in the file, fs manages it (it has fs's record unit), and pruning is on;
 * - `missing`: not in the file and left alone (no pruning, not managed by fs, or protected): reported only.
 */
export type ServiceAction =
  | 'create'
  | 'scale-up'
  | 'update'
  | 'scale-down'
  | 'unchanged'
  | 'remove'
  | 'missing';

/** Run order, coco's made safe: capacity is added first, then contents change, then capacity goes. */
export const PHASE_OF: Readonly<Record<ServiceAction, 0 | 1 | 2 | 3>> = Object.freeze({
  create: 1,
  'scale-up': 1,
  update: 2,
  'scale-down': 3,
  remove: 3,
  unchanged: 0,
  missing: 0,
});

export interface ServicePlan {
  service: string;
  /** `template` (instances 1..N), `plain` (one non-instanced unit), `orphan` (in the cluster, not in the file). */
  kind: 'template' | 'plain' | 'orphan';
  action: ServiceAction;
  /** 1 create/scale-up, 2 update, 3 scale-down/remove, 0 nothing to run. */
  phase: 0 | 1 | 2 | 3;
  /** The engine's plan for the service (made from the whole-cluster observation). */
  plan?: Plan;
  /** The spec the plan was made from (a template service; re-planned from it under the lock). */
  spec?: RolloutSpec;
  /** `strategy: versioned`: the versioned deploy the plan was made from (run by deployVersion). */
  versioned?: VersionedSpec;
  /** The sidekick's own plan (S-sidekick@N beside S@N), when there is a sidekick. */
  sidekick?: { spec: RolloutSpec; plan: Plan };
  /** The entry from the file (not for orphans). */
  desired?: DesiredService;
  /** fs manages the service: it has fs's record unit. */
  managed: boolean;
  /** The --protect pattern that keeps it from being removed. */
  protectedBy?: string;
  /** The service's units in the cluster (orphans: what would be removed). */
  units: string[];
  /** Remarks: all-at-once updates, why a missing service is left alone, … */
  notes: string[];
}

export interface ApplyPlan {
  /** Desired services in file order, then the services missing from the file. */
  services: ServicePlan[];
  summary: Record<ServiceAction, number>;
  notes: string[];
}
