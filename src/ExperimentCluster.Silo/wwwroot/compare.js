'use strict';
// The compare view (#/compare/ID1,ID2,...): sweeps side by side, as `excl compare` prints them. The server computes
// everything (GET /api/compare, SweepComparisonJson); this file only draws: one best-so-far curve per sweep against the
// epochs it consumed, the answers side by side, the per-value summaries on aligned rows.
// The sweeps list offers it: tick two or more sweeps and follow "Compare".

const COMPARE_COLORS = ['#2f6fdf', '#e07b00', '#1a9850', '#d13438', '#8e44ad', '#00838f', '#7f6000', '#c2185b'];
const comparePicked = new Set();
let compareLinkNode = null;

function compareHref(ids) { return '#/compare/' + ids.map(encodeURIComponent).join(','); }

function refreshCompareLink() {
  if (!compareLinkNode) return;
  const ids = [...comparePicked];
  compareLinkNode.replaceChildren(ids.length >= 2
    ? el('a', { href: compareHref(ids), id: 'compare-link' }, 'Compare ' + ids.length + ' sweeps')
    : el('span', { class: 'muted' }, 'Tick two or more sweeps to compare them.'));
}

// The line under the sweeps table; the list keeps the ticks across its refreshes (it redraws its rows every poll).
function compareBar() {
  compareLinkNode = el('p', { id: 'compare-bar' });
  refreshCompareLink();
  return compareLinkNode;
}

// A sweep row's tick box.
function comparePick(id) {
  return el('input', { type: 'checkbox', class: 'compare-pick', 'data-sweep': id, title: 'compare', checked: comparePicked.has(id),
    onchange: (e) => { if (e.target.checked) comparePicked.add(id); else comparePicked.delete(id); refreshCompareLink(); } });
}

async function showCompare(ids) {
  const canvas = el('canvas', { class: 'chart', id: 'compare-curves' });
  const legend = el('div', { class: 'legend', id: 'compare-legend' });
  const answers = el('div', { class: 'grid2', id: 'compare-answers' });
  const head = el('thead');
  const rows = el('tbody');
  main.replaceChildren(
    el('p', {}, el('a', { href: '#/' }, '← Sweeps')),
    el('h1', {}, 'Compare ' + ids.join(', ')),
    answers,
    el('div', { class: 'card' }, el('h2', {}, 'Best so far against epochs consumed'), canvas, legend),
    el('div', { class: 'card' }, el('h2', {}, 'Per value: mean final validation loss ± sd'), el('table', { id: 'compare-values' }, head, rows)));
  const chart = new Chart(canvas, { yLog: true, xLabel: 'epochs consumed', yLabel: 'best final val loss', clipQuantile: 1,
    tooltip: (s, p) => s ? s.meta + ': ' + formatNumber(p[1]) + ' after ' + p[0] + ' epochs' : '' });
  const refresh = async () => {
    const c = await getJson('/api/compare?ids=' + ids.map(encodeURIComponent).join(','));
    const color = (i) => COMPARE_COLORS[i % COMPARE_COLORS.length];
    chart.setData(c.sweeps.map((s, i) => ({ points: stepLine(s.curve), color: color(i), width: 2, alpha: 1, meta: s.id })), []);
    legend.replaceChildren(...c.sweeps.map((s, i) => el('span', {}, el('i', { style: 'background:' + color(i) }), s.name + ' (' + s.id + ')')));
    answers.replaceChildren(...c.sweeps.map((s, i) => el('div', { class: 'card compare-answer', 'data-sweep': s.id },
      el('h2', {}, el('a', { href: sweepHref(s.id) }, s.name), ' ', badge(s.status)),
      el('p', { class: 'answer' }, s.answer || (s.status === 'running' ? 'No answer yet.' : 'No answer.')),
      el('p', { class: 'muted' }, s.runs + ' runs, ' + s.epochs + ' epochs, best val loss ' + formatNumber(s.best_val_loss)
        + (s.reused ? ', ' + s.reused + ' runs reused (warm start)' : '')))));
    head.replaceChildren(el('tr', {}, el('th', {}, 'Parameter'), el('th', {}, 'Value'), ...c.sweeps.map((s) => el('th', {}, s.id))));
    rows.replaceChildren(...c.per_value.map((row) => el('tr', { 'data-parameter': row.parameter, 'data-value': row.value },
      el('td', {}, row.parameter), el('td', {}, plain(row.value)),
      ...row.sweeps.map((v) => el('td', { class: 'num' }, v === null ? '—'
        : v.mean_final_val_loss === null ? el('span', { class: 'muted no-finished' }, 'no finished run')
        : formatNumber(v.mean_final_val_loss) + (v.std_final_val_loss !== null ? ' ± ' + formatNumber(v.std_final_val_loss) : '')
          + (v.diverged ? ' (' + v.diverged + ' diverged)' : ''))))));
    return c.sweeps.some((s) => s.status === 'running');
  };
  if (await refresh()) schedule(refresh);
}
