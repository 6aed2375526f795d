'use strict';
// The experiments page: a list of sweeps, a sweep page and a run page, routed by the address's #fragment.
// Every user-provided string (sweep names, ids, hyperparameter values, reasons) reaches the DOM as text only.

const POLL_MS = 2000;
const main = document.getElementById('main');
const live = document.getElementById('live');
let pollTimer = null;
let routeVersion = 0;

// ---- helpers ----------------------------------------------------------------------------------------------

function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k === 'class') node.className = v;
    // Through the CSSOM: the page's content security policy refuses style attributes.
    else if (k === 'style') node.style.cssText = v;
    else if (k === 'text') node.textContent = v;
    else if (k.startsWith('on')) node.addEventListener(k.slice(2), v);
    else node.setAttribute(k, v === true ? '' : String(v));
  }
  for (const c of children.flat()) {
    if (c === null || c === undefined || c === false) continue;
    node.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return node;
}

function badge(status, extra) {
  return el('span', { class: 'badge status-' + status, 'data-status': status }, status + (extra || ''));
}

function sweepHref(id) { return '#/sweep/' + encodeURIComponent(id); }
function runHref(id, n) { return sweepHref(id) + '/run/' + n; }

// A sweep file as stored is JSON with comments and trailing commas allowed (as excl reads it), not plain JSON: JSON.parse
// refused every sweep written with a comment (the built-in examples have one), and its page showed only that error. So
// comments go, then commas before a closing bracket, both only outside strings ("http://x" and "a,}" stay as they are).
function parseSweepFile(text) {
  function outsideStrings(source, step) {
    let out = '';
    for (let i = 0; i < source.length;) {
      if (source[i] === '"') {
        let j = i + 1;
        while (j < source.length && source[j] !== '"') j += source[j] === '\\' ? 2 : 1;
        out += source.slice(i, j + 1);
        i = j + 1;
      } else {
        const [text, next] = step(source, i);
        out += text;
        i = next;
      }
    }
    return out;
  }
  const withoutComments = outsideStrings(text, (s, i) => {
    if (s.startsWith('//', i)) { const end = s.indexOf('\n', i); return ['', end < 0 ? s.length : end]; }
    if (s.startsWith('/*', i)) { const end = s.indexOf('*/', i + 2); return [' ', end < 0 ? s.length : end + 2]; }
    return [s[i], i + 1];
  });
  const closing = /\s*[}\]]/y;
  return JSON.parse(outsideStrings(withoutComments, (s, i) => {
    closing.lastIndex = i + 1;
    return [s[i] === ',' && closing.test(s) ? '' : s[i], i + 1];
  }));
}

// Stored hyperparameter values are JSON text: a string shows without its quotes.
function plain(json) {
  if (typeof json !== 'string' || !json.startsWith('"')) return json;
  try { return JSON.parse(json); } catch (e) { return json; }
}

// A range's bucket ("0.0001..0.001") may break after its "..": in the narrow per-value card it cannot otherwise, and
// the table then squeezed its bars to slivers or ran past the card.
function breakableRange(text) {
  const parts = String(text).split('..');
  return parts.flatMap((p, i) => (i < parts.length - 1 ? [p + '..', el('wbr', {})] : [p]));
}

function valueText(v) {
  return typeof v === 'number' ? formatNumber(v) : typeof v === 'string' ? v : JSON.stringify(v);
}

function configText(config) {
  return Object.entries(config || {}).map(([k, v]) => k + '=' + valueText(v)).join('  ');
}

// A run's learning rate: the swept value, else null.
function learningRate(run) {
  const v = run.config ? run.config.learning_rate : undefined;
  return typeof v === 'number' ? v : null;
}

function colorFor(value, lo, hi) {
  if (value === null || !(hi > lo)) return 'hsl(215, 70%, 45%)';
  const t = (Math.log10(value) - Math.log10(lo)) / (Math.log10(hi) - Math.log10(lo));
  return 'hsl(' + Math.round(250 - 210 * t) + ', 70%, 42%)';
}

async function api(path, options) {
  const headers = Object.assign({}, (options && options.headers) || {});
  const token = sessionStorage.getItem('excl.token');
  if (token) headers.Authorization = 'Bearer ' + token;
  const response = await fetch(path, Object.assign({}, options, { headers }));
  if (response.status === 401) {
    sessionStorage.removeItem('excl.token');
    location.href = '/login.html' + location.hash;
    throw new Error('a token is required');
  }
  if (!response.ok) {
    let message = response.status + ' ' + response.statusText;
    try { message = (await response.json()).error || message; } catch (e) { /* not JSON */ }
    throw new Error(message);
  }
  return response;
}

async function getJson(path) { return (await api(path)).json(); }

// Polls while the page shows the same view; fn returns false when there is nothing more to wait for.
function schedule(fn) {
  const version = routeVersion;
  clearTimeout(pollTimer);
  pollTimer = setTimeout(async () => {
    if (version !== routeVersion) return;
    let more = true;
    try { more = (await fn()) !== false; live.textContent = (more ? 'live · ' : 'finished · ') + new Date().toLocaleTimeString(); }
    catch (e) { live.textContent = 'update failed: ' + e.message; }
    if (more && version === routeVersion) schedule(fn);
  }, POLL_MS);
}

function stopPolling() { clearTimeout(pollTimer); pollTimer = null; }

function showError(e) {
  main.replaceChildren(el('p', { class: 'error' }, String(e.message || e)), el('p', {}, el('a', { href: '#/' }, 'Back to the sweeps')));
}

function progressBar(done, total) {
  const pct = total > 0 ? Math.min(100, Math.round(100 * done / total)) : 0;
  return el('div', { class: 'progress', title: done + ' of ' + total + ' runs finished' }, el('div', { style: 'width:' + pct + '%' }));
}

function countsLine(counts) {
  const order = ['running', 'queued', 'paused', 'completed', 'stopped', 'diverged', 'failed', 'cancelled'];
  return el('span', { class: 'counts' }, order.filter((s) => counts[s] > 0).map((s) => el('span', {}, badge(s), ' ', String(counts[s]))));
}

// ---- the list of sweeps -----------------------------------------------------------------------------------

async function showSweeps() {
  const body = el('tbody');
  main.replaceChildren(el('h1', {}, 'Sweeps'), el('div', { class: 'card' },
    el('table', { id: 'sweeps' },
      el('thead', {}, el('tr', {}, ['Sweep', 'Status', 'Progress', 'Runs by status', 'Best val loss', 'Started'].map((h) => el('th', {}, h)))),
      body)), compareBar());
  const refresh = async () => {
    const sweeps = await getJson('/api/sweeps');
    body.replaceChildren(...sweeps.map((s) => el('tr', { 'data-sweep': s.id },
      el('td', {}, comparePick(s.id), ' ', el('a', { href: sweepHref(s.id), class: 'sweep-name' }, s.name), el('div', { class: 'muted' }, s.id)),
      el('td', {}, badge(s.status)),
      el('td', {}, progressBar(s.finished_runs, s.planned_runs), el('span', { class: 'muted' }, s.finished_runs + ' / ' + s.planned_runs)),
      el('td', {}, countsLine(s.counts)),
      el('td', { class: 'num' }, formatNumber(s.best_val_loss)),
      el('td', {}, new Date(s.created_at).toLocaleString()))));
    if (sweeps.length === 0) body.replaceChildren(el('tr', {}, el('td', { colspan: 6, class: 'muted' }, 'No sweeps yet. Start one with excl submit or POST /api/sweeps/{id}.')));
  };
  await refresh();
  schedule(refresh);
}

// ---- one sweep --------------------------------------------------------------------------------------------

async function showSweep(id) {
  const runs = new Map();
  let results = null;
  // The stored sweep file, parsed once per refresh: the objective and the time budget's own text come from it.
  let sweepFile = {};
  // The server picks the points per curve by the sweep's size (fewer for big sweeps: the shape stays, the page stays responsive).
  const first = await getJson('/api/sweeps/' + encodeURIComponent(id) + '/curves');
  const points = first.points;
  for (const r of first.runs) runs.set(r.n, r);
  let sweep = first.sweep;

  const title = el('h1', { id: 'sweep-title' });
  const facts = el('div', { class: 'facts' });
  const cancelButton = el('button', { class: 'danger', id: 'cancel' }, 'Cancel sweep');
  const resumeButton = el('button', { id: 'resume' }, 'Resume');
  const actionsNote = el('span', { class: 'muted', id: 'action-note' });
  const changed = async () => { await refresh(); schedule(refresh); };
  const pauseButton = SweepActions.pauseButton(id, actionsNote, changed);
  const deleteButton = SweepDelete.button(id, actionsNote);
  let confirming = false;
  cancelButton.addEventListener('click', async () => {
    if (!confirming) { confirming = true; cancelButton.textContent = 'Really cancel?'; return; }
    cancelButton.disabled = true;
    try { await api('/api/sweeps/' + encodeURIComponent(id) + '/cancel', { method: 'POST' }); actionsNote.textContent = 'cancelling…'; await refresh(); }
    catch (e) { actionsNote.textContent = e.message; }
  });
  resumeButton.addEventListener('click', async () => {
    try { await api('/api/sweeps/' + encodeURIComponent(id) + '/resume', { method: 'POST' }); actionsNote.textContent = 'resumed'; await refresh(); }
    catch (e) { actionsNote.textContent = e.message; }
  });
  const download = (format) => async () => {
    const blob = await (await api('/api/sweeps/' + encodeURIComponent(id) + '/export.' + format)).blob();
    const a = el('a', { href: URL.createObjectURL(blob), download: id + '.' + format });
    document.body.append(a); a.click(); a.remove();
  };
  const actions = el('div', { class: 'actions' }, cancelButton, pauseButton, resumeButton, deleteButton,
    el('button', { onclick: download('csv'), id: 'download-csv' }, 'Download CSV'),
    el('button', { onclick: download('json'), id: 'download-json' }, 'Download JSON'), actionsNote);

  const logBox = el('input', { type: 'checkbox', id: 'log-scale', checked: true });
  const valOption = el('option', { value: 'val' }, 'validation loss');
  const which = el('select', { id: 'series' }, valOption, el('option', { value: 'train' }, 'train loss'), el('option', { value: 'both' }, 'both'));
  // What the runs are ranked by (a mode: max metric is shown as itself), from the sweep file once the results arrive.
  let objective = objectiveOf(null);
  const lrTitle = el('h2', {}, 'Learning rate vs final validation loss');
  const curvesCanvas = el('canvas', { class: 'chart', id: 'curves' });
  const lrCanvas = el('canvas', { class: 'chart small', id: 'lr-loss' });
  const lrNote = el('div', { class: 'legend' });
  const legend = el('div', { class: 'legend' });
  const board = el('tbody');
  const perValue = el('div', { id: 'per-value' });
  const explanation = el('p', { class: 'muted', id: 'explanation' });
  // The sweep's answer in one sentence, the same text as `excl show` (computed once, by the sweep grain).
  const answer = el('p', { class: 'answer', id: 'answer', hidden: true });
  // Its next step with the options that reach this silo's sweeps (the API's next_step): the answer's own names the
  // default data folder, wrong for a cluster's page.
  const nextStep = el('p', { class: 'answer next-step', id: 'next-step', hidden: true });
  // Measurement runs the search asked for (learning-rate range tests): runs like any other, listed apart because they are
  // not scored; each links to its run page, where its curve is the smoothed loss as the rate grows.
  const measurementRows = el('tbody');
  // Why the best won: parallel coordinates, importance, best so far (explain.js).
  const insight = new SweepInsight();
  const measurementsCard = el('div', { class: 'card', id: 'measurements', hidden: true }, el('h2', {}, 'Range tests'),
    el('table', {}, el('thead', {}, el('tr', {}, ['Run', 'Status', 'Architecture', 'Chunks', 'Suggested rate', 'How it was read'].map((h) => el('th', {}, h)))), measurementRows));

  // Changing the running sweep and the list of its edits (edit.js).
  const edits = new SweepEditsPanel(id, () => refresh());
  main.replaceChildren(
    el('p', {}, el('a', { href: '#/' }, '← Sweeps')),
    el('div', { class: 'header' }, el('div', {}, title, facts), actions),
    answer,
    nextStep,
    el('div', { class: 'grid2' },
      el('div', { class: 'card' }, el('h2', {}, 'Loss curves'),
        el('div', { class: 'controls' }, el('label', {}, logBox, ' log scale'), el('label', {}, 'show ', which)),
        curvesCanvas, legend),
      el('div', { class: 'card' }, lrTitle, lrCanvas, lrNote)),
    el('div', { class: 'grid2' },
      el('div', { class: 'card' }, el('h2', {}, 'Leaderboard'),
        el('table', { id: 'leaderboard' }, el('thead', {}, el('tr', {}, ['#', 'Run', 'Status', 'Hyperparameters', 'Epochs', 'Best val', 'Final val', 'Val acc'].map((h) => el('th', {}, h)))), board)),
      el('div', { class: 'card' }, el('h2', {}, 'Per hyperparameter'), perValue, explanation)),
    insight.element,
    measurementsCard,
    edits.element);

  const tooltipFor = (s, p) => {
    const run = s ? s.meta.run : p.meta.run;
    const lines = ['run ' + run.n + ' · ' + run.status + (run.diverged_at !== null ? ' at epoch ' + run.diverged_at : '')];
    for (const [k, v] of Object.entries(run.config)) lines.push(k + ' = ' + valueText(v));
    if (s) lines.push((s.meta.kind === 'val' && objective.maximize ? objective.name : s.meta.kind + ' loss') + ' ' + formatNumber(p[1]) + ' at epoch ' + p[0]);
    else lines.push('final ' + objective.label + ' ' + formatNumber(objective.shown(run.final)) + (run.status === 'diverged' ? ' (diverged)' : ''));
    return lines.join('\n');
  };
  const curves = new Chart(curvesCanvas, { yLog: true, xLabel: 'epoch', yLabel: 'loss', tooltip: tooltipFor });
  const lrChart = new Chart(lrCanvas, { xLog: true, yLog: true, xLabel: 'learning rate', yLabel: 'final val loss', tooltip: tooltipFor, clipQuantile: 1 });
  logBox.addEventListener('change', () => curves.setScale('y', logBox.checked && objective.log));
  which.addEventListener('change', () => drawCharts());

  // Labels and axes follow the objective: a metric to maximise is named and drawn on linear axes. Options only: render,
  // which follows on every refresh, draws.
  function setObjective(o) {
    objective = o;
    valOption.textContent = o.title;
    lrTitle.textContent = 'Learning rate vs final ' + o.name;
    logBox.disabled = !o.log;
    curves.options.yLabel = o.maximize ? o.name : 'loss';
    // The top percent is cut to keep a diverging loss's spike from flattening the rest; for a metric to maximise the top
    // is the best run.
    curves.options.clipQuantile = o.maximize ? 1 : 0.99;
    curves.options.yLog = logBox.checked && o.log;
    lrChart.options.yLabel = 'final ' + o.label;
    lrChart.options.yLog = o.log;
  }

  function drawCharts() {
    const all = [...runs.values()];
    const lrs = all.map(learningRate).filter((v) => v !== null && v > 0);
    const lo = Math.min(...lrs), hi = Math.max(...lrs);
    const series = [];
    const markers = [];
    const show = which.value;
    for (const r of all) {
      const color = r.status === 'diverged' ? '#d13438' : colorFor(learningRate(r), lo, hi);
      const dash = r.status === 'diverged' ? [5, 3] : null;
      if (show !== 'train') series.push({ points: r.e.map((e, i) => [e, objective.shown(r.v[i])]), color, dash, width: 1.4, alpha: 0.85, meta: { run: r, kind: 'val' } });
      if (show !== 'val') series.push({ points: r.e.map((e, i) => [e, r.t[i]]), color, dash: [2, 2], width: 1, alpha: 0.5, meta: { run: r, kind: 'train' } });
      if (r.status === 'diverged') {
        const x = r.diverged_at || (r.e.length ? r.e[r.e.length - 1] : 1);
        const last = r.v.length ? objective.shown(r.v[r.v.length - 1]) : null;
        markers.push({ x, y: last, shape: 'x', color: '#d13438', clamp: last === null || !isFinite(last), meta: { run: r } });
      }
    }
    curves.setData(series, markers);
    legend.replaceChildren(
      lrs.length ? el('span', {}, 'colour: learning rate from ', el('i', { style: 'background:' + colorFor(lo, lo, hi) }), formatNumber(lo), ' to ', el('i', { style: 'background:' + colorFor(hi, lo, hi) }), formatNumber(hi)) : '',
      el('span', {}, el('i', { style: 'background:#d13438' }), 'diverged (✕ where it diverged) · solid: validation · dotted: train'));

    // A run with no value to place (a failed program, a run that has not reported) is no point: a failed run was drawn
    // at the top, like a result.
    const finished = all.filter((r) => learningRate(r) !== null && r.status !== 'queued'
      && (r.status === 'diverged' || (r.final !== null && isFinite(r.final))));
    lrChart.setData([], finished.map((r) => r.status === 'diverged'
      ? { x: learningRate(r), y: objective.shown(r.final), shape: 'x', color: '#d13438', clamp: r.final === null || !isFinite(r.final), meta: { run: r } }
      : { x: learningRate(r), y: objective.shown(r.final), color: r.status === 'running' ? '#9aa3b5' : colorFor(learningRate(r), lo, hi), meta: { run: r } }));
    const diverged = all.filter((r) => r.status === 'diverged');
    lrNote.replaceChildren(lrs.length === 0 ? 'The learning rate is not swept in this sweep.'
      : el('span', {}, el('i', { style: 'background:#d13438' }), diverged.length + ' diverged (✕ at the top when the loss is not finite)',
        diverged.length ? ': ' + diverged.slice(0, 8).map((r) => 'run ' + r.n + ' at epoch ' + r.diverged_at).join(', ') : ''));
  }

  // Seconds as excl writes a time budget and the time used of it: "45s", "3m 20s", "1h 12m".
  const duration = (seconds) => {
    const s = Math.floor(Math.max(0, seconds));
    return s < 60 ? s + 's' : s < 3600 ? Math.floor(s / 60) + 'm ' + (s % 60) + 's' : Math.floor(s / 3600) + 'h ' + Math.floor((s % 3600) / 60) + 'm';
  };

  function render() {
    title.textContent = sweep.name;
    facts.replaceChildren(
      el('div', {}, el('span', { class: 'muted' }, 'status'), el('b', {}, badge(sweep.status))),
      ...(sweep.reason ? [el('div', { id: 'sweep-reason' }, el('span', { class: 'muted' }, 'reason'), el('b', {}, sweep.reason))] : []),
      el('div', {}, el('span', { class: 'muted' }, 'progress'), el('b', {}, sweep.finished_runs + ' / ' + sweep.planned_runs), progressBar(sweep.finished_runs, sweep.planned_runs)),
      el('div', {}, el('span', { class: 'muted' }, 'best ' + objective.label), el('b', { id: 'best' }, formatNumber(objective.shown(sweep.best_val_loss)))),
      el('div', {}, el('span', { class: 'muted' }, 'runs'), el('b', {}, countsLine(sweep.counts))),
      ...(results && results.time_budget ? [el('div', { id: 'time-budget' }, el('span', { class: 'muted' }, 'time budget'),
        el('b', {}, (sweepFile.time_budget || duration(results.time_budget.budget_seconds))
          + ', ' + duration(results.time_budget.used_seconds) + ' used'))] : []),
      el('div', {}, el('span', { class: 'muted' }, 'id'), el('b', {}, sweep.id)));
    cancelButton.disabled = sweep.status !== 'running' && sweep.status !== 'paused';
    if (cancelButton.disabled) { confirming = false; cancelButton.textContent = 'Cancel sweep'; }
    SweepActions.update(pauseButton, resumeButton, sweep.status);
    SweepDelete.update(deleteButton, sweep);
    drawCharts();
    if (!results) return;
    // The rows of the configuration the answer names (each of its seeds that trained), not simply the first row: the
    // leaderboard ranks by the best loss at any epoch, the answer by the final loss, and a run whose loss rose at the end
    // leads one only.
    const answered = results.best_configuration;
    const isAnswer = (config) => !!answered && Object.keys(config).every((k) => k === 'seed' || k in answered)
      && Object.entries(answered).every(([k, v]) => JSON.stringify(config[k]) === JSON.stringify(v));
    board.replaceChildren(...results.leaderboard.map((r, i) => {
      const full = runs.get(r.number);
      const status = full ? full.status : r.status;
      const diverged = status === 'diverged';
      const marked = isAnswer(r.config) && status !== 'diverged' && status !== 'failed';
      return el('tr', { class: (marked ? 'best ' : '') + 'run-row', 'data-run': r.number },
        el('td', { class: 'num' }, String(i + 1)),
        el('td', {}, el('a', { href: runHref(id, r.number) }, 'run ' + r.number)),
        el('td', {}, badge(status, diverged && r.diverged_at_epoch !== null ? ' at epoch ' + r.diverged_at_epoch : ''), ' ',
          SweepActions.retryButton(id, r.number, status, sweep.status, actionsNote, changed),
          // Why it failed, in a line (its program's exit code, a report without the metric); the run's page has the rest.
          status === 'failed' && r.reason ? el('div', { class: 'muted failed-reason' }, r.reason.split('\n')[0]) : null),
        el('td', {}, configText(full ? full.config : {})),
        el('td', { class: 'num' }, String(r.epochs)),
        el('td', { class: 'num' }, formatNumber(objective.shown(r.best_val_loss))),
        el('td', { class: 'num' }, formatNumber(objective.shown(r.final_val_loss))),
        el('td', { class: 'num' }, r.final_val_accuracy === null ? '' : (100 * r.final_val_accuracy).toFixed(1) + '%'));
    }));
    const groups = new Map();
    for (const v of results.per_value) { if (!groups.has(v.parameter)) groups.set(v.parameter, []); groups.get(v.parameter).push(v); }
    for (const [parameter, values] of groups) if (values.length > 12) groups.set(parameter, binned(parameter));
    perValue.replaceChildren(...[...groups.entries()].map(([parameter, values]) => {
      // Bars as long as the loss (the worst the longest), or for a metric to maximise as long as the metric.
      const size = (v) => (v === null ? 0 : Math.max(0, objective.shown(v)));
      const worst = Math.max(...values.map((v) => size(v.mean_final_val_loss)), 1e-12);
      return el('div', {}, el('h2', {}, parameter), el('table', { class: 'per-value' },
        el('thead', {}, el('tr', {}, ['Value', 'Runs', 'Mean final val ± sd', '', 'Diverged', 'Best'].map((h) => el('th', {}, h)))),
        el('tbody', {}, values.map((v) => el('tr', {},
          el('td', {}, breakableRange(plain(v.value))),
          el('td', { class: 'num nowrap' }, v.finished + ' / ' + v.runs),
          el('td', { class: 'num' }, el('span', { class: 'nowrap' }, formatNumber(objective.shown(v.mean_final_val_loss))),
            v.std_final_val_loss !== null ? [' ', el('span', { class: 'nowrap' }, '± ' + formatNumber(v.std_final_val_loss))] : null),
          // A value none of whose runs finished has no mean: a zero-width bar would read as the best.
          el('td', { class: 'bar-cell' }, v.mean_final_val_loss === null
            ? el('span', { class: 'muted no-finished' }, 'no finished run')
            : el('div', { class: 'bar', style: 'width:' + Math.round(100 * size(v.mean_final_val_loss) / worst) + '%' })),
          el('td', { class: 'num' }, v.diverged ? el('span', { class: 'badge status-diverged' }, String(v.diverged)) : '0'),
          el('td', { class: 'num' }, formatNumber(objective.shown(v.best_val_loss))))))));
    }));
    insight.update(results.insight || null, [...runs.values()], objective);
    explanation.textContent = results.explanation;
    answer.textContent = results.answer ? 'Answer: ' + results.answer
      + (results.sweep.reused ? ' (' + results.sweep.reused + ' runs reused from earlier sweeps: warm start)' : '') : '';
    answer.hidden = !results.answer;
    nextStep.textContent = results.next_step || '';
    nextStep.hidden = !results.next_step;
    const measured = results.measurements || [];
    measurementsCard.hidden = measured.length === 0;
    measurementRows.replaceChildren(...measured.map((m) => el('tr', { class: 'measurement-row', 'data-run': m.number },
      el('td', {}, el('a', { href: runHref(id, m.number) }, 'run ' + m.number)),
      el('td', {}, badge(m.status)),
      el('td', {}, Object.entries(m.config).filter(([k]) => k !== 'learning_rate' && k !== 'seed').map(([k, v]) => k + '=' + plain(v)).join('  ')),
      el('td', { class: 'num' }, String(m.epochs)),
      el('td', { class: 'num' }, formatNumber(m.result)),
      el('td', { class: 'muted' }, m.reason || ''))));
  }

  // A parameter drawn from a continuous range has a value per run: its summary is by decade (or by tenth of the range).
  function binned(parameter) {
    const rows = [...runs.values()].filter((r) => typeof r.config[parameter] === 'number');
    const values = rows.map((r) => r.config[parameter]);
    const log = values.every((v) => v > 0) && Math.max(...values) / Math.min(...values) >= 100;
    const lo = Math.min(...values), hi = Math.max(...values), width = (hi - lo) / 10 || 1;
    const key = (v) => log ? Math.floor(Math.log10(v)) : Math.min(9, Math.floor((v - lo) / width));
    const label = (k) => log ? formatNumber(Math.pow(10, k)) + ' – ' + formatNumber(Math.pow(10, k + 1)) : formatNumber(lo + k * width) + ' – ' + formatNumber(lo + (k + 1) * width);
    const bins = new Map();
    for (const r of rows) { const k = key(r.config[parameter]); if (!bins.has(k)) bins.set(k, []); bins.get(k).push(r); }
    return [...bins.entries()].sort((a, b) => a[0] - b[0]).map(([k, rs]) => {
      // Completed runs only, as the server's per-value summaries count them: a stopped run's last value is not a final loss.
      const finals = rs.filter((r) => r.status === 'completed').map((r) => r.final).filter((v) => v !== null);
      const mean = finals.length ? finals.reduce((a, b) => a + b, 0) / finals.length : null;
      const sd = finals.length > 1 ? Math.sqrt(finals.reduce((a, b) => a + (b - mean) * (b - mean), 0) / (finals.length - 1)) : null;
      const bests = rs.map((r) => r.best).filter((v) => v !== null);
      return { parameter, value: label(k), runs: rs.length, finished: finals.length, mean_final_val_loss: mean, std_final_val_loss: sd,
        diverged: rs.filter((r) => r.status === 'diverged').length, best_val_loss: bests.length ? Math.min(...bests) : null };
    });
  }

  async function refresh() {
    const base = '/api/sweeps/' + encodeURIComponent(id);
    const [active, res] = await Promise.all([getJson(base + '/curves?active=true&points=' + points), getJson(base + '?top=50')]);
    const activeNow = new Set(active.runs.map((r) => r.n));
    // Runs that were unfinished last time and are not now have finished: fetch their final curves.
    const gone = [...runs.values()].filter((r) => (r.status === 'running' || r.status === 'queued') && !activeNow.has(r.n)).map((r) => r.n);
    for (const r of active.runs) runs.set(r.n, r);
    if (gone.length) for (const r of (await getJson(base + '/curves?points=' + points + '&runs=' + gone.join(','))).runs) runs.set(r.n, r);
    sweep = active.sweep;
    results = res;
    sweepFile = parseSweepFile(res.spec_json || '{}') || {};
    setObjective(objectiveOf(sweepFile.command));
    render();
    await edits.refresh(sweep, board);
    return sweep.status === 'running' || activeNow.size > 0 || gone.length > 0;
  }

  render();
  await refresh();
  schedule(refresh);
}

// ---- one run ----------------------------------------------------------------------------------------------

async function showRun(id, n) {
  const path = '/api/sweeps/' + encodeURIComponent(id) + '/runs/' + n + '?points=2000';
  const facts = el('tbody');
  const config = el('tbody');
  const spec = el('pre', { id: 'spec' });
  const canvas = el('canvas', { class: 'chart', id: 'run-curve' });
  const logBox = el('input', { type: 'checkbox', checked: true });
  const valLegend = el('span', {}, 'validation loss');
  const version = routeVersion;
  const output = new RunLogPanel('/api/sweeps/' + encodeURIComponent(id) + '/runs/' + n + '/log', getJson, () => version === routeVersion);
  main.replaceChildren(
    el('p', {}, el('a', { href: sweepHref(id) }, '← Sweep'), ' · ', el('span', { class: 'muted' }, id)),
    el('h1', {}, 'Run ' + n),
    el('div', { class: 'grid2' },
      el('div', { class: 'card' }, el('h2', {}, 'Trajectory'), el('div', { class: 'controls' }, el('label', {}, logBox, ' log scale')), canvas,
        el('div', { class: 'legend' }, el('i', { style: 'background:#2f6fdf' }), valLegend, el('i', { style: 'background:#e07b00' }), 'train loss')),
      el('div', { class: 'card' }, el('h2', {}, 'Run'), el('table', { class: 'kv', id: 'run-facts' }, facts),
        el('h2', {}, 'Hyperparameters'), el('table', { class: 'kv' }, config))),
    output.element,
    el('details', { class: 'card' }, el('summary', {}, 'Trainer settings'), spec));
  let objective = objectiveOf(null);
  const chart = new Chart(canvas, { yLog: true, xLabel: 'epoch', yLabel: 'loss', clipQuantile: 1,
    tooltip: (s, p) => s ? (s.meta === 'validation' && objective.maximize ? objective.name : s.meta + ' loss') + ' ' + formatNumber(p[1]) + ' at epoch ' + p[0] : 'diverged at epoch ' + p.x });
  logBox.addEventListener('change', () => chart.setScale('y', logBox.checked && objective.log));
  const refresh = async () => {
    const d = await getJson(path);
    const r = d.run;
    const m = d.epochs;
    // A command run's settings are its command block: a mode: max metric is drawn and listed as itself.
    objective = objectiveOf(d.settings && d.settings.command);
    logBox.disabled = !objective.log;
    valLegend.textContent = objective.title;
    chart.options.yLog = logBox.checked && objective.log;
    const markers = r.status === 'diverged' ? [{ x: r.diverged_at_epoch || (m.length ? m[m.length - 1].epoch : 1), y: m.length ? objective.shown(m[m.length - 1].val_loss) : null, shape: 'x', color: '#d13438', clamp: !m.length || m[m.length - 1].val_loss === null }] : [];
    // A run with patience ends with its best epoch's weights: a dot marks the epoch its model (and final loss) is.
    const model = r.model_epoch != null ? m.find((e) => e.epoch === r.model_epoch) : null;
    if (model) markers.push({ x: model.epoch, y: objective.shown(model.val_loss), color: '#107c10', radius: 5 });
    chart.setData([
      { points: m.map((e) => [e.epoch, objective.shown(e.val_loss)]), color: '#2f6fdf', width: 2, alpha: 1, meta: 'validation' },
      { points: m.map((e) => [e.epoch, e.train_loss]), color: '#e07b00', width: 1.5, alpha: 0.9, meta: 'train' }], markers);
    const row = (k, v) => el('tr', {}, el('td', {}, k), el('td', {}, v));
    facts.replaceChildren(
      row('status', badge(r.status, r.status === 'diverged' && r.diverged_at_epoch !== null ? ' at epoch ' + r.diverged_at_epoch : '')),
      row('reason', r.reason || ''),
      row('epochs', String(r.epochs)),
      // The epoch a resume would start from: 0 when the run holds no checkpoint (none taken yet, or not kept).
      row('checkpoint epoch', r.checkpoint_epoch > 0 ? [String(r.checkpoint_epoch), modelLink(id, n, r, d.settings)] : 'none'),
      ...(r.model_epoch != null ? [row('model', 'epoch ' + r.model_epoch + "'s weights, its lowest " + objective.title + ' (patience)')] : []),
      row('best ' + objective.label, formatNumber(objective.shown(r.best_val_loss))),
      row('final ' + objective.label, formatNumber(objective.shown(r.final_val_loss))),
      row('final val accuracy', r.final_val_accuracy == null ? '—' : (100 * r.final_val_accuracy).toFixed(1) + '%'),
      row('silo', r.silo || ''),
      row('resumed after a failure', r.resumes > 0 ? 'yes, ' + r.resumes + (r.resumes === 1 ? ' time' : ' times') : 'no'),
      ...SweepActions.attemptRows(r, d.earlier_attempts, row));
    config.replaceChildren(...Object.entries(r.config).map(([k, v]) => row(k, plain(v))));
    spec.textContent = JSON.stringify(d.settings, null, 2);
    return r.status === 'running' || r.status === 'queued';
  };
  const more = await refresh();
  if (more) schedule(refresh);
  output.start();
}

// What a finished training run that kept its checkpoint leaves its user (GET .../model): a built-in run's network as
// JSON, a command trial's checkpoint folder as a .tar.gz. A range test trains no model; a diverged run's is no use.
function modelLink(id, n, r, settings) {
  if (r.kind || r.status === 'diverged' || r.status === 'running' || r.status === 'queued') return null;
  const command = settings && settings.command;
  return el('span', {}, ' · ', el('a', { id: 'model-link', href: '/api/sweeps/' + encodeURIComponent(id) + '/runs/' + n + '/model', download: '' },
    command ? 'download its checkpoint folder (.tar.gz)' : 'download the model (JSON)'));
}

// ---- routing ----------------------------------------------------------------------------------------------

async function route() {
  routeVersion++;
  stopPolling();
  document.getElementById('tooltip').hidden = true;
  live.textContent = '';
  const parts = location.hash.replace(/^#\/?/, '').split('/');
  try {
    if (parts[0] === 'sweep' && parts[1] && parts[2] === 'run' && parts[3]) await showRun(decodeURIComponent(parts[1]), Number(parts[3]));
    else if (parts[0] === 'sweep' && parts[1]) await showSweep(decodeURIComponent(parts[1]));
    else if (parts[0] === 'compare' && parts[1]) await showCompare(parts[1].split(',').map(decodeURIComponent));
    else await showSweeps();
  } catch (e) {
    showError(e);
  }
}

window.addEventListener('hashchange', route);
route();
