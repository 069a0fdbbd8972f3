import { programPackPlan, wordTerms } from '../r1cs/public-wires.js';
import { selectorSplit, type ActTable } from '../quantize/activation.js';
import type { Lin } from '../quantize/lin.js';
import type { FixedProgram, Gadget } from '../quantize/program.js';

export interface GeneratedCircuit {
  /** Circom 2 source of the main circuit (includes the template library `zkinfer.circom`). */
  source: string;
  /** Per gadget index, the circom name of its component or product signal (for the witness-mutation harness). */
  gadgetNames: string[];
}

/** Multilinear (Möbius) coefficients of F over its selector bits: F(mask) = Σ_{S ⊆ mask} c[S]. */
export function multilinear(F: bigint[]): bigint[] {
  const c = [...F];
  for (let bit = 1; bit < c.length; bit <<= 1) for (let m = 0; m < c.length; m++) if (m & bit) c[m]! -= c[m ^ bit]!;
  return c;
}

/** Name suffix of the specialised activation template of an `act` gadget (one per table, width and input scale). */
export function actKey(g: Extract<Gadget, { kind: 'act' }>): string {
  const tb = g.table, key = `${tb.fn}_${tb.st}_${tb.so}_${g.n}_${g.sx}`;
  if (tb.c === undefined) return key;
  // a calibrated window: its size and centre (on the 2^−st grid; a rounding table's centre is half a step off it: 'h')
  const c2 = Math.round(tb.c * 2 ** (tb.st + 1)), c = Math.trunc(c2 / 2);
  return `${key}_w${tb.k}_${tb.j}_${c2 < 0 ? 'm' : ''}${Math.abs(c)}${c2 % 2 ? 'h' : ''}`;
}

/** One specialised template per (activation table, width, input scale): constants inlined so circom folds them. */
export function actTemplate(name: string, tb: ActTable, n: number, sx: number): string {
  const P = tb.k + sx, j = tb.j, d = sx - tb.st, sat = n - 1 > P;
  const sel = (i: number) => (i < j ? `b.bits[${P - j + i}]` : `b.bits[${n - 1}]`);
  const CA = multilinear(tb.A), CB = multilinear(tb.B);
  const { r } = selectorSplit(j + 1);
  const h = j + 1 - r;
  const L: string[] = [];
  L.push(`// ${tb.fn}${tb.c ? `(${tb.c} + x)` : ''} by ${2 ** (j + 1)} linear segments over |x| < 2^${tb.k} (input scale ${sx}, output scale ${tb.so}).`);
  L.push(`// Selector bits: bits ${P - j}..${P - 1} and the sign; offset t = bits ${d}..${P - j - 1}; y = A[seg] + B[seg]·t.`);
  L.push(`// A and B are multilinear in the selector bits: monomials of the low ${r} bits, Horner over the high ${h}.`);
  L.push(`template ${name}() {`, '    signal input in;', '    signal output out;', '    signal output q;');
  L.push(`    component b = SignedBits(${n});`, '    b.in <== in;');
  L.push(`    var qv = 0;`, `    for (var i = ${d}; i < ${n}; i++) qv += b.bits[i] * (1 << (i - ${d}));`, `    q <== qv - (1 << ${n - 1 - d});`);
  const mono = (m: number): string => {
    const bits = [...Array(r).keys()].filter((i) => m & (1 << i));
    return bits.length === 0 ? '1' : bits.length === 1 ? sel(bits[0]!) : `m${m}`;
  };
  for (let m = 1; m < 2 ** r; m++) {
    const low = m & -m;
    if (m === low) continue;
    L.push(`    signal m${m};`, `    m${m} <== ${mono(m ^ low)} * ${sel(Math.log2(low))};`);
  }
  // Σ over low monomials of the coefficients for high-bit subset `hm`
  const leaf = (c: bigint[], hm: number): string => {
    const parts: string[] = [];
    for (let lm = 0; lm < 2 ** r; lm++) {
      const k = c[lm | (hm << r)]!;
      if (k !== 0n) parts.push(lm === 0 ? `(${k})` : `(${k}) * ${mono(lm)}`);
    }
    return parts.length ? parts.join(' + ') : '0';
  };
  let counter = 0;
  // poly(i, hm) = Σ_{S ⊆ high bits ≥ i} Π_{b∈S} sel(r+b) · leaf(hm ∪ S)
  const poly = (c: bigint[], tag: string, i: number, hm: number): string => {
    if (i === h) return leaf(c, hm);
    const rest = poly(c, tag, i + 1, hm);
    const withBit = poly(c, tag, i + 1, hm | (1 << i));
    const sig = `${tag}${counter++}`;
    L.push(`    signal ${sig};`, `    ${sig} <== ${sel(r + i)} * (${withBit});`);
    return `${rest} + ${sig}`;
  };
  const Aexpr = poly(CA, 'pa', 0, 0);
  const Bexpr = poly(CB, 'pb', 0, 0);
  L.push(`    var t = 0;`, `    for (var i = ${d}; i < ${P - j}; i++) t += b.bits[i] * (1 << (i - ${d}));`);
  L.push(`    signal bt;`, `    bt <== (${Bexpr}) * t;`);
  L.push(`    var y = ${Aexpr} + bt;`);
  if (sat) {
    const m = n - 1 - P;
    if (m === 1) {
      L.push(`    // one bit above the window: x is inside exactly when it differs from the top bit (an XOR, one product)`);
      L.push(`    signal sS;`, `    sS <== b.bits[${n - 1}] * b.bits[${P}];`);
      L.push(`    var inWin = b.bits[${P}] + b.bits[${n - 1}] - 2 * sS;`);
    } else {
      L.push(`    // V = bits ${P + 1}..${n - 1} as a number: x is inside the window exactly when V + bit ${P} = 2^${m - 1} (linear)`);
      L.push(`    var D = b.bits[${P}] - ${2n ** BigInt(m - 1)};`, `    for (var i = ${P + 1}; i < ${n}; i++) D += b.bits[i] * (1 << (i - ${P + 1}));`);
      L.push(`    component isz = IsZero();`, `    isz.in <== D;`, `    var inWin = isz.out;`);
    }
    L.push(`    var satv = (${tb.satLo}) + (${tb.satHi - tb.satLo}) * b.bits[${n - 1}];`);
    L.push(`    out <== satv + inWin * (y - satv);`);
  } else {
    L.push(`    out <== y;`);
  }
  L.push('}');
  return L.join('\n');
}

function linStr(l: Lin, ref: (s: number) => string): string {
  const parts: string[] = [];
  for (const [s, k] of l.terms) parts.push(k === 1n ? ref(s) : `(${k}) * ${ref(s)}`);
  if (l.c !== 0n || parts.length === 0) parts.push(`(${l.c})`);
  return parts.join(' + ');
}

/**
 * The main template's packed public words (docs/eth.md "Packed public inputs"): the `packed[]` output declaration,
 * then each word's assignment from the range-checked inputs `in[]`.
 */
export function packedWordLines(p: FixedProgram): { decl: string; assigns: string[] } {
  const words = programPackPlan(p).map(wordTerms);
  return {
    decl: `    signal output packed[${words.length}]; // Σ (in[i] + 2^(w−1))·2^shift, each in[i] range-checked to w bits`,
    assigns: words.map((w, j) => `    packed[${j}] <== ${linStr({ terms: new Map(w.terms), c: w.c }, (i) => `in[${i}]`)};`),
  };
}

/**
 * Generate the Circom source of a fixed-point program: `in[nIn]` private inputs, `out[nOut]` outputs, the outputs
 * `packed[nWords]` — the range-checked inputs packed into words (docs/eth.md "Packed public inputs") — and the
 * public input `recipient` (last public signal), used in no constraint: Groth16 binds every public input through
 * the zkey's extra A rows, so a proof made for one recipient fails for any other (docs/eth.md "Recipient binding").
 */
export function generateCircom(p: FixedProgram, name = 'Model'): GeneratedCircuit {
  const refs = new Map<number, string>();
  const ref = (s: number): string => (s < p.nIn ? `in[${s}]` : refs.get(s)!);
  const acts = new Map<string, string>();
  const body: string[] = [];
  const gadgetNames: string[] = [];
  p.gadgets.forEach((g: Gadget, k) => {
    const c = `g${k}`;
    switch (g.kind) {
      case 'range':
        body.push(`    component ${c} = RangeCheck(${g.n});`, `    ${c}.in <== ${linStr(g.x, ref)};`);
        break;
      case 'mul':
        body.push(`    signal p${k};`, `    p${k} <== (${linStr(g.a, ref)}) * (${linStr(g.b, ref)});`);
        refs.set(g.out, `p${k}`);
        gadgetNames.push(`p${k}`);
        return;
      case 'rescale':
      case 'relu':
        body.push(`    component ${c} = ${g.kind === 'rescale' ? 'Rescale' : 'ReluRescale'}(${g.n}, ${g.d});`, `    ${c}.in <== ${linStr(g.x, ref)};`);
        refs.set(g.out, `${c}.out`);
        break;
      case 'act': {
        const key = actKey(g);
        let t = acts.get(key);
        if (!t) { t = `Act_${key}`; acts.set(key, t); }
        if (g.q && g.q.d !== g.sx - g.table.st) throw new Error('activation quotient must drop the same bits as the offset');
        body.push(`    component ${c} = ${t}();`, `    ${c}.in <== ${linStr(g.x, ref)};`);
        refs.set(g.out, `${c}.out`);
        if (g.q) refs.set(g.q.out, `${c}.q`);
        break;
      }
      case 'div': {
        const y = linStr(g.y, ref);
        if (g.signed) {
          // |y| = y·(2·sign − 1), the sign from an (ny + 1)-bit decomposition of y
          body.push(`    component ${c}_yb = SignedBits(${g.ny + 1});`, `    ${c}_yb.in <== ${y};`, `    signal ${c}_ay;`, `    ${c}_ay <== (${y}) * (2 * ${c}_yb.bits[${g.ny}] - 1);`);
        }
        body.push(`    component ${c} = DivEuclid(${g.ny}, ${g.nq});`, `    ${c}.x <== ${linStr(g.x, ref)};`, `    ${c}.y <== ${y};`, `    ${c}.ay <== ${g.signed ? `${c}_ay` : y};`);
        refs.set(g.out, `${c}.q`);
        break;
      }
    }
    gadgetNames.push(c);
  });
  const actSrc = [...acts.entries()].map(([key, t]) => {
    const g = p.gadgets.find((x) => x.kind === 'act' && actKey(x) === key) as Extract<Gadget, { kind: 'act' }>;
    return actTemplate(t, g.table, g.n, g.sx);
  });
  const packed = packedWordLines(p);
  const src = [
    'pragma circom 2.1.0;',
    '// Generated by zkinfer (src/zkml/codegen/circom.ts). Weights are constants; outputs and the packed inputs are public.',
    'include "zkinfer.circom";',
    '',
    ...actSrc.map((s) => s + '\n'),
    `template ${name}() {`,
    `    signal input in[${p.nIn}];`,
    '    signal input recipient; // bound as a public input only (docs/eth.md "Recipient binding")',
    `    signal output out[${p.outputs.length}];`,
    packed.decl,
    ...packed.assigns,
    ...body,
    ...p.outputs.map((o, i) => `    out[${i}] <== ${linStr(o, ref)};`),
    '}',
    '',
    `component main {public [recipient]} = ${name}();`,
    '',
  ].join('\n');
  return { source: src, gadgetNames };
}
