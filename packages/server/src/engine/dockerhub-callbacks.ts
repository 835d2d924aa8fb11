/**
 * Docker Hub's `callback_url`: POST `state` success/failure once every rollout a push started has
 * ended. The callback is written to the state store with the push's rollout ids before the 202
 * (as the rollouts themselves are), so a restart in between loses nothing: `resume()` sends every
 * callback an earlier run left pending, once its rollouts ended. Sent (or failed for good) →
 * removed from the store. A rollout id the store no longer knows counts as an error.
 */
import type { StateStore } from '../store/state-store.js';
import type { Deployer } from './deployer.js';

/** POSTs a JSON body to a URL (fetch by default; tests and the CLI may pass their own). */
export type CallbackPoster = (url: string, body: object) => Promise<void>;

export const fetchPoster: CallbackPoster = async (url, body) => {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(10_000),
  });
  await res.arrayBuffer();
  if (!res.ok) throw new Error(`callback answered ${res.status}`);
};

/** Where a failed callback is reported (never with the URL: it carries Docker Hub's token). */
export type CallbackFailure = (message: string) => void;

export class DockerHubCallbacks {
  constructor(
    private readonly store: StateStore,
    private readonly deployer: Deployer,
    private readonly post: CallbackPoster,
    private readonly failed: CallbackFailure,
  ) {}

  /** Remember the callback (synchronously, before the caller answers), then send it when due. */
  start(url: string, rolloutIds: readonly string[]): void {
    const id = this.store.addCallback(url, rolloutIds);
    void this.send(id, url, rolloutIds);
  }

  /** Send what an earlier run of the server left pending. */
  resume(): void {
    for (const c of this.store.pendingCallbacks()) void this.send(c.id, c.url, c.rollouts);
  }

  private async send(id: number, url: string, rolloutIds: readonly string[]): Promise<void> {
    const finals = await Promise.all(rolloutIds.map((r) => this.deployer.waitFor(r).catch(() => undefined)));
    const failed = finals.filter(
      (e) => !e || (e.state === 'finished' && e.outcome !== 'succeeded' && e.outcome !== 'unchanged'),
    );
    const state = failed.length === 0 ? 'success' : 'failure';
    const description =
      finals.length === 0
        ? 'fs: no service runs this tag'
        : finals
            .map((e, k) =>
              e
                ? `${e.service}: ${e.state === 'superseded' ? 'superseded' : e.outcome}`
                : `${rolloutIds[k]}: unknown`,
            )
            .join(', ');
    try {
      await this.post(url, {
        state,
        description: description.slice(0, 255),
        context: 'fs serve',
        target_url: '',
      });
    } catch (error) {
      this.failed(`Docker Hub callback failed: ${(error as Error).message}`);
    } finally {
      try {
        this.store.removeCallback(id);
      } catch {
        // the store was closed (server stopping): the next start sends it again
      }
    }
  }
}
