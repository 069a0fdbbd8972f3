// Small hand-drawn SVG charts (no chart library): multi-series line chart and grouped bar chart.
const NS = 'http://www.w3.org/2000/svg';
const PALETTE = ['#2563eb', '#dc2626', '#16a34a', '#9333ea', '#ea580c', '#0891b2', '#ca8a04', '#db2777', '#4b5563', '#65a30d'];

function svg(tag: string, attrs: Record<string, string | number>, text?: string): SVGElement {
  const el = document.createElementNS(NS, tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, String(v));
  if (text !== undefined) el.textContent = text;
  return el;
}

export interface Series {
  name: string;
  points: Array<[number, number]>;
}

const W = 420;
const H = 200;
const PAD = { l: 44, r: 10, t: 10, b: 24 };

function frame(yMax: number, yLabel: (v: number) => string): SVGElement {
  const root = svg('svg', { viewBox: `0 0 ${W} ${H}`, width: '100%', role: 'img' });
  for (let i = 0; i <= 4; i++) {
    const y = PAD.t + ((H - PAD.t - PAD.b) * i) / 4;
    root.append(svg('line', { x1: PAD.l, x2: W - PAD.r, y1: y, y2: y, stroke: '#e5e7eb' }));
    root.append(svg('text', { x: PAD.l - 4, y: y + 4, 'text-anchor': 'end', 'font-size': 10, fill: '#6b7280' }, yLabel(yMax * (1 - i / 4))));
  }
  return root;
}

/** Lines of `series` over time (x = epoch ms). */
export function lineChart(container: HTMLElement, series: Series[], opts: { yLabel?: (v: number) => string } = {}): void {
  container.replaceChildren();
  const all = series.flatMap((s) => s.points);
  if (all.length === 0) {
    container.append(Object.assign(document.createElement('p'), { className: 'muted', textContent: 'no data yet' }));
    return;
  }
  const xMin = Math.min(...all.map((p) => p[0]));
  const xMax = Math.max(xMin + 1, ...all.map((p) => p[0]));
  const yMax = Math.max(1e-9, ...all.map((p) => p[1])) * 1.05;
  const root = frame(yMax, opts.yLabel ?? ((v) => v.toPrecision(2)));
  const X = (x: number) => PAD.l + ((W - PAD.l - PAD.r) * (x - xMin)) / (xMax - xMin);
  const Y = (y: number) => H - PAD.b - ((H - PAD.t - PAD.b) * y) / yMax;
  series.forEach((s, i) => {
    const color = PALETTE[i % PALETTE.length]!;
    const d = s.points.map((p, j) => `${j ? 'L' : 'M'}${X(p[0]).toFixed(1)},${Y(p[1]).toFixed(1)}`).join('');
    root.append(svg('path', { d, fill: 'none', stroke: color, 'stroke-width': 1.8 }));
    const last = s.points[s.points.length - 1];
    if (last) root.append(svg('circle', { cx: X(last[0]), cy: Y(last[1]), r: 2.5, fill: color }));
  });
  const span = (xMax - xMin) / 1000;
  root.append(svg('text', { x: W - PAD.r, y: H - 6, 'text-anchor': 'end', 'font-size': 10, fill: '#6b7280' }, `last ${span < 120 ? `${Math.round(span)} s` : `${Math.round(span / 60)} min`}`));
  container.append(root, legend(series.map((s) => s.name)));
}

/** Grouped bars: one group per label, one bar per series. */
export function barChart(container: HTMLElement, labels: string[], series: Array<{ name: string; values: number[] }>): void {
  container.replaceChildren();
  if (labels.length === 0) {
    container.append(Object.assign(document.createElement('p'), { className: 'muted', textContent: 'no miners yet' }));
    return;
  }
  const yMax = Math.max(1e-9, ...series.flatMap((s) => s.values)) * 1.05;
  const root = frame(yMax, (v) => v.toPrecision(2));
  const gw = (W - PAD.l - PAD.r) / labels.length;
  const bw = Math.max(2, (gw * 0.8) / series.length);
  labels.forEach((label, g) => {
    series.forEach((s, i) => {
      const v = s.values[g] ?? 0;
      const hgt = ((H - PAD.t - PAD.b) * v) / yMax;
      root.append(svg('rect', { x: PAD.l + g * gw + gw * 0.1 + i * bw, y: H - PAD.b - hgt, width: bw - 1, height: hgt, fill: PALETTE[i % PALETTE.length]! }));
    });
    root.append(svg('text', { x: PAD.l + g * gw + gw / 2, y: H - 8, 'text-anchor': 'middle', 'font-size': 10, fill: '#374151' }, label));
  });
  container.append(root, legend(series.map((s) => s.name)));
}

function legend(names: string[]): HTMLElement {
  const ul = document.createElement('ul');
  ul.className = 'legend';
  names.forEach((n, i) => {
    const li = document.createElement('li');
    const sw = document.createElement('span');
    sw.style.background = PALETTE[i % PALETTE.length]!;
    li.append(sw, n);
    ul.append(li);
  });
  return ul;
}
