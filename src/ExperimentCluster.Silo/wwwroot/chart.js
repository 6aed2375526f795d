'use strict';
// A small canvas chart, written for this page: lines (one per run) and marked points, linear or log axes,
// and a tooltip for the nearest point. Canvas rather than SVG so that 1,000 runs x 100 points stay smooth;
// text drawn on a canvas is never parsed as HTML.

function formatNumber(v) {
  if (v === null || v === undefined || !isFinite(v)) return '—';
  const a = Math.abs(v);
  if (a !== 0 && (a < 1e-3 || a >= 1e5)) return v.toExponential(2).replace('e+', 'e');
  return String(Number(v.toPrecision(4)));
}

// An axis tick: a round number, so no padding digits (1e-4, 2e-4, 1.5e-5; formatNumber's 1.00e-4 is for measured values).
function tickLabel(t) {
  const a = Math.abs(t);
  if (a !== 0 && (a < 1e-3 || a >= 1e5)) return Number(t.toPrecision(3)).toExponential().replace('e+', 'e');
  return formatNumber(t);
}

// What a sweep's runs are ranked by, read from its command block (the sweep file's `command`, or a run's settings): a
// loss, lower is better, unless `mode: max`, whose metric the runs carry negated (so that lower is better everywhere).
// The page shows such a metric as itself, on linear axes: its negation has no logarithm, and log axes drew nothing.
function objectiveOf(command) {
  const maximize = !!command && command.mode === 'max';
  const name = command && command.metric && command.metric !== 'val_loss' ? command.metric : 'validation loss';
  // label: for "best ..." and "final ..."; title: for a series of the metric's values.
  return { name, maximize, log: !maximize, label: maximize ? name : 'val loss', title: maximize ? name : 'validation loss',
    shown: (v) => (maximize && typeof v === 'number' ? -v : v) };
}

// A best-so-far curve drawn as it is: level until a point lowers it, then straight down ([x, y] points in x order).
// Joined point to point, the line sloped between two runs as if the best improved while they trained.
function stepLine(points) {
  const line = [];
  for (const [x, y] of points) {
    if (line.length && y !== line[line.length - 1][1]) line.push([x, line[line.length - 1][1]]);
    line.push([x, y]);
  }
  return line;
}

// Sizes a canvas's backing store to its drawn size at the screen's pixel ratio and clears it; null while it has no
// size (a hidden card), so callers draw nothing then.
function canvasContext(c) {
  const ratio = window.devicePixelRatio || 1;
  const w = c.clientWidth, h = c.clientHeight;
  if (w === 0 || h === 0) return null;
  c.width = Math.round(w * ratio); c.height = Math.round(h * ratio);
  const g = c.getContext('2d');
  g.setTransform(ratio, 0, 0, ratio, 0, 0);
  g.clearRect(0, 0, w, h);
  return { g, w, h };
}

class Chart {
  constructor(canvas, options) {
    this.canvas = canvas;
    this.options = Object.assign({ xLog: false, yLog: false, xLabel: '', yLabel: '', tooltip: null, clipQuantile: 0.99 }, options);
    this.series = [];
    this.points = [];
    this.hits = null;
    this.tip = document.getElementById('tooltip');
    canvas.chart = this; // lets tests find a drawn point to hover
    canvas.addEventListener('mousemove', (e) => this.hover(e));
    canvas.addEventListener('mouseleave', () => { this.tip.hidden = true; });
    this.resizeObserver = new ResizeObserver(() => this.draw());
    this.resizeObserver.observe(canvas);
  }

  // series: [{ points: [[x, y]...], color, width, dash, alpha, meta }]; points: [{ x, y, shape, color, meta }]
  setData(series, points) {
    this.series = series || [];
    this.points = points || [];
    this.draw();
  }

  setScale(axis, log) {
    this.options[axis === 'x' ? 'xLog' : 'yLog'] = log;
    this.draw();
  }

  domain(values, log, quantile) {
    let v = values.filter((x) => x !== null && isFinite(x) && (!log || x > 0));
    if (v.length === 0) return log ? [0.1, 10] : [0, 1];
    v.sort((a, b) => a - b);
    let lo = v[0];
    let hi = quantile < 1 ? v[Math.min(v.length - 1, Math.floor(quantile * (v.length - 1)))] : v[v.length - 1];
    if (log) {
      lo = Math.log10(lo); hi = Math.log10(hi);
      if (hi - lo < 1e-9) { lo -= 0.5; hi += 0.5; }
      const pad = (hi - lo) * 0.05;
      return [Math.pow(10, lo - pad), Math.pow(10, hi + pad)];
    }
    if (hi - lo < 1e-12) { lo -= 0.5; hi += 0.5; }
    const pad = (hi - lo) * 0.05;
    return [quantile < 1 && lo >= 0 ? Math.max(0, lo - pad) : lo - pad, hi + pad];
  }

  ticks(lo, hi, log) {
    if (log) {
      const out = [];
      const a = Math.floor(Math.log10(lo)), b = Math.ceil(Math.log10(hi));
      const steps = b - a <= 2 ? [1, 2, 5] : [1];
      const every = Math.max(1, Math.ceil((b - a) / 8));
      for (let e = a; e <= b; e += every) for (const s of steps) {
        const t = s * Math.pow(10, e);
        if (t >= lo && t <= hi) out.push(t);
      }
      return out;
    }
    const span = hi - lo, raw = span / 6;
    const mag = Math.pow(10, Math.floor(Math.log10(raw)));
    const step = [1, 2, 5, 10].map((m) => m * mag).find((s) => span / s <= 7) || 10 * mag;
    const out = [];
    for (let t = Math.ceil(lo / step) * step; t <= hi + step * 1e-9; t += step) out.push(Math.abs(t) < step * 1e-9 ? 0 : t);
    return out;
  }

  draw() {
    const c = this.canvas, o = this.options;
    const ctx = canvasContext(c);
    if (!ctx) return;
    const { g, w, h } = ctx;
    const m = { l: 62, r: 14, t: 10, b: 40 };
    const xs = [], ys = [];
    let count = 0;
    for (const s of this.series) for (const p of s.points) { xs.push(p[0]); ys.push(p[1]); count++; }
    for (const p of this.points) { xs.push(p.x); if (!p.clamp) ys.push(p.y); }
    const [x0, x1] = this.domain(xs, o.xLog, 1);
    const [y0, y1] = this.domain(ys, o.yLog, o.clipQuantile);
    const fx = o.xLog ? (x) => Math.log10(x) : (x) => x;
    const fy = o.yLog ? (y) => Math.log10(y) : (y) => y;
    const pw = w - m.l - m.r, ph = h - m.t - m.b;
    const X = (x) => m.l + (fx(x) - fx(x0)) / (fx(x1) - fx(x0)) * pw;
    const Y = (y) => m.t + ph - (fy(y) - fy(y0)) / (fy(y1) - fy(y0)) * ph;
    const valid = (x, y) => x !== null && y !== null && isFinite(x) && isFinite(y) && (!o.xLog || x > 0) && (!o.yLog || y > 0);

    g.font = '11px system-ui, sans-serif';
    g.strokeStyle = '#e3e6ee'; g.fillStyle = '#6b7385'; g.lineWidth = 1;
    g.textAlign = 'right'; g.textBaseline = 'middle';
    for (const t of this.ticks(y0, y1, o.yLog)) {
      const y = Math.round(Y(t)) + 0.5;
      g.beginPath(); g.moveTo(m.l, y); g.lineTo(m.l + pw, y); g.stroke();
      g.fillText(tickLabel(t), m.l - 6, y);
    }
    g.textAlign = 'center'; g.textBaseline = 'top';
    for (const t of this.ticks(x0, x1, o.xLog)) {
      const x = Math.round(X(t)) + 0.5;
      g.beginPath(); g.moveTo(x, m.t); g.lineTo(x, m.t + ph); g.stroke();
      g.fillText(tickLabel(t), x, m.t + ph + 5);
    }
    g.fillText(o.xLabel, m.l + pw / 2, h - 16);
    g.save(); g.translate(14, m.t + ph / 2); g.rotate(-Math.PI / 2); g.textBaseline = 'middle'; g.fillText(o.yLabel, 0, 0); g.restore();

    const hx = [], hy = [], href = [];
    g.save();
    g.beginPath(); g.rect(m.l, m.t - 4, pw, ph + 8); g.clip();
    for (const s of this.series) {
      g.strokeStyle = s.color || '#2f6fdf'; g.globalAlpha = s.alpha === undefined ? 0.8 : s.alpha;
      g.lineWidth = s.width || 1.3; g.setLineDash(s.dash || []);
      g.beginPath();
      let pen = false;
      for (const p of s.points) {
        if (!valid(p[0], p[1])) { pen = false; continue; }
        const px = X(p[0]), py = Y(Math.min(p[1], y1 * 10));
        if (pen) g.lineTo(px, py); else g.moveTo(px, py);
        pen = true;
        hx.push(px); hy.push(py); href.push([s, p]);
      }
      g.stroke();
      const last = s.points.length ? s.points[s.points.length - 1] : null;
      if (s.points.length === 1 && valid(last[0], last[1])) {
        // A run with one epoch so far has no line yet: a dot shows it.
        g.fillStyle = g.strokeStyle; g.beginPath(); g.arc(X(last[0]), Y(Math.min(last[1], y1 * 10)), 2.5, 0, 2 * Math.PI); g.fill();
      }
    }
    g.setLineDash([]); g.globalAlpha = 1;
    for (const p of this.points) {
      if (!(p.x !== null && isFinite(p.x) && (!o.xLog || p.x > 0))) continue;
      const px = X(p.x);
      const py = p.clamp || !valid(p.x, p.y) || p.y > y1 ? m.t + 2 : Y(p.y);
      g.strokeStyle = g.fillStyle = p.color || '#2f6fdf';
      g.lineWidth = 2;
      if (p.shape === 'x') {
        g.beginPath(); g.moveTo(px - 5, py - 5); g.lineTo(px + 5, py + 5); g.moveTo(px + 5, py - 5); g.lineTo(px - 5, py + 5); g.stroke();
      } else {
        g.globalAlpha = 0.75; g.beginPath(); g.arc(px, py, p.radius || 4, 0, 2 * Math.PI); g.fill(); g.globalAlpha = 1;
      }
      hx.push(px); hy.push(py); href.push([null, p]);
    }
    g.restore();
    g.strokeStyle = '#9aa3b5'; g.lineWidth = 1;
    g.strokeRect(m.l + 0.5, m.t + 0.5, pw, ph);
    this.hits = { hx, hy, href };
    c.dataset.points = String(count);
    c.dataset.series = String(this.series.length);
    c.dataset.markers = String(this.points.length);
  }

  hover(event) {
    if (!this.hits || !this.options.tooltip) return;
    const r = this.canvas.getBoundingClientRect();
    const mx = event.clientX - r.left, my = event.clientY - r.top;
    const { hx, hy, href } = this.hits;
    let best = -1, bestD = 100;
    for (let i = 0; i < hx.length; i++) {
      const dx = hx[i] - mx, dy = hy[i] - my, d = dx * dx + dy * dy;
      if (d < bestD) { bestD = d; best = i; }
    }
    if (best < 0) { this.tip.hidden = true; return; }
    const [s, p] = href[best];
    this.tip.textContent = this.options.tooltip(s, p);
    this.tip.hidden = false;
    this.tip.style.left = Math.min(window.innerWidth - 300, event.clientX + 14) + 'px';
    this.tip.style.top = (event.clientY + 14) + 'px';
  }
}
