/** `/rollouts/{id}`: one rollout, its request, outcome and event timeline (live while it runs). */
import type { RolloutEntry, StoredEvent } from '../store/entry.js';
import { esc, layout, tone } from './html.js';
import { describeEvent } from './live-feed.js';

export function renderRollout(entry: RolloutEntry, events: readonly StoredEvent[]): string {
  const items = events
    .map(
      (e) =>
        `<li data-seq="${e.seq}"><span class="muted">${esc(new Date(e.event.time).toISOString().slice(11, 19))}</span> ${esc(describeEvent(e.event))}</li>`,
    )
    .join('');
  const outcome = entry.outcome ?? entry.state;
  const body = `<p><a href="/">← all services</a></p><h1>${esc(entry.service)}: ${esc(entry.request.kind)}${entry.request.version ? ` ${esc(entry.request.version)}` : ''}</h1>
<div class="card"><table>
<tr><th>rollout</th><td><code>${esc(entry.id)}</code></td></tr>
<tr><th>state</th><td id="outcome" class="${tone(entry.outcome ?? entry.state)}">${esc(outcome)}</td></tr>
<tr><th>requested</th><td>${esc(new Date(entry.createdAt).toISOString())} by ${esc(entry.request.source)}</td></tr>
${entry.error ? `<tr><th>error</th><td class="bad">${esc(entry.error.message)}</td></tr>` : ''}
</table></div>
<h2>Timeline</h2><div class="card"><ol id="timeline">${items}</ol></div>`;
  const live = entry.state === 'queued' || entry.state === 'running';
  return layout(
    `${entry.service} rollout`,
    body,
    live ? { page: 'rollout', id: entry.id, lastSeq: events.at(-1)?.seq ?? 0 } : undefined,
  );
}
