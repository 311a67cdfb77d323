// Steward audit UI: plain JavaScript, no dependencies, served by the audit service itself.
'use strict';

const view = document.getElementById('view');
const statusLine = document.getElementById('status');
let refreshTimer = null;

const esc = (value) => String(value ?? '').replace(/[&<>"']/g,
    (c) => ({'&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;'}[c]));
const ms = (value) => value == null ? '' : value >= 1000 ? (value / 1000).toFixed(2) + ' s' : value + ' ms';
const time = (iso) => iso ? iso.replace('T', ' ').replace('Z', '') : '';
const COLORS = ['#4a6cf7', '#e8710a', '#137333', '#b3261e', '#8430ce', '#007b83'];

async function api(path, options) {
  const response = await fetch(path, options);
  const body = await response.json().catch(() => ({message: response.statusText}));
  if (!response.ok) {
    throw new Error(body.message || response.statusText);
  }
  return body;
}

function table(headers, rows) {
  return '<table><thead><tr>' + headers.map((h) => `<th class="${h.endsWith(' ') ? 'num' : ''}">${esc(h.trim())}</th>`).join('')
      + '</tr></thead><tbody>' + rows.join('') + '</tbody></table>';
}

// ---- fleet, topology and replay share one rendering of a scope --------------------------------

function groupRows(scope) {
  return scope.groups.map((g) => `<tr>
      <td>${g.group}${scope.citus ? (g.group === 0 ? ' (coordinator)' : ' (worker)') : ''}</td>
      <td data-test="leader-${esc(scope.scope)}-${g.group}">${esc(g.leader)}</td>
      <td class="${g.healthy ? 'ok' : 'bad'}">${g.healthy ? 'healthy' : 'no healthy primary'}</td>
      <td>${g.paused ? '<span class="warn">paused</span>' : ''}${g.changing ? esc(g.changing) : ''}</td>
      <td class="num">${g.timeline}</td>
      <td>${g.last_change ? esc(time(g.last_change.at)) + ' ' + esc(g.last_change.from ?? '') + ' → '
          + esc(g.last_change.to) + '<div class="muted">' + esc(g.last_change.reason) + '</div>' : ''}</td></tr>`);
}

function memberRows(scope) {
  return scope.cluster.members.map((m) => `<tr>
      <td>${esc(m.name)}</td><td>${m.group ?? ''}</td><td>${esc(m.role)}</td>
      <td class="${m.state === 'failed' || m.state === 'stopped' || m.state === 'crashed' ? 'bad' : ''}">${esc(m.state)}</td>
      <td>${esc(m.host)}:${m.port}</td><td class="num">${m.timeline ?? ''}</td><td class="num">${m.lag ?? ''}</td></tr>`);
}

function scopeCard(scope) {
  return `<section class="card"><h2><a href="#/scope/${encodeURIComponent(scope.scope)}">${esc(scope.scope)}</a>
      ${scope.citus ? '<span class="muted">Citus</span>' : ''}</h2>`
      + table(['Group', 'Leader', 'Health', 'Now', 'TL ', 'Last change of leader'], groupRows(scope))
      + '<h3>Members</h3>' + table(['Member', 'Group', 'Role', 'State', 'Host', 'TL ', 'Lag (bytes) '], memberRows(scope))
      + '</section>';
}

async function fleet() {
  const data = await api('/api/fleet');
  statusLine.textContent = `${data.records} records, last ${time(data.last)}${data.caught_up ? '' : ' (catching up)'}`;
  view.innerHTML = data.scopes.length === 0 ? '<p>No cluster in the log yet.</p>' : data.scopes.map(scopeCard).join('');
}

function topologyText(scope) {
  const lines = [scope.scope];
  for (const g of scope.groups) {
    const members = scope.cluster.members.filter((m) => (m.group ?? 0) === g.group);
    lines.push(`+ group ${g.group}${scope.citus ? (g.group === 0 ? ' (coordinator)' : ' (worker)') : ''}`);
    const leader = members.find((m) => m.name === g.leader);
    if (leader) {
      lines.push(`  ${leader.name}  ${leader.role}  ${leader.state}  ${leader.host}:${leader.port}  TL ${leader.timeline ?? ''}`);
    }
    for (const m of members.filter((m) => m.name !== g.leader)) {
      lines.push(`    + ${m.name}  ${m.role}  ${m.state}  ${m.host}:${m.port}  lag ${m.lag ?? ''}`);
    }
  }
  return lines.join('\n');
}

async function scopePage(name) {
  const scope = await api('/api/scopes/' + encodeURIComponent(name));
  let html = `<section class="card"><h2>Topology of ${esc(name)}</h2><pre class="tree">${esc(topologyText(scope))}</pre></section>`;
  html += scopeCard(scope);
  for (const g of scope.groups) {
    const lag = await api(`/api/lag?scope=${encodeURIComponent(name)}&group=${g.group}`);
    html += `<section class="card"><h2>Replication lag, group ${g.group}</h2>${lineChart(lag.series)}</section>`;
  }
  view.innerHTML = html;
}

// ---- charts (inline SVG) ------------------------------------------------------------------------

function lineChart(series) {
  const names = Object.keys(series);
  if (names.length === 0) {
    return '<p class="muted">No replica reported in this window.</p>';
  }
  const all = names.flatMap((n) => series[n]);
  const t0 = Math.min(...all.map((p) => p[0])), t1 = Math.max(...all.map((p) => p[0]));
  const max = Math.max(1, ...all.map((p) => p[1]));
  const w = 800, h = 160, x = (t) => 40 + (t1 === t0 ? 0 : (t - t0) / (t1 - t0) * (w - 50)), y = (v) => h - 20 - v / max * (h - 30);
  const paths = names.map((n, i) => `<polyline fill="none" stroke="${COLORS[i % COLORS.length]}" stroke-width="1.5" points="${
      series[n].map((p) => x(p[0]).toFixed(1) + ',' + y(p[1]).toFixed(1)).join(' ')}"/>`).join('');
  return `<svg viewBox="0 0 ${w} ${h}" width="100%"><line x1="40" y1="${h - 20}" x2="${w}" y2="${h - 20}" stroke="#ccd"/>
      <text x="2" y="12">${max} B</text><text x="2" y="${h - 22}">0</text>
      <text x="40" y="${h - 6}">${esc(time(new Date(t0).toISOString()))}</text>
      <text x="${w - 150}" y="${h - 6}">${esc(time(new Date(t1).toISOString()))}</text>${paths}</svg>
      <div class="legend">${names.map((n, i) => `<span style="color:${COLORS[i % COLORS.length]}">■ ${esc(n)}</span>`).join('')}</div>`;
}

function barChart(items) {
  if (items.length === 0) {
    return '<p class="muted">No change of leader yet.</p>';
  }
  const w = 800, bar = 22, h = items.length * bar + 10, max = Math.max(1, ...items.map((i) => i.value));
  return `<svg viewBox="0 0 ${w} ${h}" width="100%">${items.map((item, k) => `
      <text x="0" y="${k * bar + 15}">${esc(item.label)}</text>
      <rect x="260" y="${k * bar + 4}" height="14" width="${Math.max(1, item.value / max * (w - 340))}" fill="${COLORS[k % 2]}"/>
      <text x="${265 + item.value / max * (w - 340)}" y="${k * bar + 15}">${ms(item.value)}</text>`).join('')}</svg>`;
}

// ---- failovers ----------------------------------------------------------------------------------

async function failovers() {
  const list = await api('/api/failovers');
  const rows = list.map((f) => `<tr><td><a class="story-link" href="#/failover/${f.index}">${esc(time(f.at))}</a></td>
      <td>${esc(f.scope)}/${f.group}</td><td>${esc(f.kind)}</td><td>${esc(f.from ?? '')} → ${esc(f.to ?? '')}</td>
      <td>${esc(f.outcome)}</td><td class="num">${ms(f.detection_ms)}</td><td class="num">${ms(f.decision_to_primary_ms)}</td>
      <td class="num">${ms(f.total_ms)}</td></tr>`);
  const bars = list.slice(0, 20).map((f) => ({label: `${time(f.at)} ${f.scope}/${f.group} ${f.kind}`, value: f.total_ms}));
  view.innerHTML = `<section class="card"><h2>Changes of leader</h2>`
      + table(['When', 'Group', 'Kind', 'From → to', 'Outcome', 'First sign → decision ', 'Decision → primary ', 'Total '], rows)
      + `</section><section class="card"><h2>Durations, first sign to last step</h2>${barChart(bars)}</section>`;
}

async function story(index) {
  const s = await api('/api/failovers/' + index);
  const steps = s.steps.map((step) => `<tr><td>${esc(time(step.at))}</td><td class="num step-delta">+${ms(step.since_previous_ms)}</td>
      <td class="num">${ms(step.since_first_ms)}</td><td><a href="#/timeline?scope=${encodeURIComponent(s.scope)}&group=${s.group}&before=${step.index + 8}">${esc(step.step)}</a></td>
      <td class="muted">${esc(step.detail ?? '')}</td></tr>`);
  const evidence = s.evidence.map((e) => `<tr><td>${esc(e.member)}</td><td>${esc(e.role)}</td><td>${esc(e.state)}</td>
      <td class="num">${e.timeline}</td><td>${esc(e.wal_position ?? '')}</td><td class="num">${e.lag_bytes}</td>
      <td class="num">${ms(e.silence_ms)}</td><td>${e.eligible ? 'yes' : 'no'}</td><td class="muted">${esc(e.note ?? '')}</td></tr>`);
  view.innerHTML = `<section class="card" id="story"><h2>${esc(s.kind)} in ${esc(s.scope)}/${s.group}: ${esc(s.from ?? '')} → ${esc(s.to ?? '')}
      (${esc(s.outcome)})</h2>
      <div class="reason" id="story-reason"><b>Reason:</b> ${esc(s.reason)}</div>
      <p>First sign: ${esc(s.first_sign)}. From the first sign to the decision ${ms(s.detection_ms)}, from the decision to the
      new primary ${ms(s.decision_to_primary_ms)}, ${ms(s.total_ms)} in all.
      <a href="#/replay/${encodeURIComponent(s.scope)}?at=${Date.parse(s.at) - 1}">Replay just before the decision</a></p>
      <h3>Steps</h3>${table(['When', 'Step took ', 'Since first ', 'Step', 'Detail'], steps)}
      <h3>Evidence compared</h3>${table(['Member', 'Role', 'State', 'TL ', 'WAL position', 'Lag ', 'Silent for ', 'Eligible', 'Note'], evidence)}
      </section>`;
}

// ---- timeline -----------------------------------------------------------------------------------

async function timeline(params) {
  const query = new URLSearchParams(params);
  if (!query.get('limit')) {
    query.set('limit', '50');
  }
  const page = await api('/api/timeline?' + query.toString());
  const value = (name) => esc(query.get(name) ?? '');
  const rows = page.rows.map((r) => `<tr><td>${esc(time(r.at))}</td><td class="muted">${r.partition}:${r.offset}</td>
      <td>${esc(r.scope ?? '')}${r.group == null ? '' : '/' + r.group}</td><td>${esc(r.member ?? '')}</td>
      <td>${esc(r.kind)}</td><td>${esc(r.summary)}</td></tr>`);
  view.innerHTML = `<section class="card"><h2>Timeline</h2>
      <form class="filters" id="timeline-form">
        <label>Scope<input name="scope" value="${value('scope')}"></label>
        <label>Group<input name="group" size="3" value="${value('group')}"></label>
        <label>Member<input name="member" value="${value('member')}"></label>
        <label>Kinds (comma-separated)<input name="kind" size="40" value="${value('kind')}" list="kinds"></label>
        <label>From<input name="from" value="${value('from')}" placeholder="2026-11-21T03:12:07Z"></label>
        <label>To<input name="to" value="${value('to')}"></label>
        <button>Filter</button></form>
      <datalist id="kinds">${page.kinds.map((k) => `<option value="${esc(k)}">`).join('')}</datalist>
      <p class="muted">${page.matched} records match (heartbeats and ticks are hidden unless named in Kinds).</p>
      ${table(['When', 'Position', 'Group', 'Member', 'Kind', 'What'], rows)}
      ${page.next == null ? '' : `<p><a href="#/timeline?${new URLSearchParams({...Object.fromEntries(query), before: page.next})}">Older →</a></p>`}
      </section>`;
  document.getElementById('timeline-form').addEventListener('submit', (event) => {
    event.preventDefault();
    const form = new FormData(event.target);
    const next = new URLSearchParams();
    for (const [k, v] of form) {
      if (v) {
        next.set(k, v);
      }
    }
    location.hash = '#/timeline?' + next.toString();
  });
}

// ---- replay -------------------------------------------------------------------------------------

async function replay(scopeName, params) {
  const fleetNow = await api('/api/fleet');
  const scopes = fleetNow.scopes.map((s) => s.scope);
  const name = scopeName || scopes[0];
  if (!name) {
    view.innerHTML = '<p>No cluster in the log yet.</p>';
    return;
  }
  const first = Date.parse(fleetNow.first), last = Date.parse(fleetNow.last);
  const at = params.get('at') ? Number(params.get('at')) : last;
  view.innerHTML = `<section class="card"><h2>Replay of ${esc(name)}</h2>
      <p><select id="replay-scope">${scopes.map((s) => `<option ${s === name ? 'selected' : ''}>${esc(s)}</option>`).join('')}</select>
      <span id="replay-at"></span></p>
      <input type="range" id="replay-slider" min="${first}" max="${last}" step="100" value="${at}">
      <div id="replay-state"></div></section>`;
  const slider = document.getElementById('replay-slider');
  let pending = null;
  const show = async () => {
    const instant = Number(slider.value);
    document.getElementById('replay-at').textContent = 'at ' + time(new Date(instant).toISOString());
    const scope = await api(`/api/scopes/${encodeURIComponent(name)}?at=${instant}`);
    if (Number(slider.value) === instant) {
      document.getElementById('replay-state').innerHTML = scopeCard(scope);
    }
  };
  slider.addEventListener('input', () => {
    clearTimeout(pending);
    pending = setTimeout(show, 60);
  });
  document.getElementById('replay-scope').addEventListener('change', (e) => {
    location.hash = '#/replay/' + encodeURIComponent(e.target.value);
  });
  await show();
}

// ---- configuration history and verify -----------------------------------------------------------

async function config() {
  const changes = await api('/api/config-history');
  const rows = changes.map((c) => `<tr><td>${esc(time(c.at))}</td><td>${esc(c.scope)}/${c.group}</td><td class="num">${c.version}</td>
      <td>${esc(c.actor)}</td><td>${c.diff.map((d) => `<div><code>${esc(d.key)}</code>: ${esc(JSON.stringify(d.before ?? null))}
      → <b>${esc(JSON.stringify(d.after ?? null))}</b></div>`).join('')}</td></tr>`);
  view.innerHTML = `<section class="card"><h2>Configuration history</h2>${table(['When', 'Group', 'Version ', 'Actor', 'Change'], rows)}</section>`;
}

function verify() {
  view.innerHTML = `<section class="card"><h2>Verify</h2><p>Runs the current decision logic again over every decision
      recorded in the log, on the log prefix it was based on, and lists any decision that would now differ.</p>
      <button id="verify-run">Verify the recorded history</button><div id="verify-result"></div></section>`;
  document.getElementById('verify-run').addEventListener('click', async () => {
    const out = document.getElementById('verify-result');
    out.textContent = 'running…';
    const result = await api('/api/verify', {method: 'POST'});
    out.innerHTML = `<p class="${result.differences === 0 ? 'ok' : 'bad'}">${result.decisions_checked} decisions checked over
        ${result.records} records in ${ms(result.millis)}: ${result.differences} difference(s).</p>
        ${result.mismatches.map((m) => `<pre>${esc(m)}</pre>`).join('')}`;
  });
}

// ---- routing ------------------------------------------------------------------------------------

async function route() {
  clearInterval(refreshTimer);
  const [path, queryText] = location.hash.replace(/^#/, '').split('?');
  const params = new URLSearchParams(queryText || '');
  const parts = path.split('/').filter(Boolean).map(decodeURIComponent);
  document.querySelectorAll('header nav a').forEach((a) => a.classList.toggle('active', a.getAttribute('href') === '#/' + (parts[0] || 'fleet')));
  try {
    switch (parts[0] || 'fleet') {
      case 'fleet':
        await fleet();
        refreshTimer = setInterval(() => fleet().catch(() => {}), 2000);
        break;
      case 'scope': await scopePage(parts[1]); break;
      case 'group': await scopePage(parts[1]); break; // alerts link to #/group/<scope>/<group>
      case 'failovers': await failovers(); break;
      case 'failover': await story(parts[1]); break;
      case 'timeline': await timeline(params); break;
      case 'replay': await replay(parts[1], params); break;
      case 'config': await config(); break;
      case 'verify': verify(); break;
      default: view.innerHTML = '<p>Unknown page.</p>';
    }
  } catch (error) {
    view.innerHTML = `<p class="bad">${esc(error.message)}</p>`;
  }
}

window.addEventListener('hashchange', route);
route();
