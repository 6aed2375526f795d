'use strict';
// Why the best configuration won, on the sweep's page: every run as a line across one axis per swept hyperparameter
// and a final-loss axis (parallel coordinates), the hyperparameters' importance as bars, and the best final loss so far
// against the epochs the sweep consumed. The numbers come from the API (results.insight, computed by the sweep grain);
// this file only draws them. Canvas text and DOM text nodes only: a sweep's names and values never become HTML.

const DIVERGED_COLOR = '#d13438';
const UNFINISHED_COLOR = '#9aa3b5';

// A final loss's colour: blue for the best, amber for the worst of the finished runs (red is kept for diverged runs).
function lossColor(t) {
  return 'hsl(' + Math.round(220 - 175 * Math.min(1, Math.max(0, t))) + ', 70%, 42%)';
}

function valueKey(v) { return typeof v === 'string' ? v : JSON.stringify(v); }

// One axis of the parallel-coordinates view: where a value sits, from 0 (bottom) to 1 (top), and the ticks to label.
function numericAxis(values, log) {
  const finite = values.filter((v) => typeof v === 'number' && isFinite(v) && (!log || v > 0));
  const f = log ? Math.log10 : (x) => x;
  let lo = finite.length ? Math.min(...finite.map(f)) : 0, hi = finite.length ? Math.max(...finite.map(f)) : 1;
  if (!(hi > lo)) { lo -= 0.5; hi += 0.5; }
  const inv = log ? (x) => Math.pow(10, x) : (x) => x;
  return {
    position: (v) => (typeof v === 'number' && isFinite(v) && (!log || v > 0) ? (f(v) - lo) / (hi - lo) : null),
    ticks: [0, 0.5, 1].map((t) => ({ at: t, label: formatNumber(inv(lo + t * (hi - lo))) })),
  };
}

// The numbers a value stands for: a number, or a list of numbers; null for anything else.
function valueNumbers(v) {
  if (typeof v === 'number') return [v];
  if (Array.isArray(v) && v.length > 0 && v.every((x) => typeof x === 'number')) return v;
  return null;
}

// The server's order of one parameter's values (ValueOrder, as in the per-value summaries): by their numbers, a list
// element by element and a shorter prefix first ([4], [16], [16,16], [64]), values with numbers first, the rest by text.
// By text alone [16] came before [4].
function compareValues(a, b) {
  const x = valueNumbers(a), y = valueNumbers(b);
  if (x && y) {
    for (let i = 0; i < Math.min(x.length, y.length); i++) if (x[i] !== y[i]) return x[i] - y[i];
    if (x.length !== y.length) return x.length - y.length;
  } else if (x || y) {
    return x ? -1 : 1;
  }
  const ka = valueKey(a), kb = valueKey(b);
  return ka < kb ? -1 : ka > kb ? 1 : 0;
}

function categoricalAxis(values) {
  const distinct = new Map();
  for (const v of values) if (v !== undefined && v !== null) distinct.set(valueKey(v), v);
  const keys = [...distinct.keys()];
  keys.sort((a, b) => compareValues(distinct.get(a), distinct.get(b)));
  const at = (i) => (keys.length === 1 ? 0.5 : i / (keys.length - 1));
  return {
    position: (v) => { const i = keys.indexOf(valueKey(v)); return i < 0 ? null : at(i); },
    ticks: keys.map((k, i) => ({ at: at(i), label: valueText(distinct.get(k)).slice(0, 14) })),
  };
}

// A conditional parameter's axis: a run whose configuration does not read it (the key is absent) goes to a place of its
// own under the axis, labelled "not read", instead of breaking its line or borrowing a value's place.
const NOT_READ = -1; // drawn 18 pixels under the axis, whatever its height
function withNotRead(axis, any) {
  if (!any) return axis;
  return {
    notRead: true,
    position: (v) => (v === undefined ? NOT_READ : axis.position(v)),
    ticks: [...axis.ticks, { at: NOT_READ, label: 'not read' }],
  };
}

class ParallelCoordinates {
  constructor(canvas) {
    this.canvas = canvas;
    this.axes = [];
    this.runs = [];
    this.objective = objectiveOf(null);
    new ResizeObserver(() => this.draw()).observe(canvas);
  }

  // axes: [{ name, scale: 'log' | 'linear' | 'values' }] from the API; runs: the page's runs (config, status, final);
  // objective: what the final values are (objectiveOf: a metric to maximise is drawn as itself, on a linear axis).
  setData(axes, runs, objective) {
    this.axes = axes;
    this.runs = runs;
    this.objective = objective || this.objective;
    this.draw();
  }

  draw() {
    const c = this.canvas;
    const o = this.objective;
    const value = (r) => o.shown(r.final);
    const finished = (r) => (r.status === 'completed' || r.status === 'stopped') && r.final !== null && isFinite(r.final) && (!o.log || value(r) > 0);
    const params = this.axes.map((a) => ({
      name: a.name,
      axis: withNotRead(a.scale === 'values' ? categoricalAxis(this.runs.map((r) => r.config[a.name]))
        : numericAxis(this.runs.map((r) => r.config[a.name]), a.scale === 'log'), this.runs.some((r) => !(a.name in r.config))),
    }));
    const lossAxis = numericAxis(this.runs.filter(finished).map(value), o.log);
    // 0 for the best run, 1 for the worst: the lowest loss sits at the bottom of its axis, the highest metric at the top.
    const badness = (r) => (o.maximize ? 1 - lossAxis.position(value(r)) : lossAxis.position(value(r)));
    const columns = [...params, { name: 'final ' + o.label, axis: lossAxis }];
    // Counted before drawing, so that tests (and people) can read what the view holds even before it has a size.
    const diverged = this.runs.filter((r) => r.status === 'diverged').length;
    c.dataset.lines = String(this.runs.length);
    c.dataset.diverged = String(diverged);
    c.dataset.axes = String(columns.length);
    c.dataset.ticks = JSON.stringify(Object.fromEntries(params.map((p) => [p.name, p.axis.ticks.map((t) => t.label)])));
    const ctx = canvasContext(c);
    if (!ctx) return;
    const { g, w, h } = ctx;
    // Room below the axes for the "not read" place of a conditional parameter.
    const m = { l: 66, r: 60, t: 34, b: params.some((p) => p.axis.notRead) ? 34 : 18 };
    const band = 16; // above the loss axis: where a diverged run's line ends (it has no finite loss)
    const X = (i) => m.l + (columns.length === 1 ? 0 : i * (w - m.l - m.r) / (columns.length - 1));
    const Y = (t) => m.t + band + (t === NOT_READ ? h - m.t - m.b - band + 18 : (1 - t) * (h - m.t - m.b - band));

    // Worst first, so that the best runs are drawn on top; unfinished runs underneath everything.
    const order = [...this.runs].sort((a, b) => rank(b) - rank(a));
    function rank(r) { return r.status === 'diverged' ? 2 : finished(r) ? 1 - badness(r) : 3; }
    for (const r of order) {
      const isDiverged = r.status === 'diverged';
      const t = finished(r) ? lossAxis.position(value(r)) : null;
      g.strokeStyle = isDiverged ? DIVERGED_COLOR : t !== null ? lossColor(badness(r)) : UNFINISHED_COLOR;
      g.globalAlpha = isDiverged ? 0.8 : t !== null ? (r.status === 'stopped' ? 0.35 : 0.85) : 0.4;
      g.lineWidth = t !== null && r.status === 'completed' ? 1.6 : 1.1;
      g.setLineDash(isDiverged ? [5, 3] : []);
      g.beginPath();
      let pen = false;
      params.forEach((p, i) => {
        const at = p.axis.position(r.config[p.name]);
        if (at === null) { pen = false; return; }
        if (pen) g.lineTo(X(i), Y(at)); else g.moveTo(X(i), Y(at));
        pen = true;
      });
      const last = columns.length - 1;
      if (isDiverged) { if (pen) g.lineTo(X(last), m.t + band / 2); }
      else if (t !== null && pen) g.lineTo(X(last), Y(t));
      g.stroke();
      if (isDiverged) {
        const x = X(last), y = m.t + band / 2;
        g.setLineDash([]); g.lineWidth = 2;
        g.beginPath(); g.moveTo(x - 4, y - 4); g.lineTo(x + 4, y + 4); g.moveTo(x + 4, y - 4); g.lineTo(x - 4, y + 4); g.stroke();
      }
    }
    g.setLineDash([]); g.globalAlpha = 1;

    g.font = '11px system-ui, sans-serif';
    columns.forEach((col, i) => {
      const x = Math.round(X(i)) + 0.5;
      g.strokeStyle = '#6b7385'; g.lineWidth = 1;
      g.beginPath(); g.moveTo(x, Y(1)); g.lineTo(x, Y(0)); g.stroke();
      g.fillStyle = '#1d2330'; g.textAlign = 'center'; g.textBaseline = 'top';
      g.fillText(col.name, x, 4);
      g.fillStyle = '#6b7385'; g.textAlign = 'right'; g.textBaseline = 'middle';
      for (const tick of col.axis.ticks) {
        g.beginPath(); g.moveTo(x - 3, Y(tick.at)); g.lineTo(x, Y(tick.at)); g.stroke();
        g.fillText(tick.label, x - 5, Y(tick.at));
      }
    });
    if (diverged > 0) {
      g.fillStyle = DIVERGED_COLOR; g.textAlign = 'left'; g.textBaseline = 'middle';
      g.fillText('diverged', X(columns.length - 1) + 8, m.t + band / 2);
    }
  }
}

// The three views and their notes; app.js adds `element` to the sweep page and calls update as results arrive.
class SweepInsight {
  constructor() {
    this.parallelCanvas = el('canvas', { class: 'chart', id: 'parallel' });
    this.parallel = new ParallelCoordinates(this.parallelCanvas);
    this.importanceList = el('ol', { class: 'importance', id: 'importance' });
    this.importanceNote = el('p', { class: 'muted', id: 'importance-note' });
    this.bestCanvas = el('canvas', { class: 'chart small', id: 'best-so-far' });
    this.bestNote = el('div', { class: 'legend', id: 'best-so-far-note' });
    this.bestChart = new Chart(this.bestCanvas, { yLog: true, xLabel: 'epochs consumed (runs in start order)', yLabel: 'best final val loss', clipQuantile: 1,
      tooltip: (s, p) => (s ? 'best so far ' + formatNumber(p[1]) + ' after ' + p[0] + ' epochs' : 'run ' + p.meta.run + ': final val loss ' + formatNumber(p.y)) });
    this.element = el('div', { id: 'insight' },
      el('div', { class: 'card' }, el('h2', {}, 'All runs: hyperparameters and final validation loss'), this.parallelCanvas,
        el('div', { class: 'legend' }, 'one line per run · colour: final loss from ', el('i', { style: 'background:' + lossColor(0) }), 'best to',
          el('i', { style: 'background:' + lossColor(1) }), 'worst · ', el('i', { style: 'background:' + DIVERGED_COLOR }), 'diverged (dashed, ✕ above the loss axis) · ',
          el('i', { style: 'background:' + UNFINISHED_COLOR }), 'not finished')),
      el('div', { class: 'grid2' },
        el('div', { class: 'card' }, el('h2', {}, 'Best so far'), this.bestCanvas, this.bestNote),
        el('div', { class: 'card' }, el('h2', {}, 'What mattered'), this.importanceList, this.importanceNote)));
  }

  // insight: results.insight from the API (null from an older silo); runs: every run the page knows, with config and status;
  // objective: what the runs' final values are (objectiveOf).
  update(insight, runs, objective) {
    this.element.hidden = !insight;
    if (!insight) return;
    const o = objective || objectiveOf(null);
    this.parallel.setData(insight.axes, runs, o);

    const importance = insight.importance;
    this.importanceList.replaceChildren(...importance.parameters.map((p) => el('li', { 'data-parameter': p.parameter, 'data-share': p.share },
      el('span', { class: 'name' }, p.parameter),
      el('span', { class: 'track' }, el('span', { class: 'bar', style: 'width:' + Math.round(100 * p.share) + '%' })),
      el('span', { class: 'num' }, (100 * p.share).toFixed(1) + '%'))));
    this.importanceNote.textContent = importance.reason
      ? 'Not known yet: ' + importance.reason + '.'
      : 'PED-ANOVA: how differently the best tenth of the runs are spread over a hyperparameter\'s values than all runs are; shares sum to 100%.';
    const conditional = insight.axes.filter((a) => a.when);
    if (conditional.length > 0)
      this.importanceNote.textContent += ' Left out, as conditional (only the runs that read them have them): '
        + conditional.map((a) => a.name + ' (read where ' + a.when + ')').join(', ') + '.';

    const line = stepLine(insight.best_so_far.filter((p) => p.best_final_val_loss !== null).map((p) => [p.epochs_consumed, o.shown(p.best_final_val_loss)]));
    const finals = insight.best_so_far.filter((p) => p.final_val_loss !== null)
      .map((p) => ({ x: p.epochs_consumed, y: o.shown(p.final_val_loss), color: UNFINISHED_COLOR, radius: 2.5, meta: { run: p.run } }));
    this.bestChart.options.yLabel = 'best final ' + o.label;
    this.bestChart.options.yLog = o.log;
    this.bestChart.setData(line.length ? [{ points: line, color: '#1f8a4c', width: 2, alpha: 1 }] : [], finals);
    const total = insight.best_so_far.length ? insight.best_so_far[insight.best_so_far.length - 1].epochs_consumed : 0;
    this.bestNote.textContent = line.length
      ? 'green: the best final loss so far · grey dots: each completed run\'s final loss · ' + total + ' epochs consumed in all'
      : 'No run has completed yet.';
  }
}
