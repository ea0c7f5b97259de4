// The anomalog console. Every text that comes from logs or from the API is put into the page with textContent
// (never as HTML), so a log line holding markup shows as text.
(function () {
  'use strict';
  const $ = (id) => document.getElementById(id);
  const state = { rows: new Map(), hosts: new Set(), chart: null, chartHosts: '', current: null,
    pointing: false, held: [] };

  function el(tag, text, cls) {
    const e = document.createElement(tag);
    if (text !== undefined && text !== null) e.textContent = String(text);
    if (cls) e.className = cls;
    return e;
  }
  function clear(node) { while (node.firstChild) node.removeChild(node.firstChild); }
  function fmtTime(iso) {
    if (!iso) return '';
    const d = new Date(iso);
    return isNaN(d) ? String(iso) : d.toLocaleTimeString();
  }
  function num(x, digits) { return x === null || x === undefined ? '-' : Number(x).toFixed(digits || 0); }
  function token() { return sessionStorage.getItem('anomalog-token') || ''; }

  async function api(path, options) {
    const r = await fetch(path, Object.assign({ credentials: 'same-origin' }, options || {}));
    let body = null;
    try { body = await r.json(); } catch (e) { body = null; }
    if (!r.ok) throw new Error((body && body.error) || ('HTTP ' + r.status));
    return body;
  }

  // ---- list --------------------------------------------------------------------------------------------

  function verdictCell(v) { return el('td', v || '', v ? 'v-' + v : ''); }

  function rowOf(a) {
    const tr = document.createElement('tr');
    tr.dataset.id = a.id;
    tr.dataset.host = a.host || '';
    tr.appendChild(el('td', fmtTime(a.detectedAt)));
    tr.appendChild(el('td', a.host));
    tr.appendChild(el('td', a.sessionId));
    tr.appendChild(el('td', a.method));
    tr.appendChild(el('td', num(a.score, 3)));
    tr.appendChild(el('td', a.lines));
    tr.appendChild(verdictCell(a.verdict));
    tr.title = a.summary || '';
    tr.addEventListener('click', () => { location.hash = '#/anomaly/' + encodeURIComponent(a.id); });
    return tr;
  }

  function visible(a) {
    const h = $('f-host').value, v = $('f-verdict').value;
    if (h && a.host !== h) return false;
    if (v === 'none') return !a.verdict;
    if (v !== 'any') return a.verdict === v;
    return true;
  }

  function addHost(h) {
    if (!h || state.hosts.has(h)) return;
    state.hosts.add(h);
    const o = el('option', h);
    o.value = h;
    $('f-host').appendChild(o);
  }

  function addAnomaly(a, fresh) {
    if (state.rows.has(a.id)) return;
    if (fresh && state.pointing) {
      // a row inserted above the pointer moves the one being aimed at: hold arrivals until the pointer leaves
      state.held.push(a);
      showHeld();
      return;
    }
    state.rows.set(a.id, a);
    addHost(a.host);
    if (!visible(a)) return;
    const tr = rowOf(a);
    if (fresh) tr.classList.add('fresh');
    const body = $('anomalies').tBodies[0];
    body.insertBefore(tr, body.firstChild);
    while (body.rows.length > 500) body.deleteRow(body.rows.length - 1);
    updateCount();
  }

  function showHeld() {
    const n = state.held.length;
    $('held').hidden = n === 0;
    $('held').textContent = n === 1 ? '1 new anomaly: show' : n + ' new anomalies: show';
  }

  function releaseHeld() {
    state.pointing = false;
    const held = state.held;
    state.held = [];
    held.forEach((a) => addAnomaly(a, true));
    showHeld();
  }

  function updateCount() {
    const n = $('anomalies').tBodies[0].rows.length;
    $('count').textContent = n ? '(' + n + ' shown)' : '';
    $('empty').hidden = n > 0;
  }

  async function loadList() {
    const q = new URLSearchParams({ limit: '500' });
    if ($('f-host').value) q.set('host', $('f-host').value);
    if ($('f-verdict').value !== 'any') q.set('verdict', $('f-verdict').value);
    const page = await api('api/anomalies?' + q);
    const body = $('anomalies').tBodies[0];
    clear(body);
    for (const a of page.items) {
      state.rows.set(a.id, a);
      addHost(a.host);
      body.appendChild(rowOf(a));
    }
    updateCount();
  }

  function setVerdict(id, verdict) {
    const a = state.rows.get(id);
    if (a) a.verdict = verdict;
    state.held.forEach((h) => { if (h.id === id) h.verdict = verdict; });
    const tr = document.querySelector('#anomalies tbody tr[data-id="' + CSS.escape(id) + '"]');
    if (tr) tr.replaceChild(verdictCell(verdict), tr.cells[6]);
    if (state.current === id) showVerdict({ verdict: verdict });
  }

  // ---- one anomaly -------------------------------------------------------------------------------------

  function fact(dl, k, v) {
    if (v === null || v === undefined || v === '') return;
    dl.appendChild(el('dt', k));
    dl.appendChild(el('dd', v));
  }

  function showVerdict(f) {
    const p = $('d-verdict');
    clear(p);
    const given = !!(f && f.verdict);
    $('fp').disabled = given;
    $('confirm').disabled = given;
    if (given) {
      p.appendChild(el('span', 'marked ' + f.verdict, 'v-' + f.verdict));
      if (f.who) p.appendChild(el('span', ' by ' + f.who + (f.at ? ' at ' + fmtTime(f.at) : '')));
      if (f.note) p.appendChild(el('span', ': ' + f.note));
    }
  }

  function table(headers, rows) {
    const t = el('table');
    const tr = document.createElement('tr');
    headers.forEach((h) => tr.appendChild(el('th', h)));
    t.createTHead().appendChild(tr);
    const b = t.createTBody();
    rows.forEach((r) => {
      const row = document.createElement('tr');
      r.forEach((c) => { if (c instanceof Node) { const td = el('td'); td.appendChild(c); row.appendChild(td); } else row.appendChild(el('td', c)); });
      b.appendChild(row);
    });
    return t;
  }

  function bar(w) { const s = el('span', null, 'bar'); s.style.width = Math.round(120 * w) + 'px'; return s; }

  /** The explanation: DeepLog's failed predictions (what came, what was expected), attention weights, or as JSON. */
  function explanation(x, a) {
    const box = $('d-explanation');
    clear(box);
    const marked = new Set();
    let diagnosis = null;
    if (x && x.model && typeof x.model === 'object' && Object.keys(x).every((k) => k === 'model' || k === 'workflow')) {
      diagnosis = x.workflow || null; // DeepLog with workflows: the model's explanation and where it left the path
      x = x.model;
    }
    if (x && Array.isArray(x.events)) {
      box.appendChild(el('p', x.anomalousEvents + ' of ' + x.judgedEvents + ' predictions failed (an event had to be among the top ' + x.topG + ')'));
      x.events.forEach((e) => {
        marked.add(e.position);
        const d = el('div', null, 'expl');
        d.appendChild(el('p', 'event ' + e.position + ': came key ' + (e.observedKey === null || e.observedKey === undefined ? 'end of session' : e.observedKey)
          + (e.observedTemplate ? ' "' + e.observedTemplate + '"' : '') + ' (p = ' + num(e.observedProbability, 4) + ', rank ' + e.observedRank + ')'));
        if (e.history) d.appendChild(el('p', 'after keys ' + e.history.map((k) => k === null ? '-' : k).join(' '), 'muted'));
        d.appendChild(table(['expected key', 'probability', '', 'template'], (e.expected || []).map((c) =>
          [c.key === null || c.key === undefined ? 'end' : c.key, num(c.probability, 4), bar(c.probability), c.template || ''])));
        box.appendChild(d);
      });
    } else if (x && Array.isArray(x.weights)) {
      box.appendChild(el('p', 'window ' + (x.window + 1) + ' of ' + x.windows + ': p(anomalous) = ' + num(x.probability, 3)));
      box.appendChild(table(['key', 'attention', '', 'template'], x.weights.map((w, i) =>
        [x.keys[i], num(w, 3), bar(w), (x.templates && x.templates[i]) || ''])));
    } else if (x) {
      box.appendChild(el('pre', JSON.stringify(x, null, 2)));
    } else {
      box.appendChild(el('p', 'the detector gave no explanation', 'muted'));
    }
    if (diagnosis) {
      const key = (k, none) => (k === null || k === undefined ? none : 'key ' + k);
      box.appendChild(el('p', 'left workflow ' + diagnosis.task + ' at event ' + diagnosis.position + ': after '
        + key(diagnosis.lastNormalState, 'the start') + ' came ' + key(diagnosis.unexpected, 'the end') + '; expected '
        + (diagnosis.expectedNext || []).map((k) => (k === null ? 'end' : k)).join(', ')
        + (diagnosis.onPath ? ' (a transition of the workflow, unexpected in its longer history)' : ''), 'diagnosis'));
      marked.add(diagnosis.position);
    }
    if (a.unknownTemplates) {
      Object.keys(a.unknownTemplates).forEach((k) =>
        box.appendChild(el('p', 'key ' + k + ' is a template the model never saw: "' + a.unknownTemplates[k] + '"')));
    }
    return marked;
  }

  /**
   * The workflow picture of a DeepLog anomaly, when its model has workflows. It is an <img>, so nothing in the SVG
   * can run; when the route has none, the page says why and shows the rest as before.
   */
  async function workflowPicture(a) {
    const box = $('d-workflow');
    clear(box);
    $('d-workflow-box').hidden = a.method !== 'deeplog';
    if (a.method !== 'deeplog') return;
    const url = 'api/anomalies/' + encodeURIComponent(a.id) + '/workflow.svg';
    let r;
    try { r = await fetch(url, { credentials: 'same-origin' }); } catch (e) { r = null; }
    if (state.current !== a.id) return;
    if (r && r.ok) {
      const img = el('img', null, 'workflow');
      img.alt = 'workflow of anomaly ' + a.id + ' with its divergence marked';
      img.addEventListener('error', () => { clear(box); box.appendChild(el('p', 'the workflow picture could not be shown', 'muted')); });
      img.src = url;
      const link = el('a', 'open the picture');
      link.href = url;
      link.target = '_blank';
      link.rel = 'noopener noreferrer';
      box.appendChild(img);
      box.appendChild(el('p')).appendChild(link);
      return;
    }
    let why = r ? 'HTTP ' + r.status : 'the console did not answer';
    try { const b = r && await r.json(); if (b && b.error) why = b.error; } catch (e) { /* keep the status */ }
    if (state.current !== a.id) return;
    box.appendChild(el('p', 'no workflow picture: ' + why, 'muted'));
  }

  async function showAnomaly(id) {
    state.current = id;
    $('d-workflow-box').hidden = true;
    $('list-view').hidden = true;
    $('detail-view').hidden = false;
    let d;
    try {
      d = await api('api/anomalies/' + encodeURIComponent(id));
    } catch (e) {
      $('d-title').textContent = 'anomaly ' + id + ': ' + e.message;
      return;
    }
    const a = d.anomaly;
    $('d-title').textContent = a.host + ' / ' + a.sessionId;
    $('d-summary').textContent = a.summary || '';
    const facts = $('d-facts');
    clear(facts);
    fact(facts, 'id', a.id);
    fact(facts, 'score', num(a.score, 4));
    fact(facts, 'method', a.method);
    fact(facts, 'model', a.modelVersion);
    fact(facts, 'closed because', a.closeReason);
    fact(facts, 'first line', a.firstLineTime);
    fact(facts, 'detected', a.detectedAt);
    fact(facts, 'keys', (a.keys || []).join(' '));
    const marked = explanation(a.explanation, a);
    const ol = $('d-lines');
    clear(ol);
    (a.lines || []).forEach((l, i) => {
      const li = el('li', l.text, marked.has(i + 1) ? 'divergence' : '');
      li.title = (l.topic || '') + ' offset ' + l.offset + ', key ' + l.key;
      ol.appendChild(li);
    });
    $('note').value = '';
    showVerdict(d.feedback);
    workflowPicture(a);
  }

  async function judge(verdict) {
    const id = state.current;
    const p = $('d-verdict');
    if (!token()) {
      clear(p);
      p.appendChild(el('span', 'enter the console token above first (printed when the console first started)', 'error'));
      $('token').focus();
      return;
    }
    try {
      const f = await api('api/anomalies/' + encodeURIComponent(id) + '/feedback', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'Authorization': 'Bearer ' + token() },
        body: JSON.stringify({ verdict: verdict, note: $('note').value || null })
      });
      showVerdict(f);
      setVerdict(id, f.verdict);
    } catch (e) {
      clear(p);
      p.appendChild(el('span', e.message, 'error'));
    }
  }

  // ---- side panel --------------------------------------------------------------------------------------

  async function loadMetrics() {
    try {
      const m = await api('api/metrics');
      const body = $('hosts').tBodies[0];
      clear(body);
      m.hosts.forEach((h) => {
        addHost(h.host);
        const tr = document.createElement('tr');
        const orDash = (v) => (v === null || v === undefined ? '-' : v);
        [h.host, num(h.linesPerSecond, 1), orDash(h.lag), orDash(h.openSessions), orDash(h.deadLetters), h.anomalies]
          .forEach((c) => tr.appendChild(el('td', c)));
        body.appendChild(tr);
      });
      const dl = $('detector');
      clear(dl);
      if (m.detector) {
        const d = m.detector;
        fact(dl, 'model version', d.modelVersion || 'unknown');
        fact(dl, 'records read', d.recordsIn);
        fact(dl, 'records/s', num(d.recordsPerSecond, 1));
        fact(dl, 'open sessions', d.openSessions);
        fact(dl, 'sessions scored', d.sessionsClosed);
        fact(dl, 'consumer lag', d.consumerLag < 0 ? 'unknown' : d.consumerLag);
        fact(dl, 'dead letters', d.deadLetters);
        fact(dl, 'new templates', d.newTemplates);
      }
      fact(dl, 'anomalies known', m.history.anomalies);
      fact(dl, 'verdicts', m.history.feedback);
    } catch (e) { /* shown again at the next refresh */ }
  }

  const PALETTE = ['#1e88e5', '#e53935', '#43a047', '#fb8c00', '#8e24aa', '#00897b', '#6d4c41', '#546e7a'];

  async function loadChart() {
    let r;
    try { r = await api('api/anomaly-rate?minutes=60'); } catch (e) { return; }
    const hosts = Object.keys(r.hosts).sort();
    const data = [r.minutes].concat(hosts.map((h) => r.hosts[h]));
    const target = $('chart');
    if (!window.uPlot) { target.textContent = 'chart library missing'; return; }
    if (state.chart && state.chartHosts === hosts.join(',')) {
      state.chart.setData(data);
      return;
    }
    if (state.chart) state.chart.destroy();
    clear(target);
    state.chartHosts = hosts.join(',');
    state.chart = new window.uPlot({
      width: Math.max(200, target.clientWidth || 380), height: 180,
      scales: { x: { time: true }, y: { range: (u, min, max) => [0, Math.max(1, max)] } },
      series: [{}].concat(hosts.map((h, i) => ({ label: h, stroke: PALETTE[i % PALETTE.length], width: 1.5 }))),
      axes: [{}, { label: 'per minute' }]
    }, data, target);
  }

  async function loadModels() {
    const box = $('models');
    let m;
    try { m = await api('api/models'); } catch (e) { box.textContent = e.message; return; }
    clear(box);
    box.appendChild(el('p', 'active: ' + m.active));
    box.appendChild(table(['version', 'from', 'made', 'what', ''], m.versions.map((v) => {
      let act = '';
      if (v.name !== m.active) {
        act = el('button', 'activate');
        act.type = 'button';
        act.addEventListener('click', async () => {
          try {
            await api('api/models/' + encodeURIComponent(v.name) + '/activate',
              { method: 'POST', headers: { 'Authorization': 'Bearer ' + token() } });
            loadModels();
          } catch (e) { box.appendChild(el('p', e.message, 'error')); }
        });
      }
      return [v.name, v.parent || '', fmtTime(v.createdAt), v.note || '', act];
    })));
    if (m.changes.length) {
      const ul = el('ul');
      m.changes.slice(-5).forEach((c) => ul.appendChild(el('li', fmtTime(c.at) + ' ' + c.action + ' ' + c.version
        + (c.previous ? ' (was ' + c.previous + ')' : '') + (c.by ? ' by ' + c.by : ''))));
      box.appendChild(ul);
    }
  }

  // ---- wiring ------------------------------------------------------------------------------------------

  function route() {
    const m = location.hash.match(/^#\/anomaly\/([^/]+)$/);
    if (m) {
      showAnomaly(decodeURIComponent(m[1]));
    } else {
      state.current = null;
      $('detail-view').hidden = true;
      $('list-view').hidden = false;
      releaseHeld();
    }
  }

  function live() {
    const es = new EventSource('api/events');
    es.onopen = () => { $('status').textContent = 'live'; $('status').className = 'status live'; };
    es.onerror = () => { $('status').textContent = 'reconnecting...'; $('status').className = 'status down'; };
    es.addEventListener('anomaly', (e) => {
      addAnomaly(JSON.parse(e.data), true);
      if (!state.chartSoon) state.chartSoon = setTimeout(() => { state.chartSoon = null; loadChart(); }, 1000);
    });
    es.addEventListener('feedback', (e) => { const f = JSON.parse(e.data); setVerdict(f.anomalyId, f.verdict); });
  }

  function showTokenState() { $('token-state').textContent = token() ? 'kept for this tab' : ''; }

  $('anomalies').tBodies[0].addEventListener('mouseenter', () => { state.pointing = true; });
  $('anomalies').tBodies[0].addEventListener('mouseleave', releaseHeld);
  $('held').addEventListener('click', releaseHeld);

  $('token-form').addEventListener('submit', (e) => {
    e.preventDefault();
    const t = $('token').value.trim();
    if (t) sessionStorage.setItem('anomalog-token', t); else sessionStorage.removeItem('anomalog-token');
    $('token').value = '';
    showTokenState();
  });
  $('fp').addEventListener('click', () => judge('false-positive'));
  $('confirm').addEventListener('click', () => judge('confirmed'));
  $('f-host').addEventListener('change', loadList);
  $('f-verdict').addEventListener('change', loadList);
  window.addEventListener('hashchange', route);

  showTokenState();
  loadList().catch((e) => { $('empty').textContent = e.message; }).then(live);
  route();
  loadMetrics(); loadChart(); loadModels();
  setInterval(loadMetrics, 2000);
  setInterval(loadChart, 10000);
  setInterval(loadModels, 15000);
})();
