/** The status page's HTML frame: escaping, the layout (readable on a phone), small helpers. */

/** Text for HTML (element content and attribute values). */
export function esc(value: unknown): string {
  return String(value ?? '')
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;');
}

const STYLE = `
body{font:15px/1.4 system-ui,sans-serif;margin:0;padding:12px;color:#1b1f24;background:#f6f8fa}
h1{font-size:1.3em;margin:0 0 8px}h2{font-size:1.1em;margin:20px 0 6px}
.card{background:#fff;border:1px solid #d0d7de;border-radius:6px;padding:8px;overflow-x:auto}
table{border-collapse:collapse;width:100%}th,td{text-align:left;padding:4px 8px;border-bottom:1px solid #eaeef2;vertical-align:top}
th{font-weight:600;color:#57606a;font-size:.9em}code{font-size:.9em}
.ok{color:#1a7f37}.bad{color:#cf222e}.run{color:#9a6700}.muted{color:#57606a;font-size:.9em}
progress{width:8em}ol{padding-left:1.4em;margin:0}li{margin:2px 0}
@media (max-width:600px){td,th{padding:3px 4px}body{padding:6px}}
`;

/** A whole page; `live` (data for /ui/live.js) adds the live parts (the page works without them). */
export function layout(title: string, body: string, live?: object): string {
  const script = live ? JSON.stringify(live).replaceAll('<', '\\u003c') : undefined;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1">
<title>${esc(title)}</title><style>${STYLE}</style></head>
<body>${body}${script ? `<script src="/ui/live.js" defer></script><script>window.fsPage=${script}</script>` : ''}</body></html>
`;
}

/** A CSS class for an outcome or state. */
export function tone(outcome: string | undefined): string {
  if (outcome === 'succeeded' || outcome === 'unchanged' || outcome === 'running-ok') return 'ok';
  if (outcome === undefined || outcome === 'running' || outcome === 'queued') return 'run';
  return 'bad';
}
