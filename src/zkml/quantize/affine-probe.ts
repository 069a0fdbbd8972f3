import { convTerms, poolWindow, reduceGroupsOf, windowTaps, type Attrs } from '../ir/kernels.js';
import { sizeOf, tensor, type Tensor } from '../ir/tensor.js';

/**
 * Which source elements each output element of a constant-linear map reads (CSR, outputs row-major): the sparsity
 * pattern that lets the lowering probe many columns at once (docs/zkml-compile.md, "Quantizing large layers").
 * It must list every element the float kernel reads for that output (a superset is fine, never a subset).
 */
export interface ReadPattern { nIn: number; ptr: Int32Array; idx: Int32Array }

function csr(nIn: number, rows: number, fill: (push: (j: number) => void, i: number) => void): ReadPattern {
  const ptr = new Int32Array(rows + 1);
  let idx = new Int32Array(Math.max(16, rows));
  let n = 0;
  const push = (j: number) => { if (n === idx.length) { const g = new Int32Array(idx.length * 2); g.set(idx); idx = g; } idx[n++] = j; };
  for (let i = 0; i < rows; i++) { fill(push, i); ptr[i + 1] = n; }
  return { nIn, ptr, idx: idx.subarray(0, n) };
}

/**
 * The read pattern of one constant-linear op in its var input `vi` (input shape `inShape`), from the same window
 * helpers its float kernel uses (src/zkml/ir/kernels.ts); undefined for ops without one (dense ops are probed column
 * by column, which costs no more for them).
 */
export function opReads(op: string, ins: Array<Tensor | undefined>, attrs: Attrs, vi: number, inShape: number[]): ReadPattern | undefined {
  const nIn = sizeOf(inShape);
  if (vi !== 0) return undefined;
  switch (op) {
    case 'Conv': {
      const w = ins[1];
      if (!w) return undefined;
      const { terms } = convTerms(inShape, w.shape, attrs);
      return csr(nIn, terms.length, (push, i) => { for (const [xi] of terms[i]!.pairs) push(xi); });
    }
    case 'AveragePool': {
      const win = poolWindow({ shape: inShape, data: new Float64Array(0) }, attrs);
      const [N, C] = inShape as [number, number];
      const [OH, OW] = win.outHW as [number, number];
      return csr(nIn, N * C * OH * OW, (push, i) => {
        const ox = i % OW, oy = Math.floor(i / OW) % OH, c = Math.floor(i / (OW * OH)) % C, b = Math.floor(i / (OW * OH * C));
        for (const t of windowTaps(inShape, win, c, b, oy, ox)) if (t >= 0) push(t);
      });
    }
    case 'GlobalAveragePool': {
      const hw = sizeOf(inShape.slice(2));
      return csr(nIn, inShape[0]! * inShape[1]!, (push, i) => { for (let j = 0; j < hw; j++) push(i * hw + j); });
    }
    case 'BatchNormalization':
      return csr(nIn, nIn, (push, i) => push(i));
    case 'ReduceSum': case 'ReduceMean': {
      const r = reduceGroupsOf(inShape, ins[1], attrs);
      return r ? csr(nIn, r.groups.length, (push, i) => { for (const j of r.groups[i]!) push(j); }) : csr(nIn, nIn, (push, i) => push(i));
    }
    default:
      return undefined;
  }
}

/**
 * The read pattern of a shape-only op, from its kernel run on element indices (src/zkml/quantize/lower.ts permute):
 * `pool[k]` = 0 reads a constant, k ≥ 1 reads source element k − 1.
 */
export function moveReads(nIn: number, pool: Tensor): ReadPattern {
  return csr(nIn, pool.data.length, (push, i) => { const k = pool.data[i]!; if (k >= 1) push(k - 1); });
}

/** `outer` reads elements of `inner`'s output: the pattern of the composition over `inner`'s source. */
export function composeReads(inner: ReadPattern, outer: ReadPattern): ReadPattern {
  const seen = new Int32Array(inner.nIn).fill(-1);
  return csr(inner.nIn, outer.ptr.length - 1, (push, i) => {
    for (let p = outer.ptr[i]!; p < outer.ptr[i + 1]!; p++) {
      const k = outer.idx[p]!;
      for (let q = inner.ptr[k]!; q < inner.ptr[k + 1]!; q++) { const j = inner.idx[q]!; if (seen[j] !== i) { seen[j] = i; push(j); } }
    }
  });
}

/**
 * Greedy colouring of the source elements: two elements read by one output get different colours, so one probe
 * with every element of a colour set to 1 gives each of their columns exactly (each output then reads one of them,
 * and the rest of what it reads is 0, as in a one-column probe). Outputs with the same read list are checked once.
 */
function colour(p: ReadPattern): { colourOf: Int32Array; groups: number[][] } {
  // distinct rows (Conv: every output channel at one position reads the same inputs)
  const rows: number[] = [];
  const byHash = new Map<number, number[]>();
  const same = (a: number, b: number) => {
    const la = p.ptr[a + 1]! - p.ptr[a]!;
    if (la !== p.ptr[b + 1]! - p.ptr[b]!) return false;
    for (let t = 0; t < la; t++) if (p.idx[p.ptr[a]! + t] !== p.idx[p.ptr[b]! + t]) return false;
    return true;
  };
  for (let i = 0; i + 1 < p.ptr.length; i++) {
    let h = 0x811c9dc5;
    for (let q = p.ptr[i]!; q < p.ptr[i + 1]!; q++) h = Math.imul(h ^ p.idx[q]!, 0x01000193);
    const bucket = byHash.get(h);
    if (bucket?.some((r) => same(r, i))) continue;
    if (bucket) bucket.push(i); else byHash.set(h, [i]);
    rows.push(i);
  }
  // element → distinct rows reading it
  const cnt = new Int32Array(p.nIn + 1);
  for (const r of rows) for (let q = p.ptr[r]!; q < p.ptr[r + 1]!; q++) cnt[p.idx[q]! + 1]!++;
  if (cnt.every((k) => k <= 1)) return disjointColours(p, rows);
  for (let j = 0; j < p.nIn; j++) cnt[j + 1]! += cnt[j]!;
  const readers = new Int32Array(cnt[p.nIn]!), fillAt = cnt.slice(0, p.nIn);
  for (const r of rows) for (let q = p.ptr[r]!; q < p.ptr[r + 1]!; q++) readers[fillAt[p.idx[q]!]!++] = r;
  const colourOf = new Int32Array(p.nIn).fill(-1);
  const groups: number[][] = [];
  let stamp = new Int32Array(16).fill(-1);
  for (let j = 0; j < p.nIn; j++) {
    for (let q = cnt[j]!; q < cnt[j + 1]!; q++) {
      const r = readers[q]!;
      for (let t = p.ptr[r]!; t < p.ptr[r + 1]!; t++) { const c = colourOf[p.idx[t]!]!; if (c >= 0) stamp[c] = j; }
    }
    let c = 0;
    while (c < groups.length && stamp[c] === j) c++;
    if (c === groups.length) {
      groups.push([]);
      if (stamp.length < groups.length) { const g = new Int32Array(stamp.length * 2).fill(-1); g.set(stamp); stamp = g; }
    }
    colourOf[j] = c;
    groups[c]!.push(j);
  }
  return { colourOf, groups };
}

/**
 * The greedy colouring of rows that share no element (a reduction over some axes, a GlobalAveragePool, pools whose
 * windows do not overlap), made without it: each element's colour is its rank in its row (greedy, visiting elements in
 * order, gives it the first colour its row's earlier elements left), an element no row reads colour 0. Linear in the
 * pattern, where the greedy walk costs each row's length per element (a GlobalAveragePool over 64 × 64: 4,096 per
 * element).
 */
function disjointColours(p: ReadPattern, rows: number[]): { colourOf: Int32Array; groups: number[][] } {
  const colourOf = new Int32Array(p.nIn);
  for (const r of rows) {
    const els = Int32Array.from(p.idx.subarray(p.ptr[r]!, p.ptr[r + 1]!)).sort();
    els.forEach((j, k) => { colourOf[j] = k; });
  }
  const groups: number[][] = [];
  for (let j = 0; j < p.nIn; j++) (groups[colourOf[j]!] ??= []).push(j);
  return { colourOf, groups };
}

/**
 * Whether one output reads half the input or more (a reduction over every element, or nearly): colours then number at
 * least that many, so they save under half of the one-column probes, and greedy colouring costs the square of that
 * row (a full ReduceSum over 20,000 values: 4 s of colouring). Such a map is probed column by column.
 */
function denseRow(p: ReadPattern): boolean {
  if (p.nIn < 2) return false;
  for (let i = 0; i + 1 < p.ptr.length; i++) if (2 * (p.ptr[i + 1]! - p.ptr[i]!) >= p.nIn) return true;
  return false;
}

/** The columns of a constant-linear float map: per output, its nonzero (coefficient, source element) pairs. */
export interface ProbedColumns { zero: Tensor; cols: Array<Array<[number, number]>>; big: number }

/**
 * Probe `f` (affine in a tensor of `shape`) for its columns: col_j = f(e_j) − f(0). With a read pattern, the columns
 * of one colour come from one probe (probes ≈ the largest number of elements one output's neighbourhood reads, not
 * the input size); without one, one probe per column. Same floats either way (each output sees the inputs it sees
 * in a one-column probe). `tick` is called after each probe.
 */
export function probeColumns(f: (t: Tensor) => Tensor, shape: number[], pattern: ReadPattern | undefined, tick: () => void): ProbedColumns {
  const zero = f(tensor(shape));
  const nIn = sizeOf(shape);
  const cols: Array<Array<[number, number]>> = Array.from(zero.data, () => []);
  let big = 0;
  const e = tensor(shape);
  if (!pattern || pattern.ptr.length - 1 !== zero.data.length || pattern.nIn !== nIn || denseRow(pattern)) {
    const one = new Int32Array(1);
    for (let j = 0; j < nIn; j++) {
      if ((j & 0x3f) === 0x3f) tick();
      e.data[j] = 1;
      one[0] = j;
      e.nonzeros = one; // a reduction reads this one element, not all nIn (Tensor.nonzeros)
      const col = f(e);
      e.data[j] = 0;
      delete e.nonzeros;
      for (let i = 0; i < col.data.length; i++) {
        const m = col.data[i]! - zero.data[i]!;
        if (m !== 0) { cols[i]!.push([m, j]); big = Math.max(big, Math.abs(m)); }
      }
    }
    return { zero, cols, big };
  }
  const { colourOf, groups } = colour(pattern);
  // each row's elements ordered by colour, so that a probe finds an output's element of its colour by bisection
  // instead of a scan of the row (a GlobalAveragePool's rows hold H·W elements, one probe per colour)
  const { ptr } = pattern, byColour = Int32Array.from(pattern.idx);
  for (let i = 0; i + 1 < ptr.length; i++) if (ptr[i + 1]! - ptr[i]! > 1) byColour.subarray(ptr[i]!, ptr[i + 1]!).sort((a, b) => colourOf[a]! - colourOf[b]!);
  const ownerOf = (i: number, c: number): number => {
    let lo = ptr[i]!, hi = ptr[i + 1]!;
    while (lo < hi) { const mid = (lo + hi) >> 1; if (colourOf[byColour[mid]!]! < c) lo = mid + 1; else hi = mid; }
    return lo < ptr[i + 1]! && colourOf[byColour[lo]!] === c ? byColour[lo]! : -1;
  };
  for (let c = 0; c < groups.length; c++) {
    tick();
    for (const j of groups[c]!) e.data[j] = 1;
    e.nonzeros = Int32Array.from(groups[c]!); // ascending: colour() fills each group in element order
    const col = f(e);
    for (const j of groups[c]!) e.data[j] = 0;
    delete e.nonzeros;
    for (let i = 0; i < col.data.length; i++) {
      const m = col.data[i]! - zero.data[i]!;
      if (m === 0) continue;
      const owner = ownerOf(i, c);
      // a read the pattern does not list: probe column by column instead (never guess)
      if (owner < 0) return probeColumns(f, shape, undefined, tick);
      cols[i]!.push([m, owner]);
      big = Math.max(big, Math.abs(m));
    }
  }
  for (const c of cols) c.sort((a, b) => a[1] - b[1]);
  return { zero, cols, big };
}
