/**
 * A registry push → deploy requests (pure). Every configured service whose `image` is the pushed
 * repository and that allows updates:
 * - tracks a moving tag (its configured version is `latest`, `qa`, … or absent = `latest`) and that
 *   tag was pushed → a forced rolling restart (same contents; units re-pull), one batch at a time;
 * - runs versions (its configured version is `1.2`, `v1.12`, …) and a version tag was pushed → an
 *   update to that version;
 * anything else is left alone (a push of `qa` does not touch a service on versions, and v2.0 does
 * not move a service that tracks `qa`).
 */
import type { ServeConfig } from '../config/serve-config.js';
import type { DeployRequest, RequestSource } from '../store/entry.js';
import { isMovingTag, sameRepository } from './image-ref.js';

export interface PushMatch {
  requests: DeployRequest[];
  /** Services with this image that the push does not touch, and why. */
  skipped: { service: string; reason: string }[];
}

export function requestsForPush(
  config: ServeConfig,
  push: { repositories: string[]; tag: string },
  source: RequestSource,
  callbackUrl?: string,
): PushMatch {
  const out: PushMatch = { requests: [], skipped: [] };
  for (const d of config.services.values()) {
    if (!d.image || !push.repositories.some((r) => sameRepository(r, d.image!))) continue;
    if (!d.allowUpdates) {
      out.skipped.push({ service: d.service, reason: 'updates not allowed (allowUpdates)' });
      continue;
    }
    const tracked = d.version ?? 'latest';
    const base = {
      kind: 'deploy' as const,
      service: d.service,
      source,
      ...(callbackUrl ? { callbackUrl } : {}),
    };
    if (isMovingTag(tracked)) {
      if (push.tag === tracked) out.requests.push({ ...base, version: tracked, force: true });
      else out.skipped.push({ service: d.service, reason: `tracks ${tracked}, not ${push.tag}` });
    } else if (isMovingTag(push.tag)) {
      out.skipped.push({ service: d.service, reason: `runs versions; ${push.tag} is a moving tag` });
    } else out.requests.push({ ...base, version: push.tag });
  }
  return out;
}

/** Services on a moving tag, for the periodic re-pull. */
export function repullRequests(config: ServeConfig): DeployRequest[] {
  const out: DeployRequest[] = [];
  for (const d of config.services.values()) {
    const tracked = d.version ?? 'latest';
    if (d.image && d.allowUpdates && d.kind === 'template' && isMovingTag(tracked))
      out.push({ kind: 'deploy', service: d.service, version: tracked, force: true, source: 'repull' });
  }
  return out;
}
