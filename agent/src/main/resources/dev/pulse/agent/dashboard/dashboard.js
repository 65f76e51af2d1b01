// The Pulse dashboard: reads the agent's stream and draws it. No library, no build step.
'use strict';

(function () {
  const WINDOW_MS = 15 * 60 * 1000;   // what the charts show: the agent keeps 15 minutes of series
  const MAX_POINTS = 2000;            // per series, so a long session stays light
  const MAX_SEEN = 20000;             // seqs remembered to drop duplicates
  const COLORS = { max: '#8a98a6', size: '#58a6ff', active: '#3fb950', waiting: '#f85149',
    qps: '#d2a8ff', avg: '#ffa657' };
  const VECTOR_COLORS = ['#58a6ff', '#3fb950', '#d2a8ff', '#ffa657', '#f85149', '#79c0ff'];

  const state = {
    serverId: null, lastSeq: null, seen: new Set(), seenOrder: [], received: 0,
    system: null, alerts: new Map(), alertHistory: [],
    pools: new Map(), vectors: new Map(), errors: new Map(), advice: new Map(),
    queries: new Map(), querySort: { key: 'total_ms', ascending: false }, slow: [], leaks: [],
    dropped: 0, gapsReported: 0, firstResume: true, socket: null, dirty: true,
    seriesReceived: null,
  };
  const token = new URLSearchParams(location.search).get('token');

  // --- connection: connect, resume from the last seq, reconnect with back-off ---

  let backoff = 500;

  async function connect() {
    setStatus('connecting', 'connecting…');
    let config;
    try {
      const response = await fetch('config.json' + location.search, { cache: 'no-store' });
      if (!response.ok) {
        throw new Error('config.json: HTTP ' + response.status);
      }
      config = await response.json();
    } catch (e) {
      retry('cannot read config.json (' + e.message + ')');
      return;
    }
    const url = config.stream_url + (token ? '?token=' + encodeURIComponent(token) : '');
    const socket = new WebSocket(url);
    state.socket = socket;
    socket.onopen = () => {
      backoff = 500;
      setStatus('open', 'live');
    };
    socket.onmessage = (event) => {
      let message;
      try {
        message = JSON.parse(event.data);
      } catch (e) {
        return;
      }
      handle(message);
    };
    socket.onclose = (event) => {
      if (state.socket === socket) {
        retry(event.code === 1008 ? 'wrong or missing token' : 'disconnected (' + event.code + ')');
      }
    };
  }

  function retry(why) {
    setStatus('closed', why + '; retrying');
    setTimeout(connect, backoff);
    backoff = Math.min(backoff * 2, 5000);
  }

  function send(object) {
    if (state.socket && state.socket.readyState === WebSocket.OPEN) {
      state.socket.send(JSON.stringify(object));
    }
  }

  // --- messages ---

  function handle(message) {
    if (message.channel === 'control') {
      control(message);
      return;
    }
    const seq = message.seq;
    if (state.seen.has(seq)) {
      return; // a state snapshot or a replay of something already drawn
    }
    remember(seq);
    state.received++;
    state.lastSeq = state.lastSeq === null ? seq : Math.max(state.lastSeq, seq);
    const at = Date.parse(message.timestamp);
    const data = message.data || {};
    switch (message.type) {
      case 'pool_stats': poolStats(data, at); break;
      case 'pool_resized': poolResized(data, at); break;
      case 'search_completed': search(data, at, seq); break;
      case 'vector_stats': vectorStats(data, at, seq); break;
      case 'vector_advice': vectorAdvice(data, at); break;
      case 'error_intercepted': error(data, at); break;
      case 'system_stats': state.system = { data, at }; break;
      case 'alert': alert(data, at); break;
      case 'query_stats': queryStats(data, at); break;
      case 'slow_query': slowQuery(data, at); break;
      case 'connection_leak': connectionLeak(data, at); break;
      default: break;
    }
    state.dirty = true;
  }

  function control(message) {
    const data = message.data || {};
    switch (message.type) {
      case 'welcome':
        if (state.serverId !== null && state.serverId !== data.server_id) {
          notice('the agent restarted: its seqs begin again');
          state.lastSeq = null;
          state.seen.clear();
          state.seenOrder = [];
        }
        state.serverId = data.server_id;
        // everything still held since the last seq drawn (all of it on the first connect)
        state.firstResume = state.lastSeq === null;
        send({ action: 'resume', since: state.lastSeq === null ? 0 : state.lastSeq,
          server_id: data.server_id });
        // the charts start with the agent's per-second history, not at the moment of connecting
        send({ action: 'series', minutes: 15 });
        break;
      case 'series':
        history(data);
        break;
      case 'series_end':
        state.seriesReceived = data.series;
        state.dirty = true;
        break;
      case 'resume_gap':
        state.gapsReported++;
        // on a first connect the events from before the page were never the charts' to miss:
        // the series hold that time; after a drop, a gap is a hole in what the page drew
        if (!state.firstResume) {
          notice('some events were no longer held by the agent and are missing from the charts');
        }
        break;
      case 'events_dropped':
        state.dropped = data.dropped_events;
        notice('the agent dropped events under load (' + state.dropped + ')');
        break;
      default:
        break;
    }
  }

  /** A series reply: per-second points that replace the history held for that pool or collection. */
  function history(data) {
    const v = data.values || {};
    const points = [];
    for (let i = 0; i < data.points; i++) {
      const t = data.start_ms + i * data.step_ms;
      if (data.kind === 'pool') {
        if (v.open[i] !== null) {
          points.push({ t, max: v.maximum[i], size: v.open[i], active: v.active[i],
            waiting: v.waiting[i], qps: v.qps[i], avg: v.statement_ms[i] });
        }
      } else if (v.latency_p50_ms[i] !== null) {
        points.push({ t, ms: v.latency_p50_ms[i] });
      }
    }
    if (data.kind === 'pool') {
      pool(data.name).history = points;
    } else {
      vector(data.name).history = points;
    }
  }

  /** History and live points in time order. */
  function merged(entry) {
    return entry.history.length === 0 ? entry.points
      : entry.history.concat(entry.points).sort((a, b) => a.t - b.t);
  }

  function remember(seq) {
    state.seen.add(seq);
    state.seenOrder.push(seq);
    if (state.seenOrder.length > MAX_SEEN) {
      state.seen.delete(state.seenOrder.shift());
    }
  }

  function pool(name) {
    if (!state.pools.has(name)) {
      state.pools.set(name, { latest: null, points: [], history: [], resizes: [], element: null });
    }
    return state.pools.get(name);
  }

  function poolStats(data, at) {
    const p = pool(data.pool_name);
    if (!p.latest || at >= p.latest.at) {
      p.latest = { data, at };
    }
    push(p.points, { t: at, max: data.maximum_pool_size, size: data.pool_size,
      active: data.active_connections, waiting: data.threads_awaiting, qps: data.qps,
      avg: data.avg_query_time });
  }

  function poolResized(data, at) {
    const p = pool(data.pool_name);
    p.resizes.push({ t: at, old: data.old_size, size: data.new_size, reason: data.reason });
    p.resizes.sort((a, b) => a.t - b.t);
    push(p.points, { t: at, max: data.new_size, size: data.pool_size,
      active: data.active_connections, waiting: data.threads_awaiting, qps: data.qps,
      avg: data.avg_query_time });
  }

  function vector(collection) {
    const name = collection || '(unknown)';
    if (!state.vectors.has(name)) {
      state.vectors.set(name, { count: 0, totalMs: 0, points: [], latest: null, stats: null,
        statsPoints: [], history: [], sampled: false });
    }
    return state.vectors.get(name);
  }

  // Above the agent's per-collection rate an event stands for sample_weight searches.
  function search(data, at, seq) {
    const v = vector(data.collection);
    const weight = data.sample_weight || 1;
    v.count += weight;
    v.totalMs += data.search_time_ms * weight;
    v.sampled = v.sampled || weight > 1;
    if (!v.latest || at >= v.latest.at) {
      v.latest = { data, at };
    }
    push(v.points, { t: at, ms: data.search_time_ms, seq, weight });
  }

  // vector_stats counts every search exactly, however many events were sampled out.
  function vectorStats(data, at, seq) {
    const v = vector(data.collection);
    if (!v.stats || seq > v.stats.seq) {
      v.stats = { data, at, seq };
    }
    v.sampled = v.sampled || data.events < data.searches;
    push(v.statsPoints, { t: at, p50: data.search_time_p50_ms, p99: data.search_time_p99_ms });
  }

  /** Searches so far: the latest exact total, plus what the events published after it stand for. */
  function searches(v) {
    if (!v.stats) {
      return v.count;
    }
    return v.stats.data.searches_total
      + v.points.filter(p => p.seq > v.stats.seq).reduce((sum, p) => sum + p.weight, 0);
  }

  // --- vector-search advice: the latest per pool, collection, kind and shape ---

  function vectorAdvice(data, at) {
    const e = data.evidence || {};
    const key = [data.pool_name, data.collection, data.kind, e.top_k, e.distance, e.iterative_scan].join('|');
    const known = state.advice.get(key);
    if (!known || at >= known.at) {
      state.advice.set(key, { data, at });
    }
  }

  function renderAdvice() {
    const all = [...state.advice.values()].sort((a, b) => b.at - a.at);
    document.getElementById('advice-empty').hidden = all.length > 0;
    document.getElementById('advice-list').replaceChildren(...all.map(a => {
      const li = document.createElement('li');
      li.className = a.data.status;
      li.dataset.kind = a.data.kind;
      li.dataset.collection = a.data.collection;
      const kind = document.createElement('span');
      kind.className = 'kind';
      kind.textContent = a.data.collection + ' · ' + a.data.kind + ' · ' + a.data.status;
      li.append(kind, document.createTextNode(a.data.message + ' (' + time(a.at) + ')'));
      return li;
    }));
    const curves = all.filter(a => (a.data.kind === 'ef_search' || a.data.kind === 'probes')
      && a.data.evidence && Array.isArray(a.data.evidence.points));
    const container = document.getElementById('advice-curves');
    while (container.children.length > curves.length) {
      container.lastChild.remove();
    }
    while (container.children.length < curves.length) {
      const canvas = document.createElement('canvas');
      canvas.className = 'chart advice-curve';
      container.append(canvas);
    }
    curves.forEach((a, i) => adviceCurve(container.children[i], a.data));
  }

  /** Recall (with its interval) and latency against the setting's value, on a log scale. */
  function adviceCurve(canvas, data) {
    const e = data.evidence;
    const points = e.points;
    const ratio = window.devicePixelRatio || 1;
    const width = canvas.clientWidth || 600;
    const height = canvas.clientHeight || 180;
    if (canvas.width !== Math.round(width * ratio)) {
      canvas.width = Math.round(width * ratio);
      canvas.height = Math.round(height * ratio);
    }
    const g = canvas.getContext('2d');
    g.setTransform(ratio, 0, 0, ratio, 0, 0);
    g.clearRect(0, 0, width, height);
    const left = 44, right = width - 44, upper = 22, lower = height - 20;
    const low = Math.log(Math.min(...points.map(p => p.value)));
    const high = Math.log(Math.max(...points.map(p => p.value)));
    const x = v => left + (right - left) * (Math.log(v) - low) / Math.max(1e-9, high - low);
    const y = r => lower - (lower - upper) * r;
    const slowest = Math.max(0.001, ...points.map(p => p.latency_ms));
    const yMs = ms => lower - (lower - upper) * ms / slowest / 1.1;
    g.font = '11px system-ui, sans-serif';
    g.strokeStyle = '#2a3540';
    g.fillStyle = '#8a98a6';
    for (const r of [0, 0.5, 1]) {
      g.beginPath();
      g.moveTo(left, y(r));
      g.lineTo(right, y(r));
      g.stroke();
      g.fillText(r.toFixed(1), 4, y(r) + 4);
    }
    g.fillText(fixed(slowest * 1.1, 2) + ' ms', right + 4, upper + 4);
    for (const p of points) {
      g.fillText(String(p.value), x(p.value) - 6, height - 5);
    }
    g.strokeStyle = '#f85149';
    g.setLineDash([4, 3]);
    g.beginPath();
    g.moveTo(left, y(e.target));
    g.lineTo(right, y(e.target));
    g.stroke();
    g.setLineDash([]);
    g.strokeStyle = '#3fb950';
    g.lineWidth = 1.8;
    g.beginPath();
    points.forEach((p, i) => i === 0 ? g.moveTo(x(p.value), y(p.recall)) : g.lineTo(x(p.value), y(p.recall)));
    g.stroke();
    g.lineWidth = 1;
    for (const p of points) { // the 95% interval of each mean recall
      g.beginPath();
      g.moveTo(x(p.value), y(Math.max(0, p.recall - p.half_width)));
      g.lineTo(x(p.value), y(Math.min(1, p.recall + p.half_width)));
      g.stroke();
    }
    g.strokeStyle = '#ffa657';
    g.lineWidth = 1.8;
    g.beginPath();
    points.forEach((p, i) => i === 0 ? g.moveTo(x(p.value), yMs(p.latency_ms)) : g.lineTo(x(p.value), yMs(p.latency_ms)));
    g.stroke();
    const chosen = data.recommended && (data.recommended.ef_search || data.recommended.probes);
    if (chosen) {
      g.fillStyle = '#58a6ff';
      g.fillRect(x(chosen) - 1, upper, 2, lower - upper);
    }
    g.fillStyle = '#d8e0e8';
    g.fillText(data.collection + ' (k ' + e.top_k + '): recall (green, ±95%) and ms (orange) by '
      + e.parameter + ', ' + e.samples + ' samples, target ' + e.target
      + (chosen ? ', recommended ' + chosen : ''), left, 14);
    canvas.dataset.points = String(points.length);
    canvas.dataset.recommended = String(chosen || '');
  }

  function error(data, at) {
    const known = state.errors.get(data.error_id);
    state.errors.set(data.error_id, { data, at, reports: known ? known.reports + 1 : 1,
      total: (known ? known.total : 0) + (data.count || 1) });
  }

  function alert(data, at) {
    state.alerts.set(data.alert_id, { data, at });
    state.alertHistory.unshift({ data, at });
    state.alertHistory.length = Math.min(state.alertHistory.length, 200);
  }

  function push(points, point) {
    points.push(point);
    if (points.length > 1 && points[points.length - 2].t > point.t) {
      points.sort((a, b) => a.t - b.t); // replayed history arrives after the live state
    }
    if (points.length > MAX_POINTS) {
      points.shift();
    }
  }

  // --- drawing ---

  function render() {
    if (state.dirty) {
      state.dirty = false;
      renderInfo();
      renderSystem();
      renderPools();
      renderVectors();
      renderAdvice();
      renderErrors();
      renderQueries();
      if (state.seriesReceived !== null) {
        // said once the charts were drawn with the series: what a test waits for
        document.body.dataset.series = String(state.seriesReceived);
      }
    }
    setTimeout(() => requestAnimationFrame(render), 250);
  }

  function renderInfo() {
    document.getElementById('stream-info').textContent = state.serverId === null ? ''
      : 'server ' + state.serverId + ' · seq ' + state.lastSeq + ' · ' + state.received + ' events';
  }

  function renderSystem() {
    if (state.system) {
      const d = state.system.data;
      figures(document.getElementById('system-figures'), [
        ['statements', d.total_requests], ['failed', d.failed_requests],
        ['mean time', fixed(d.avg_response_time, 2) + ' ms'],
        ['connections in use', d.active_connections],
        ['heap', fixed(d.memory_usage, 0) + (d.memory_max ? ' / ' + fixed(d.memory_max, 0) : '') + ' MB'],
        ['CPU', d.cpu_usage === null ? '—' : fixed(d.cpu_usage, 1) + ' %'],
        ['threads', d.threads === undefined ? '—' : d.threads], ['uptime', duration(d.uptime)],
      ]);
    }
    const firing = [...state.alerts.values()].filter(a => a.data.state === 'firing');
    const list = document.getElementById('alerts-firing');
    list.replaceChildren(...(firing.length === 0 ? [item('no alert firing', 'muted')]
      : firing.map(a => alertItem(a, a.data.severity))));
    document.getElementById('alerts-history').replaceChildren(
      ...state.alertHistory.map(a => alertItem(a, a.data.state === 'resolved' ? 'resolved' : a.data.severity)));
  }

  function alertItem(a, cls) {
    const li = item(time(a.at) + '  ' + a.data.severity.toUpperCase() + '  ' + a.data.alert_id
      + ': ' + a.data.message, cls);
    li.dataset.alertId = a.data.alert_id;
    li.dataset.state = a.data.state;
    return li;
  }

  function renderPools() {
    const list = document.getElementById('pool-list');
    if (state.pools.size > 0 && list.querySelector('p.muted')) {
      list.replaceChildren();
    }
    for (const [name, p] of state.pools) {
      if (!p.element) {
        p.element = poolElement(name);
        list.appendChild(p.element);
      }
      const d = p.latest ? p.latest.data : null;
      if (d) {
        figures(p.element.querySelector('.figures'), [
          ['maximum', d.maximum_pool_size], ['open', d.pool_size], ['active', d.active_connections],
          ['idle', d.idle_connections], ['waiting', d.threads_awaiting],
          ['utilization', fixed(d.utilization, 0) + ' %'], ['QPS', fixed(d.qps, 1)],
          ['statement', fixed(d.avg_query_time, 2) + ' ms'],
          ['wait p99', d.wait_p99 === undefined ? '—' : fixed(d.wait_p99, 1) + ' ms'],
          ['statements', d.total_queries],
        ]);
      }
      const markers = p.resizes.map(r => ({ t: r.t, label: r.old + '→' + r.size,
        color: r.size > r.old ? '#d29922' : '#3fb950' }));
      const canvases = p.element.querySelectorAll('canvas');
      const points = merged(p);
      chart(canvases[0], [
        series('maximum', COLORS.max, points, 'max', true), series('open', COLORS.size, points, 'size'),
        series('active', COLORS.active, points, 'active'), series('waiting', COLORS.waiting, points, 'waiting'),
      ], markers, 'connections');
      chart(canvases[1], [series('QPS', COLORS.qps, points, 'qps')], markers, 'statements / s');
      chart(canvases[2], [series('mean ms', COLORS.avg, points, 'avg')], markers, 'statement ms');
      const resizes = p.element.querySelector('.resizes');
      resizes.replaceChildren(...p.resizes.slice().reverse().map(r => {
        const li = item(time(r.t) + '  ' + r.old + ' → ' + r.size + '  ' + r.reason,
          r.size > r.old ? 'up' : 'down');
        li.dataset.reason = r.reason;
        return li;
      }));
      if (p.resizes.length === 0) {
        resizes.replaceChildren(item('no resize yet', 'muted'));
      }
    }
  }

  function poolElement(name) {
    const div = document.createElement('div');
    div.className = 'pool';
    div.dataset.pool = name;
    const title = document.createElement('h3');
    title.textContent = name;
    const figs = document.createElement('div');
    figs.className = 'figures';
    const charts = document.createElement('div');
    charts.className = 'charts';
    for (const kind of ['connections', 'qps', 'time']) {
      const canvas = document.createElement('canvas');
      canvas.className = 'chart';
      canvas.dataset.chart = kind;
      charts.appendChild(canvas);
    }
    const heading = document.createElement('h3');
    heading.textContent = 'Resizes';
    const resizes = document.createElement('ol');
    resizes.className = 'resizes';
    div.append(title, figs, charts, heading, resizes);
    return div;
  }

  function renderVectors() {
    const rows = [];
    const lines = [];
    let i = 0;
    for (const [name, v] of state.vectors) {
      const color = VECTOR_COLORS[i++ % VECTOR_COLORS.length];
      if (v.sampled && v.statsPoints.length) {
        // sampled events show only some searches: draw the exact percentiles instead, after
        // the agent's per-second history
        lines.push({ label: name + ' p50', color, points: v.history.map(p => [p.t, p.ms])
          .concat(v.statsPoints.filter(p => p.p50 !== null).map(p => [p.t, p.p50]))
          .sort((a, b) => a[0] - b[0]) });
        lines.push({ label: name + ' p99', color,
          points: v.statsPoints.filter(p => p.p99 !== null).map(p => [p.t, p.p99]) });
      } else {
        lines.push({ label: name, color, points: merged(v).map(p => [p.t, p.ms]) });
      }
      if (!v.latest && !v.stats) {
        continue; // known from the history only, until its next search
      }
      const d = v.latest ? v.latest.data : {};
      const s = v.stats ? v.stats.data : {};
      const recallOf = v.latest ? d : s;
      const recall = recallOf.recall_estimated === null || recallOf.recall_estimated === undefined
        ? 'measuring…' : fixed(recallOf.recall_estimated * 100, 1) + ' %';
      const tr = row([name, searches(v), fixed(d.search_time_ms, 2),
        v.count ? fixed(v.totalMs / v.count, 2) : undefined, d.top_k, d.ef_search, d.probes,
        d.results_count, recall, recallOf.recall_samples,
        fixed(s.search_time_p50_ms, 2), fixed(s.search_time_p99_ms, 2)]);
      tr.dataset.collection = name;
      tr.dataset.sampled = String(v.sampled);
      rows.push(tr);
    }
    document.querySelector('#vector-table tbody').replaceChildren(...rows);
    chart(document.getElementById('vector-chart'), lines, [], 'search ms');
  }

  function renderErrors() {
    const rows = [...state.errors.values()].sort((a, b) => b.at - a.at).map(e => {
      const d = e.data;
      const tr = row([d.error_type, d.error_scene, d.sql_state || '—', e.total, d.status,
        fixed(d.confidence, 2), d.message, d.solution]);
      tr.dataset.errorId = d.error_id;
      tr.cells[4].className = 'status-' + d.status;
      tr.cells[7].className = 'solution';
      return tr;
    });
    document.querySelector('#error-table tbody').replaceChildren(...rows);
  }

  // --- queries: the table by shape, slow statements, connections held too long ---

  function queryStats(data, at) {
    state.queries.set(data.pool_name, { data, at });
  }

  function slowQuery(data, at) {
    state.slow.unshift({ data, at });
    state.slow.length = Math.min(state.slow.length, 50);
  }

  function connectionLeak(data, at) {
    state.leaks.unshift({ data, at });
    state.leaks.length = Math.min(state.leaks.length, 50);
  }

  function sortQueriesBy(key) {
    const sort = state.querySort;
    sort.ascending = sort.key === key ? !sort.ascending : key === 'pool' || key === 'sql';
    sort.key = key;
    state.dirty = true;
  }

  function renderQueries() {
    const shapes = [];
    let evicted = 0;
    for (const [pool, q] of state.queries) {
      evicted += q.data.evicted_shapes || 0;
      for (const shape of q.data.queries || []) {
        shapes.push(Object.assign({ pool }, shape));
      }
    }
    const { key, ascending } = state.querySort;
    shapes.sort((a, b) => {
      const order = typeof a[key] === 'string' ? a[key].localeCompare(b[key]) : a[key] - b[key];
      return ascending ? order : -order;
    });
    const rows = shapes.map(s => {
      const tr = row([s.pool, s.sql, s.calls, fixed(s.total_ms, 1), fixed(s.mean_ms, 2),
        fixed(s.p99_ms, 2), s.rows, s.failures]);
      tr.dataset.shapeId = s.shape_id;
      tr.cells[1].className = 'sql';
      for (let i = 2; i < 8; i++) {
        tr.cells[i].className = 'num';
      }
      return tr;
    });
    const table = document.getElementById('query-table');
    table.querySelector('tbody').replaceChildren(...rows);
    for (const th of table.querySelectorAll('th[data-key]')) {
      th.onclick = () => sortQueriesBy(th.dataset.key);
      th.classList.toggle('sorted', th.dataset.key === key);
      th.classList.toggle('ascending', th.dataset.key === key && ascending);
    }
    document.getElementById('query-note').textContent = state.queries.size === 0
      ? 'waiting for query_stats…'
      : shapes.length + ' shapes shown (top 50 per pool by total time)'
        + (evicted ? ' · ' + evicted + ' shapes evicted' : '');
    document.getElementById('slow-list').replaceChildren(...state.slow.map(s =>
      withCallSite(item(time(s.at) + ' · ' + s.data.pool_name + ' · ' + fixed(s.data.time_ms, 0)
        + ' ms · ' + s.data.thread + ' · ' + s.data.sql, 'warning'), s.data.call_site)));
    document.getElementById('leak-list').replaceChildren(...state.leaks.map(l =>
      withCallSite(item(time(l.at) + ' · ' + l.data.pool_name + ' · ' + l.data.status + ' '
        + fixed(l.data.held_ms / 1000, 1) + ' s · ' + l.data.thread,
        l.data.status === 'held' ? 'critical' : 'resolved'), l.data.call_site)));
  }

  function withCallSite(li, frames) {
    const site = document.createElement('span');
    site.className = 'call-site';
    site.textContent = (frames || []).join(' ← ');
    li.appendChild(site);
    return li;
  }

  function series(label, color, points, key, step) {
    return { label, color, step, points: points.filter(p => p[key] !== undefined && p[key] !== null)
      .map(p => [p.t, p[key]]) };
  }

  /** A line chart over the last WINDOW_MS with vertical markers; records how much it drew. */
  function chart(canvas, lines, markers, title) {
    const ratio = window.devicePixelRatio || 1;
    const width = canvas.clientWidth || 600;
    const height = canvas.clientHeight || 180;
    if (canvas.width !== Math.round(width * ratio)) {
      canvas.width = Math.round(width * ratio);
      canvas.height = Math.round(height * ratio);
    }
    const g = canvas.getContext('2d');
    g.setTransform(ratio, 0, 0, ratio, 0, 0);
    g.clearRect(0, 0, width, height);
    const all = lines.flatMap(l => l.points);
    const now = Math.max(Date.now(), ...all.map(p => p[0]));
    const start = Math.max(Math.min(...all.map(p => p[0]), now - 60000), now - WINDOW_MS);
    const top = Math.max(1, ...all.map(p => p[1])) * 1.15;
    const left = 44, right = width - 10, upper = 22, lower = height - 20;
    const x = t => left + (right - left) * (t - start) / Math.max(1, now - start);
    const y = v => lower - (lower - upper) * v / top;
    g.font = '11px system-ui, sans-serif';
    g.strokeStyle = '#2a3540';
    g.fillStyle = '#8a98a6';
    g.lineWidth = 1;
    for (let i = 0; i <= 4; i++) {
      const value = top * i / 4;
      g.beginPath();
      g.moveTo(left, y(value));
      g.lineTo(right, y(value));
      g.stroke();
      g.fillText(value >= 10 ? value.toFixed(0) : value.toFixed(1), 4, y(value) + 4);
    }
    g.fillText(time(start), left, height - 5);
    g.fillText(time(now), right - 50, height - 5);
    g.fillStyle = '#d8e0e8';
    g.fillText(title, left, 14);
    let legend = left + g.measureText(title).width + 16;
    for (const m of markers.filter(m => m.t >= start)) {
      g.strokeStyle = m.color;
      g.setLineDash([4, 3]);
      g.beginPath();
      g.moveTo(x(m.t), upper);
      g.lineTo(x(m.t), lower);
      g.stroke();
      g.setLineDash([]);
      g.fillStyle = m.color;
      g.fillText(m.label, x(m.t) + 3, upper + 10);
    }
    let drawn = 0;
    for (const line of lines) {
      const points = line.points.filter(p => p[0] >= start);
      g.strokeStyle = line.color;
      g.lineWidth = 1.8;
      g.beginPath();
      points.forEach((p, i) => {
        if (i === 0) {
          g.moveTo(x(p[0]), y(p[1]));
        } else {
          if (line.step) {
            g.lineTo(x(p[0]), y(points[i - 1][1]));
          }
          g.lineTo(x(p[0]), y(p[1]));
        }
      });
      if (points.length === 1) {
        g.arc(x(points[0][0]), y(points[0][1]), 2, 0, 2 * Math.PI);
      }
      g.stroke();
      drawn += points.length;
      g.fillStyle = line.color;
      g.fillRect(legend, 6, 10, 10);
      g.fillStyle = '#d8e0e8';
      g.fillText(line.label, legend + 13, 14);
      legend += g.measureText(line.label).width + 26;
    }
    canvas.dataset.points = String(drawn);
    // the time of the earliest point drawn (epoch ms), empty when none: what the chart remembers
    const firsts = lines.map(l => l.points.find(p => p[0] >= start)).filter(p => p).map(p => p[0]);
    canvas.dataset.first = firsts.length === 0 ? '' : String(Math.min(...firsts));
    canvas.dataset.markers = String(markers.length);
  }

  // --- small helpers ---

  function figures(container, pairs) {
    container.replaceChildren(...pairs.map(([label, value]) => {
      const div = document.createElement('div');
      div.className = 'figure';
      div.dataset.figure = label;
      const l = document.createElement('div');
      l.className = 'label';
      l.textContent = label;
      const v = document.createElement('div');
      v.className = 'value';
      v.textContent = value === undefined || value === null ? '—' : String(value);
      div.append(l, v);
      return div;
    }));
  }

  function row(cells) {
    const tr = document.createElement('tr');
    for (const cell of cells) {
      const td = document.createElement('td');
      td.textContent = cell === undefined || cell === null ? '—' : String(cell);
      tr.appendChild(td);
    }
    return tr;
  }

  function item(text, cls) {
    const li = document.createElement('li');
    li.textContent = text;
    if (cls) {
      li.className = cls;
    }
    return li;
  }

  function setStatus(kind, text) {
    const status = document.getElementById('status');
    status.className = 'status ' + kind;
    status.dataset.state = kind;
    status.textContent = text;
  }

  function notice(text) {
    document.getElementById('notices').textContent = text;
  }

  function fixed(value, digits) {
    return typeof value === 'number' ? value.toFixed(digits) : '—';
  }

  function time(t) {
    return new Date(t).toLocaleTimeString([], { hour12: false });
  }

  function duration(seconds) {
    if (typeof seconds !== 'number') {
      return '—';
    }
    const h = Math.floor(seconds / 3600), m = Math.floor(seconds % 3600 / 60), s = seconds % 60;
    return (h > 0 ? h + 'h ' : '') + (h > 0 || m > 0 ? m + 'm ' : '') + s + 's';
  }

  // For tests and the curious: what the page received, and a way to drop the connection.
  window.pulse = {
    received: () => state.received,
    lastSeq: () => state.lastSeq,
    /** Seqs between the first and the last received that never arrived. */
    missing: () => {
      const seqs = [...state.seen].sort((a, b) => a - b);
      return seqs.length === 0 ? 0 : seqs[seqs.length - 1] - seqs[0] + 1 - seqs.length;
    },
    gapsReported: () => state.gapsReported,
    drop: () => state.socket && state.socket.close(),
  };

  connect();
  requestAnimationFrame(render);
})();
