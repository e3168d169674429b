// The status page's script: no build, no library. Reads the API with the bearer token the user pastes (kept in
// sessionStorage), follows GET /api/v1/connections/stream with fetch (EventSource cannot send the header), and builds
// every element with textContent: a document's text is never parsed as HTML.
'use strict';
(() => {
  const API = '/api/v1/connections';
  const TOKEN_KEY = 'crosslink.token';
  const RETRY_MS = 3000;
  const connections = new Map(); // id -> document
  let selected = null;
  let stream = null; // AbortController of the open stream

  const $ = (id) => document.getElementById(id);
  const token = () => sessionStorage.getItem(TOKEN_KEY);

  function el(tag, text, className) {
    const node = document.createElement(tag);
    if (text !== undefined && text !== null) node.textContent = String(text);
    if (className) node.className = className;
    return node;
  }

  function message(text) {
    const box = $('message');
    box.textContent = text || '';
    box.hidden = !text;
  }

  function setLive(state) {
    const live = $('live');
    live.textContent = state;
    live.className = 'live ' + (state === 'live' ? 'on' : 'off');
  }

  /** A problem+json answer as one line: its detail and each violation. */
  async function problemText(response) {
    try {
      const problem = await response.json();
      const fields = (problem.violations || []).map((v) => v.field + ': ' + v.reason).join('; ');
      return (problem.detail || problem.title || response.status) + (fields ? ' (' + fields + ')' : '');
    } catch (e) {
      return 'HTTP ' + response.status;
    }
  }

  async function api(method, path, body) {
    const headers = { Authorization: 'Bearer ' + token() };
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    const response = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    if (!response.ok) throw new Error(await problemText(response));
    return response.json();
  }

  function filters() {
    return {
      status: $('filter-status').value,
      localDeploymentId: $('filter-deployment').value.trim(),
      alias: $('filter-alias').value.trim(),
    };
  }

  function query(values) {
    const params = new URLSearchParams();
    Object.entries(values).forEach(([name, value]) => { if (value) params.set(name, value); });
    const text = params.toString();
    return text ? '?' + text : '';
  }

  function matches(doc, f) {
    const request = doc.request || {};
    return (!f.status || doc.status === f.status)
      && (!f.localDeploymentId || (request.local && request.local.deploymentId === f.localDeploymentId))
      && (!f.alias || request.alias === f.alias);
  }

  /** `ece / c0ffee00…`, the whole id in the cell's title. */
  function deploymentCell(ref) {
    const id = (ref && ref.deploymentId) || '?';
    const cell = el('td', ref ? (ref.environment || '?') + ' / ' + (id.length > 12 ? id.slice(0, 8) + '…' : id) : '',
      'id');
    cell.title = id;
    return cell;
  }

  function when(instant) {
    return instant ? new Date(instant).toLocaleString() : '';
  }

  function statusBadge(status) {
    return el('span', status, 'status status-' + status);
  }

  const ENDED = ['DISCONNECTED', 'COMPENSATED', 'REJECTED'];

  function renderList() {
    const tbody = $('connections').querySelector('tbody');
    const docs = [...connections.values()].sort((a, b) => (Date.parse(b.createdAt) || 0) - (Date.parse(a.createdAt) || 0));
    tbody.replaceChildren(...docs.map((doc) => {
      const request = doc.request || {};
      const row = el('tr');
      row.dataset.id = doc.id;
      row.dataset.alias = request.alias || '';
      row.dataset.status = doc.status;
      if (doc.id === selected) row.className = 'selected';
      const status = el('td');
      status.append(statusBadge(doc.status));
      row.append(el('td', request.alias, 'alias'), status, deploymentCell(request.local),
        deploymentCell(request.remote), el('td', request.securityModel), el('td', doc.team),
        el('td', when(doc.updatedAt)));
      const actions = el('td');
      if (!ENDED.includes(doc.status)) {
        const disconnect = el('button', 'Disconnect', 'disconnect');
        disconnect.type = 'button';
        disconnect.addEventListener('click', (event) => { event.stopPropagation(); disconnectConnection(doc); });
        actions.append(disconnect);
      }
      row.append(actions);
      row.addEventListener('click', () => { selected = doc.id; renderList(); renderDetails(); });
      return row;
    }));
    $('empty').hidden = docs.length > 0;
  }

  function renderDetails() {
    const doc = selected && connections.get(selected);
    $('details').hidden = !doc;
    if (!doc) return;
    const request = doc.request || {};
    $('details-alias').textContent = request.alias || '(no alias)';
    $('details-status').replaceWith(Object.assign(statusBadge(doc.status), { id: 'details-status' }));
    $('details-id').textContent = doc.id;
    $('details-team').textContent = doc.team || '(none)';
    $('details-subject').textContent = doc.subject || '(unknown)';

    const reasons = doc.reasons || [];
    $('details-reasons').hidden = reasons.length === 0;
    $('details-reasons').querySelector('ul')
      .replaceChildren(...reasons.map((r) => el('li', r.field + ': ' + r.reason)));

    const leftovers = doc.leftovers || [];
    $('details-leftovers').hidden = leftovers.length === 0;
    $('details-leftovers').querySelector('tbody').replaceChildren(...leftovers.map((l) => {
      const row = el('tr');
      row.append(el('td', l.deploymentId), el('td', l.resource), el('td', l.name), el('td', l.certainty),
        el('td', l.reason));
      return row;
    }));

    $('timeline').querySelector('tbody').replaceChildren(...(doc.timeline || []).map((entry) => {
      const row = el('tr', null, 'outcome-' + entry.outcome);
      const elastic = [entry.httpStatus, entry.errorType, entry.errorReason].filter((x) => x !== undefined && x !== null)
        .concat((entry.warnings || []).map((w) => 'warning: ' + w)).join(' ');
      row.append(el('td', when(entry.at)), el('td', entry.step), el('td', entry.outcome), el('td', entry.event),
        el('td', elastic));
      return row;
    }));
  }

  /** A document from the stream or an answer: newer wins; one that no longer matches the filters leaves the list. */
  function upsert(doc) {
    const known = connections.get(doc.id);
    if (known && Date.parse(known.updatedAt) > Date.parse(doc.updatedAt)) return; // e.g. a POST's answer after the stream
    if (matches(doc, filters())) {
      connections.set(doc.id, doc);
    } else {
      connections.delete(doc.id);
    }
    renderList();
    if (doc.id === selected) renderDetails();
  }

  async function reload() {
    if (!token()) return;
    try {
      const page = await api('GET', API + query({ ...filters(), size: '200' }));
      connections.clear();
      page.items.forEach((doc) => connections.set(doc.id, doc));
      renderList();
      document.body.dataset.listed = String(page.items.length); // for people and tests: the list was read
      renderDetails();
      message('');
    } catch (e) {
      message('Could not list the connections: ' + e.message);
    }
  }

  /** Follows the stream until it ends, then reads the list again (what changed meanwhile) and reconnects. */
  async function follow() {
    if (stream) stream.abort();
    if (!token()) { setLive('offline'); return; }
    const controller = new AbortController();
    stream = controller;
    const f = filters();
    setLive('connecting');
    try {
      const response = await fetch(API + '/stream' + query({ localDeploymentId: f.localDeploymentId, alias: f.alias }), {
        headers: { Authorization: 'Bearer ' + token(), Accept: 'text/event-stream' },
        signal: controller.signal,
        cache: 'no-store',
      });
      if (!response.ok) {
        message('Live updates refused: ' + await problemText(response));
        setLive('offline');
        return; // a token problem: wait for a new token
      }
      const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
      let buffer = '';
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buffer += value.replace(/\r\n?/g, '\n');
        let end;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          dispatch(buffer.slice(0, end));
          buffer = buffer.slice(end + 2);
        }
      }
    } catch (e) {
      if (controller.signal.aborted) return;
    }
    if (stream !== controller) return;
    setLive('reconnecting');
    setTimeout(() => { if (stream === controller) { reload().then(follow); } }, RETRY_MS);
  }

  /** One SSE message: `event: ready` (subscribed: read the list now) or `event: status` (a document). */
  function dispatch(block) {
    let name = 'message';
    const data = [];
    block.split('\n').forEach((line) => {
      if (line.startsWith(':')) return;
      const colon = line.indexOf(':');
      const field = colon < 0 ? line : line.slice(0, colon);
      const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
      if (field === 'event') name = value;
      if (field === 'data') data.push(value);
    });
    if (name === 'ready') {
      setLive('live');
      reload(); // after the subscription: nothing between the list and the stream is lost
    } else if (name === 'status' && data.length) {
      upsert(JSON.parse(data.join('\n')));
    }
  }

  async function disconnectConnection(doc) {
    const alias = (doc.request && doc.request.alias) || doc.id;
    if (!window.confirm('Disconnect ' + alias + '? Crosslink undoes everything it set up for it.')) return;
    try {
      upsert(await api('DELETE', API + '/' + encodeURIComponent(doc.id)));
      message('');
    } catch (e) {
      message('Could not disconnect ' + alias + ': ' + e.message);
    }
  }

  async function requestConnection(event) {
    event.preventDefault();
    const model = $('req-model').value;
    const body = {
      alias: $('req-alias').value.trim(),
      securityModel: model,
      local: { environment: $('req-local-env').value, deploymentId: $('req-local-id').value.trim() },
      remote: { environment: $('req-remote-env').value, deploymentId: $('req-remote-id').value.trim() },
      skipUnavailable: $('req-skip').checked,
    };
    const indices = $('req-indices').value.split(',').map((s) => s.trim()).filter(Boolean);
    if (model === 'api_key') body.access = { search: [{ names: indices }] };
    if (model === 'api_key' && $('req-identity').checked) body.certificateIdentity = true;
    const result = $('req-result');
    result.textContent = 'sending…';
    try {
      const doc = await api('POST', API, body);
      result.textContent = 'accepted: ' + doc.id;
      selected = doc.id;
      upsert(doc);
      message('');
    } catch (e) {
      result.textContent = '';
      message('The request was refused: ' + e.message);
    }
  }

  /** The token's claims, for display only (the service verifies it). */
  function showWho() {
    const who = $('who');
    const jwt = token();
    if (!jwt) { who.textContent = 'no token'; return; }
    try {
      const claims = JSON.parse(atob(jwt.split('.')[1].replace(/-/g, '+').replace(/_/g, '/')));
      who.textContent = (claims.sub || '?') + (claims.crosslink_team ? ' · team ' + claims.crosslink_team : ' · no team');
    } catch (e) {
      who.textContent = 'token set';
    }
  }

  function start() {
    showWho();
    delete document.body.dataset.listed;
    connections.clear();
    selected = null;
    renderList();
    renderDetails();
    follow(); // its `ready` event reads the list
  }

  $('token-form').addEventListener('submit', (event) => {
    event.preventDefault();
    const value = $('token').value.trim();
    $('token').value = '';
    if (value) sessionStorage.setItem(TOKEN_KEY, value);
    start();
  });
  $('token-forget').addEventListener('click', () => {
    sessionStorage.removeItem(TOKEN_KEY);
    if (stream) stream.abort();
    stream = null;
    setLive('offline');
    start();
  });
  ['filter-status', 'filter-deployment', 'filter-alias'].forEach((id) => $(id).addEventListener('change', start));
  $('filters').addEventListener('submit', (event) => { event.preventDefault(); start(); });
  $('req-model').addEventListener('change', () => {
    document.querySelectorAll('.api-key-only').forEach((node) => { node.hidden = $('req-model').value !== 'api_key'; });
  });
  $('request-form').addEventListener('submit', requestConnection);
  start();
})();
