/** Watch a rollout's event stream (SSE or NDJSON) over a raw HTTP request until its `end`. */
import { request as httpRequest } from 'node:http';
import { TOKEN } from './serve-harness.js';

export interface Watched {
  /** `seq` of every event, in order. */
  seqs: number[];
  types: string[];
  end: any;
}

export function watchEvents(
  base: string,
  id: string,
  opts: { ndjson?: boolean; lastEventId?: number; socketPath?: string } = {},
): Promise<Watched> {
  const headers: Record<string, string> = { authorization: `Bearer ${TOKEN}` };
  if (opts.ndjson) headers.accept = 'application/x-ndjson';
  if (opts.lastEventId) headers['last-event-id'] = String(opts.lastEventId);
  const url = opts.socketPath
    ? `http://fs.local/v1/rollouts/${id}/events`
    : `${base}/v1/rollouts/${id}/events`;
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      url,
      { headers, ...(opts.socketPath ? { socketPath: opts.socketPath } : {}) },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c) => {
          text += c;
        });
        res.on('end', () => resolve(opts.ndjson ? parseNdjson(text) : parseSse(text)));
      },
    );
    req.on('error', reject);
    req.end();
  });
}

function parseNdjson(text: string): Watched {
  const out: Watched = { seqs: [], types: [], end: undefined };
  for (const line of text.split('\n').filter(Boolean)) {
    const o = JSON.parse(line);
    if (o.type === 'end' && o.seq === undefined) out.end = o;
    else {
      out.seqs.push(o.seq);
      out.types.push(o.type);
    }
  }
  return out;
}

function parseSse(text: string): Watched {
  const out: Watched = { seqs: [], types: [], end: undefined };
  for (const block of text.split('\n\n').filter(Boolean)) {
    const fields = Object.fromEntries(
      block.split('\n').map((l) => [l.slice(0, l.indexOf(':')), l.slice(l.indexOf(':') + 2)]),
    );
    if (fields.event === 'end') out.end = JSON.parse(fields.data ?? '{}');
    else {
      out.seqs.push(Number(fields.id));
      out.types.push(fields.event ?? '');
    }
  }
  return out;
}
