/** The desired state: what services.yaml (and the unit files beside it) say the cluster should run. */
import type { JobState, UnitOption } from '@fleet-service/fleet-client';
import type { RolloutSpec } from '@fleet-service/rollout';

/** The rollout settings an entry (or the file's `defaults`) may give: the engine's own, every one optional. */
export type StrategySettings = Pick<
  RolloutSpec,
  | 'maxUnavailable'
  | 'maxSurge'
  | 'allowOutage'
  | 'machineAware'
  | 'replaceMode'
  | 'minHealthyMs'
  | 'timeouts'
  | 'progressDeadlineMs'
  | 'pollIntervalMs'
  | 'onFailure'
  | 'maxParallel'
  | 'healthChecks'
>;

/** One service the cluster should run. */
export interface DesiredService {
  /**
   * The service name: `web` for `web@.service` (a template service) and for `web.service` (a plain
   * unit); the unit name itself for a plain unit of another type (`backup.timer`).
   */
  service: string;
  /** `template`: instances 1..count of `name`; `plain`: the one non-instanced unit `name`. */
  kind: 'template' | 'plain';
  /** The unit name as written in the file (`web@.service`, `web.service`). */
  name: string;
  /** Instances (template services); 0 for a plain unit. */
  count: number;
  /** The entry's version (substituted into the unit file), if any. */
  version?: string;
  /** Unit options after version substitution, parsed and validated. */
  unitFile: UnitOption[];
  /** Where the unit file came from (URL or path). */
  unitSource: string;
  /** desiredState of a plain unit (template services are always launched). @default 'launched' */
  desiredState: JobState;
  /**
   * coco's `sequentialDeployment`: true → one instance at a time; false → every instance at once
   * (an outage: not zero-downtime); absent → fs's default (one at a time).
   */
  sequentialDeployment?: boolean;
  /** The engine settings (file defaults, the entry's own, and sequentialDeployment's mapping). */
  strategy: StrategySettings;
  /** The sidekick `S-sidekick@.service` listed with this service: updated with each instance. */
  sidekick?: { name: string; service: string; unitFile: UnitOption[]; unitSource: string };
  /** The image repository the service runs (`myorg/foo`), for `fs serve`'s deploys and webhooks. */
  image?: string;
  /** `fs serve` may update this service over HTTP (SymfoniNext's `deployer.allowUpdates`). @default false */
  allowUpdates?: boolean;
  /** `fs serve`'s notification targets for this service (as `--notify`). */
  notify?: string[];
  /**
   * `strategy: versioned`: each version runs as `S-<version>@1..N`, started beside the running
   * version (see @fleet-service/rollout's deployVersion); `version` names it.
   */
  versioned?: { destroyPrevious?: boolean | 'at-end'; batchSize?: number };
  /** `fs serve`'s one-off tasks: where the task unit template is (`{{version}}`, `{{command}}`), resolved like the unit file. */
  task?: string;
  /** The unit file's text before version substitution (to render another version). */
  unitText?: string;
  /** Where the entry is in services.yaml. */
  at: { file: string; line?: number; column?: number };
}

/** The whole desired state, in file order. */
export interface DesiredState {
  /** services.yaml's URL or path. */
  source: string;
  services: DesiredService[];
  /** Every source read answered "not modified" (304, or the same file): nothing changed since the last load. */
  unchanged: boolean;
}
