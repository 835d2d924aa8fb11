/** What the server keeps about one accepted request and the rollout it became. */
import type { ResultError, RolloutEvent, RolloutResult } from '@fleet-service/rollout';

/** Where a request came from. */
export type RequestSource = 'api' | 'symfoni' | 'dockerhub' | 'registry' | 'repull' | 'deployster';

/**
 * An accepted request (what the store writes before answering 202): a rolling deploy, a rollback,
 * or deployster's versioned deploy (`deploy-version`: S-<version>@1..N beside the running version)
 * and shutdown of a version (`destroy-version`).
 */
export interface DeployRequest {
  kind: 'deploy' | 'rollback' | 'deploy-version' | 'destroy-version';
  service: string;
  /** The version (image tag) to roll out; absent: the config's. */
  version?: string;
  /** Replace every instance even when its contents match (a moving tag's re-pull). */
  force?: boolean;
  /** Instances; absent: the config's. */
  count?: number;
  source: RequestSource;
  /** `deploy-version`: destroy the previous version once the new one is healthy (deployster's `destroy_previous`). @default false */
  destroyPrevious?: boolean;
  /** Docker Hub's `callback_url`: told the outcome. */
  callbackUrl?: string;
}

/**
 * `queued`: accepted, waiting for its service (or a --parallel slot); `running`: the engine runs
 * it; `finished`: it ended (see `outcome`); `superseded`: a newer request for the service replaced
 * it before it started.
 */
export type EntryState = 'queued' | 'running' | 'finished' | 'superseded';

/** A rollout's final word: the engine's outcome, or `error` when it failed before running. */
export type EntryOutcome = RolloutResult['outcome'] | 'error';

export interface RolloutEntry {
  id: string;
  service: string;
  request: DeployRequest;
  state: EntryState;
  outcome?: EntryOutcome;
  /** The failure class (rollout's classifyError) of a failed rollout. */
  failureClass?: string;
  result?: RolloutResult;
  error?: ResultError;
  /** The request that superseded this one. */
  supersededBy?: string;
  /** Clock ms. */
  createdAt: number;
  startedAt?: number;
  finishedAt?: number;
}

/** One event of a rollout's stream: the engine's, or the server's own `lock-wait`. */
export type StreamEvent =
  | RolloutEvent
  | {
      type: 'lock-wait';
      service: string;
      rolloutId: string;
      time: number;
      holder: string;
      retryInMs: number;
    };

export interface StoredEvent {
  /** 1, 2, 3… per rollout (the SSE `id`). */
  seq: number;
  event: StreamEvent;
}
