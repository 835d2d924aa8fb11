/**
 * /ui/live.js: the status page's only JavaScript, plain and small (no build step). On `/` it
 * follows /ui/feed (server-sent events) and keeps the rollout tables current: a new rollout
 * appears in flight, its progress moves, and it moves to the last outcomes when it ends. On
 * `/rollouts/{id}` it follows the rollout's NDJSON event stream and extends the timeline.
 * Without JavaScript the pages are the same, as of when they were loaded.
 */
export const LIVE_SCRIPT = `(function () {
  'use strict';
  var page = window.fsPage || {};
  var ENDED = { finished: 1, superseded: 1 };
  function tone(o) { return o === 'succeeded' || o === 'unchanged' ? 'ok' : (!o || o === 'running' || o === 'queued') ? 'run' : 'bad'; }
  function describe(e) {
    var pre = e.phase === 'rollback' ? 'rollback: ' : '';
    if (e.type === 'plan') return pre + 'plan: ' + e.plan.steps.length + ' steps, ' + e.plan.count + ' instances';
    if (/^step-/.test(e.type)) return pre + e.type.slice(5) + ': ' + e.step.action + ' ' + e.step.unit;
    if (e.type === 'done') return 'done: ' + e.result.outcome;
    if (e.type === 'end') return 'end: ' + (e.outcome || e.state);
    return pre + e.type + (typeof e.unit === 'string' ? ' ' + e.unit : '');
  }
  function cell(row, field) { return row.querySelector('[data-field="' + field + '"]'); }
  function place(row, table) {
    var head = table.rows[0];
    if (row.parentNode !== head.parentNode || row.previousSibling !== head) head.parentNode.insertBefore(row, head.nextSibling);
  }
  function onRollout(m) {
    var row = document.getElementById('r-' + m.id);
    if (!row) {
      row = document.createElement('tr');
      row.id = 'r-' + m.id;
      row.innerHTML = '<td><a></a></td><td></td><td data-field="outcome"></td><td data-field="progress"></td><td class="muted" data-field="last"></td>';
      var a = row.querySelector('a');
      a.href = '/rollouts/' + encodeURIComponent(m.id);
      a.textContent = m.service;
      row.children[1].textContent = m.kind;
    }
    row.setAttribute('data-state', m.state);
    var outcome = m.outcome || m.state;
    var o = cell(row, 'outcome');
    o.textContent = outcome;
    o.className = tone(outcome);
    var p = cell(row, 'progress');
    p.textContent = '';
    if (m.total > 0) {
      var bar = document.createElement('progress');
      bar.max = m.total;
      bar.value = m.done;
      p.appendChild(bar);
      p.appendChild(document.createTextNode(' ' + m.done + '/' + m.total));
    }
    cell(row, 'last').textContent = m.last;
    place(row, document.getElementById(ENDED[m.state] ? 'recent' : 'inflight'));
    if (ENDED[m.state]) refreshServices();
  }
  // a rollout ended: the services table (versions, instances) as the server renders it now
  var refreshing = false;
  function refreshServices() {
    if (refreshing || !window.fetch || !window.DOMParser) return;
    refreshing = true;
    fetch('/', { headers: { accept: 'text/html' } }).then(function (res) { return res.text(); }).then(function (html) {
      var fresh = new DOMParser().parseFromString(html, 'text/html').getElementById('services');
      var table = document.getElementById('services');
      if (fresh && table) table.innerHTML = fresh.innerHTML;
    }).catch(function () {}).then(function () { refreshing = false; });
  }
  if (page.page === 'home') {
    var feed = new EventSource('/ui/feed');
    feed.addEventListener('rollout', function (ev) { onRollout(JSON.parse(ev.data)); });
    document.documentElement.setAttribute('data-live', 'on');
  }
  if (page.page === 'rollout' && window.fetch && window.TextDecoder) {
    var list = document.getElementById('timeline');
    var add = function (e) {
      if (e.seq !== undefined && e.seq <= page.lastSeq) return;
      var li = document.createElement('li');
      li.textContent = new Date(e.time || Date.now()).toISOString().slice(11, 19) + ' ' + describe(e);
      list.appendChild(li);
      if (e.type === 'end') {
        var out = document.getElementById('outcome');
        out.textContent = e.outcome || e.state;
        out.className = tone(e.outcome || e.state);
      }
    };
    fetch('/v1/rollouts/' + encodeURIComponent(page.id) + '/events', { headers: { accept: 'application/x-ndjson' } }).then(function (res) {
      var reader = res.body.getReader();
      var decoder = new TextDecoder();
      var buffer = '';
      function pump() {
        return reader.read().then(function (r) {
          if (r.done) return;
          buffer += decoder.decode(r.value, { stream: true });
          var lines = buffer.split('\\n');
          buffer = lines.pop();
          lines.forEach(function (l) { if (l.trim()) add(JSON.parse(l)); });
          return pump();
        });
      }
      return pump();
    });
    document.documentElement.setAttribute('data-live', 'on');
  }
})();
`;
