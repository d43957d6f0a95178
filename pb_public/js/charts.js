// Bar charts drawn as SVG through the DOM (no library, CSP-safe). Each chart
// has a text summary for screen readers and its numbers in a table.
import { h, s } from './dom.js';
import { t } from './i18n.js';

/**
 * barChart({title, rows, x, series: [{key, label}], stacked, format, xLabel})
 * rows: [{week: '2027-W10', ...}]; x: the label of a row; xLabel: its column's title in the table (Week).
 */
export function barChart({ title, rows, x, series, stacked = false, format = String, minStep = 1, xLabel }) {
  const W = 720, H = 260, left = 56, right = 12, top = 12, bottom = 48;
  const plotW = W - left - right, plotH = H - top - bottom;
  const totals = rows.map((r) => (stacked ? series.reduce((a, sr) => a + Math.max(0, Number(r[sr.key]) || 0), 0) : Math.max(0, ...series.map((sr) => Number(r[sr.key]) || 0))));
  const mins = rows.map((r) => Math.min(0, ...series.map((sr) => Number(r[sr.key]) || 0)));
  let max = Math.max(1, ...totals);
  const min = stacked ? 0 : Math.min(0, ...mins);
  const ticks = 4;
  const step = Math.max(minStep, niceStep((max - min) / ticks));
  if (max < minStep) max = minStep * ticks;
  max = Math.ceil(max / step) * step;
  const lo = Math.floor(min / step) * step;
  const y = (v) => top + plotH - ((v - lo) / (max - lo)) * plotH;
  const band = plotW / Math.max(1, rows.length);
  const barW = stacked ? band * 0.6 : (band * 0.8) / series.length;
  const svg = s('svg', { viewBox: `0 0 ${W} ${H}`, role: 'img', 'aria-label': title, preserveAspectRatio: 'xMidYMid meet' });
  const grid = s('g', { class: 'grid' });
  for (let v = lo; v <= max + 1e-9; v += step) {
    grid.append(s('line', { x1: left, x2: W - right, y1: y(v), y2: y(v) }), s('text', { x: left - 6, y: y(v) + 4, 'text-anchor': 'end', text: format(v) }));
  }
  svg.append(grid);
  rows.forEach((r, i) => {
    const x0 = left + i * band;
    let acc = 0;
    series.forEach((sr, j) => {
      const v = Number(r[sr.key]) || 0;
      let rx, ry, rh;
      if (stacked) { rx = x0 + (band - barW) / 2; ry = y(acc + Math.max(0, v)); rh = y(acc) - ry; acc += Math.max(0, v); }
      else { rx = x0 + band * 0.1 + j * barW; ry = y(Math.max(0, v)); rh = Math.abs(y(v) - y(0)); }
      const rect = s('rect', { x: rx.toFixed(1), y: ry.toFixed(1), width: Math.max(1, barW - 1).toFixed(1), height: Math.max(0, rh).toFixed(1), class: `bar-${(j % 5) + 1}` });
      rect.append(s('title', { text: `${x(r)} · ${sr.label}: ${format(v)}` }));
      svg.append(rect);
    });
    if (rows.length <= 16 || i % Math.ceil(rows.length / 16) === 0) {
      svg.append(s('text', { x: x0 + band / 2, y: H - bottom + 16, 'text-anchor': 'middle', text: shortLabel(x(r)) }));
    }
  });
  svg.append(s('line', { x1: left, x2: W - right, y1: y(0), y2: y(0), stroke: 'currentColor' }));
  const sums = series.map((sr) => `${sr.label} ${format(rows.reduce((a, r) => a + (Number(r[sr.key]) || 0), 0))}`).join(', ');
  return h('figure', { class: 'chart' },
    h('figcaption', h('strong', title), h('span', { class: 'visually-hidden' }, ` ${t('Totals')}: ${sums}.`)),
    svg,
    h('ul', { class: 'legend' }, series.map((sr, j) => h('li', h('span', { class: `swatch swatch-${(j % 5) + 1}`, 'aria-hidden': 'true' }), sr.label))),
    h('details', h('summary', t('Show the numbers')),
      h('div', { class: 'table-wrap' }, h('table',
        h('thead', h('tr', h('th', { scope: 'col' }, xLabel || t('Week')), series.map((sr) => h('th', { scope: 'col', class: 'num' }, sr.label)))),
        h('tbody', rows.map((r) => h('tr', h('th', { scope: 'row' }, x(r)), series.map((sr) => h('td', { class: 'num' }, format(Number(r[sr.key]) || 0))))))))));
}

function shortLabel(s) { return String(s).replace(/^\d{4}-/, ''); }

function niceStep(raw) {
  if (raw <= 0) return 1;
  const p = 10 ** Math.floor(Math.log10(raw));
  const f = raw / p;
  const n = f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10;
  return Math.max(1, n * p);
}
