import type { Lin, Sig } from '../quantize/lin.js';
import { gadgetCost, outputCosts, type FixedProgram, type Gadget } from '../quantize/program.js';
import { actKey, actTemplate, packedWordLines } from './circom.js';

/**
 * Readable Circom export of a fixed-point program, for audit (docs/zkml-compile.md, "Audit export"): the same
 * circuit as the direct backend's .r1cs, written as one template per ONNX node ("layer") whose gadgets are component
 * arrays filled by loops over constant coefficient tables, with a comment per layer naming the node, its op, its
 * gadgets and constraints; no line is longer than 120 characters. It is not used to prove; a test compiles it with
 * circom2 and checks it has the same constraint count and public signals as the direct path.
 *
 * Inside a layer `v[]` holds the layer's values: its inputs `x[]` first, then every gadget result in program order;
 * `y[]` exports the results later layers or the outputs use. In the main template `s[]` holds the model inputs, then
 * every layer's exports.
 */

/**
 * How a gadget kind appears in the export: its template and parameters (none for a product), operands and results.
 * A run of gadgets of one template shares a loop; a parameter that varies along the run comes from a table.
 */
interface Shape { template?: string; args: number[]; ins: Lin[]; outs: Sig[]; ports: string[]; inPorts?: string[] }

const SHAPES: { [K in Gadget['kind']]: (g: Extract<Gadget, { kind: K }>) => Shape } = {
  range: (g) => ({ template: 'RangeCheck', args: [g.n], ins: [g.x], outs: [], ports: [] }),
  mul: (g) => ({ args: [], ins: [g.a, g.b], outs: [g.out], ports: [] }),
  rescale: (g) => ({ template: 'Rescale', args: [g.n, g.d], ins: [g.x], outs: [g.out], ports: ['out'] }),
  relu: (g) => ({ template: 'ReluRescale', args: [g.n, g.d], ins: [g.x], outs: [g.out], ports: ['out'] }),
  act: (g) => ({ template: `Act_${actKey(g)}`, args: [], ins: [g.x], outs: g.q ? [g.out, g.q.out] : [g.out], ports: g.q ? ['out', 'q'] : ['out'] }),
  div: (g) => ({ template: g.signed ? 'DivSigned' : 'DivUnsigned', args: [g.ny, g.nq], ins: [g.x, g.y], outs: [g.out], ports: ['q'], inPorts: ['x', 'y'] }),
};
const shapeOf = (g: Gadget): Shape => (SHAPES[g.kind] as (g: Gadget) => Shape)(g);

const MAX_LINE = 120;

/** Break a line longer than MAX_LINE after ` +` / `,` separators, continuation lines indented 8 more (comments stay comments). */
export function wrapLine(line: string): string[] {
  if (line.length <= MAX_LINE) return [line];
  const lead = line.length - line.trimStart().length;
  // a comment continues as a comment
  const indent = line.trimStart().startsWith('//') ? `${' '.repeat(lead)}//     ` : ' '.repeat(lead + 8);
  const parts = line.split(/(?<= \+|,) /);
  const out: string[] = [];
  let cur = '';
  for (const p of parts) {
    if (cur && cur.length + 1 + p.length > MAX_LINE) { out.push(cur); cur = indent + p; } else cur = cur ? `${cur} ${p}` : p;
  }
  if (cur) out.push(cur);
  return out;
}

/** `var name[n] = [...];` wrapped to the line limit. */
function arrayDecl(ind: string, name: string, items: ReadonlyArray<number | bigint>): string[] {
  const one = `${ind}var ${name}[${items.length}] = [${items.join(', ')}];`;
  if (one.length <= MAX_LINE) return [one];
  const out = [`${ind}var ${name}[${items.length}] = [`];
  let cur = '';
  for (const [i, x] of items.entries()) {
    const tok = `${x}${i < items.length - 1 ? ',' : ''}`;
    if (cur && ind.length + 4 + cur.length + 1 + tok.length > MAX_LINE) { out.push(`${ind}    ${cur}`); cur = tok; } else cur = cur ? `${cur} ${tok}` : tok;
  }
  if (cur) out.push(`${ind}    ${cur}`);
  out.push(`${ind}];`);
  return out;
}

/** Indices i0, i0+1, … (so a loop can index `arr[i0 + i]` instead of a table). */
function consecutive(xs: readonly number[]): number | undefined {
  return xs.every((x, i) => x === xs[0]! + i) ? xs[0] : undefined;
}

/** Indices i0 + step·i (an operand read once per iteration of a block): `arr[i0 + step * i]`. */
function progression(xs: readonly number[]): string | undefined {
  const step = xs.length > 1 ? xs[1]! - xs[0]! : 1;
  if (!xs.every((x, i) => x === xs[0]! + step * i)) return undefined;
  return step === 1 ? `${xs[0]} + i` : step === 0 ? `${xs[0]}` : `${xs[0]} + ${step} * i`;
}

/** Longest repeated gadget pattern a layer's loop body may hold. */
const MAX_PERIOD = 32;

/**
 * Declarations and the loop-body expression of operand `lins[i]` (one per gadget of a run) over array `arr` with
 * index map `at`: a plain element when every operand is one value with coefficient 1, a table loop otherwise.
 */
function operand(ind: string, prefix: string, lins: readonly Lin[], arr: string, at: (s: Sig) => number): { decl: string[]; body: (acc: string) => string[]; expr: string } {
  const simple = lins.every((l) => l.c === 0n && l.terms.size === 1 && [...l.terms.values()][0] === 1n);
  if (simple) {
    const xs = lins.map((l) => at([...l.terms.keys()][0]!));
    const pr = progression(xs);
    if (pr !== undefined) return { decl: [], body: () => [], expr: `${arr}[${pr}]` };
    return { decl: arrayDecl(ind, `${prefix}X`, xs), body: () => [], expr: `${arr}[${prefix}X[i]]` };
  }
  const W: bigint[] = [], X: number[] = [], S: number[] = [0], C: bigint[] = [];
  for (const l of lins) {
    for (const [s, k] of l.terms) { W.push(k); X.push(at(s)); }
    S.push(W.length);
    C.push(l.c);
  }
  const decl = [...(W.length ? [...arrayDecl(ind, `${prefix}W`, W), ...arrayDecl(ind, `${prefix}X`, X), ...arrayDecl(ind, `${prefix}S`, S)] : []),
    ...(C.some((c) => c !== 0n) ? arrayDecl(ind, `${prefix}C`, C) : [])];
  const body = (acc: string) => [
    `${acc} = ${C.some((c) => c !== 0n) ? `${prefix}C[i]` : '0'};`,
    ...(W.length ? [`for (var t = ${prefix}S[i]; t < ${prefix}S[i + 1]; t++) ${acc} += ${prefix}W[t] * ${arr}[${prefix}X[t]];`] : []),
  ];
  return { decl, body, expr: '' };
}

const sanitize = (node: string): string => node.replace(/[^A-Za-z0-9_]/g, '_').replace(/_+/g, '_').replace(/^_|_$/g, '').slice(0, 40) || 'node';
const quote = (node: string): string => node.replace(/[\r\n]/g, ' ');

interface Layer { node: string; gadgets: number[] }

/** dst.push(...) without spreading lines into call arguments: a 2^22 model's tables have more lines than a call takes. */
function append(dst: string[], ...parts: Array<string | readonly string[]>): void {
  for (const p of parts) if (typeof p === 'string') dst.push(p); else for (const l of p) dst.push(l);
}

/** Generate the readable Circom source (template library included by `include "zkinfer.circom"`). */
export function exportReadableCircom(p: FixedProgram, opts: { name?: string; nodeOps?: ReadonlyMap<string, string> } = {}): string {
  const name = opts.name ?? 'Model';
  // layers: runs of consecutive gadgets of one ONNX node
  const layers: Layer[] = [];
  p.gadgets.forEach((g, k) => {
    const last = layers[layers.length - 1];
    if (last && last.node === g.node) last.gadgets.push(k); else layers.push({ node: g.node, gadgets: [k] });
  });
  const defLayer = new Int32Array(p.nSignals).fill(-1);
  layers.forEach((l, li) => { for (const k of l.gadgets) for (const s of shapeOf(p.gadgets[k]!).outs) defLayer[s] = li; });
  // which signals each layer exports: defined there, used by a later layer or an output
  const used = new Set<number>();
  const layerIns: number[][] = layers.map((l, li) => {
    const seen = new Set<number>(), ins: number[] = [];
    for (const k of l.gadgets) for (const lin of shapeOf(p.gadgets[k]!).ins) for (const s of lin.terms.keys()) {
      if (defLayer[s] !== li && !seen.has(s)) { seen.add(s); ins.push(s); }
      if (defLayer[s] !== li) used.add(s);
    }
    return ins.sort((a, b) => a - b);
  });
  for (const o of p.outputs) for (const s of o.terms.keys()) used.add(s);

  const acts = new Map<string, Extract<Gadget, { kind: 'act' }>>();
  for (const g of p.gadgets) if (g.kind === 'act' && !acts.has(actKey(g))) acts.set(actKey(g), g);

  const templates: string[] = [];
  const main: string[] = [];
  const sIndex = new Map<number, number>();
  for (let i = 0; i < p.nIn; i++) sIndex.set(i, i);
  let sNext = p.nIn;
  const oc = outputCosts(p);

  layers.forEach((l, li) => {
    const tname = `L${li}_${sanitize(l.node)}`;
    const ins = layerIns[li]!;
    const local = new Map<number, number>();
    ins.forEach((s, i) => local.set(s, i));
    let vNext = ins.length;
    const exports: number[] = [];
    const body: string[] = [];
    // blocks: a pattern of `period` gadget shapes repeated `reps` times (an LSTM's per-unit gates, a Relu's elements)
    const keys = l.gadgets.map((k) => {
      const sh = shapeOf(p.gadgets[k]!);
      return `${p.gadgets[k]!.kind}|${sh.template ?? ''}|${sh.args.length}|${sh.ports.join()}|${sh.ins.length}`;
    });
    const blocks: Array<{ ks: number[]; period: number; reps: number }> = [];
    for (let at = 0; at < keys.length;) {
      let best = { period: 1, reps: 1 };
      for (let per = 1; per <= MAX_PERIOD && at + 2 * per <= keys.length; per++) {
        let reps = 1;
        const same = (r: number) => { for (let j = 0; j < per; j++) if (keys[at + r * per + j] !== keys[at + j]) return false; return true; };
        while (at + (reps + 1) * per <= keys.length && same(reps)) reps++;
        if (reps >= 2 && per * reps > best.period * best.reps) best = { period: per, reps };
      }
      blocks.push({ ks: l.gadgets.slice(at, at + best.period * best.reps), ...best });
      at += best.period * best.reps;
    }
    const cost = l.gadgets.reduce((s, k) => s + gadgetCost(p.gadgets[k]!), 0);
    const ind = '    ', in2 = ind + '    ';
    blocks.forEach((bl, bi) => {
      const { period: P, reps: U } = bl;
      const base = vNext;
      // results get their v[] places first (iteration by iteration): a gadget may use an earlier result of its block
      for (const k of bl.ks) for (const sig of shapeOf(p.gadgets[k]!).outs) { local.set(sig, vNext++); if (used.has(sig)) exports.push(sig); }
      const perIter = (vNext - base) / U;
      const decl: string[] = [], loop: string[] = [], what: string[] = [];
      let off = 0;
      for (let j = 0; j < P; j++) {
        const shapes = bl.ks.filter((_, x) => x % P === j).map((k) => shapeOf(p.gadgets[k]!));
        const sh0 = shapes[0]!, name = P === 1 ? `r${bi}` : `r${bi}_${j}`;
        const ops = sh0.ins.map((_, o) => operand(ind, `${name}${String.fromCharCode(97 + o)}`, shapes.map((s) => s.ins[o]!), 'v', (s) => local.get(s)!));
        // template arguments: a literal when equal along the block, else a table indexed by i
        const args = sh0.args.map((a0, a) => {
          const col = shapes.map((sh) => sh.args[a]!);
          if (col.every((x) => x === a0)) return { text: String(a0), shown: String(a0) };
          append(decl, arrayDecl(ind, `${name}p${a}`, col));
          // (a fold, not Math.min(...col): a 2^22 model's blocks have more entries than a call's argument limit)
          return { text: `${name}p${a}[i]`, shown: `${col.reduce((m, x) => (x < m ? x : m))}…${col.reduce((m, x) => (x > m ? x : m))}` };
        });
        what.push(sh0.template ? `${sh0.template}(${args.map((a) => a.shown).join(', ')})` : 'a·b');
        for (const o of ops) append(decl, o.decl);
        const accs = ops.map((o, x) => (o.expr ? o.expr : `${name}${String.fromCharCode(97 + x)}`));
        for (const [x, o] of ops.entries()) if (!o.expr) decl.push(`${ind}var ${accs[x]};`);
        if (sh0.template) decl.push(`${ind}component ${name}[${U}];`);
        for (const [x, o] of ops.entries()) for (const line of o.body(accs[x]!)) loop.push(in2 + line);
        const out = (port: number) => `v[${base}${U > 1 ? (perIter > 1 ? ` + ${perIter} * i` : ' + i') : ''}${off + port ? ` + ${off + port}` : ''}]`;
        if (sh0.template) {
          loop.push(`${in2}${name}[i] = ${sh0.template}(${args.map((a) => a.text).join(', ')});`);
          (sh0.inPorts ?? ['in']).forEach((port, x) => loop.push(`${in2}${name}[i].${port} <== ${accs[x]};`));
          sh0.ports.forEach((port, x) => loop.push(`${in2}${out(x)} <== ${name}[i].${port};`));
        } else {
          loop.push(`${in2}${out(0)} <== ${accs[0]} * ${accs[1]};`);
        }
        off += sh0.outs.length;
      }
      const pattern = P === 1 ? what[0]! : `[${what.join(', ')}]`;
      append(body, `${ind}// ${U} × ${pattern}${vNext > base ? ` → v[${base}..${vNext})` : ''}`, decl);
      append(body, `${ind}for (var i = 0; i < ${U}; i++) {`, loop, `${ind}}`);
    });
    const op = opts.nodeOps?.get(l.node);
    const head = [
      `// ONNX node "${quote(l.node)}"${op ? ` (${op})` : ''}: ${l.gadgets.length} gadget${l.gadgets.length > 1 ? 's' : ''}, ${cost} constraints.`,
      `template ${tname}() {`,
      ...(ins.length ? [`    signal input x[${ins.length}];`] : []),
      ...(exports.length ? [`    signal output y[${exports.length}];`] : []),
      `    signal v[${vNext}];`,
      ...(ins.length ? [`    for (var i = 0; i < ${ins.length}; i++) v[i] <== x[i];`] : []),
    ];
    const tail: string[] = [];
    if (exports.length) {
      const ex = exports.map((s) => local.get(s)!);
      const c = consecutive(ex);
      if (c !== undefined) tail.push(`    for (var i = 0; i < ${ex.length}; i++) y[i] <== v[${c} + i];`);
      else append(tail, arrayDecl('    ', 'ex', ex), `    for (var i = 0; i < ${ex.length}; i++) y[i] <== v[ex[i]];`);
    }
    templates.push([...head, ...body, ...tail, '}', ''].join('\n'));

    // main: wire the layer's inputs from s[], append its exports to s[]
    const c = `l${li}`;
    main.push(`    // ${quote(l.node)}${op ? ` (${op})` : ''}`, `    component ${c} = ${tname}();`);
    if (ins.length) {
      const xs = ins.map((s) => sIndex.get(s)!);
      const ci = consecutive(xs);
      if (ci !== undefined) main.push(`    for (var i = 0; i < ${xs.length}; i++) ${c}.x[i] <== s[${ci} + i];`);
      else append(main, arrayDecl('    ', `${c}In`, xs), `    for (var i = 0; i < ${xs.length}; i++) ${c}.x[i] <== s[${c}In[i]];`);
    }
    if (exports.length) {
      main.push(`    for (var i = 0; i < ${exports.length}; i++) s[${sNext} + i] <== ${c}.y[i];`);
      exports.forEach((s) => sIndex.set(s, sNext++));
    }
  });

  const outOp = operand('    ', 'o', p.outputs, 's', (s) => sIndex.get(s)!);
  const outLines = p.outputs.length === 0 ? [] : [
    `    // outputs: out[i] = Σ W·s + C (${oc.reduce((a, b) => a + b, 0)} equality constraints left after -O2)`,
    ...outOp.decl,
    ...(outOp.expr ? [] : ['    var acc;']),
    `    for (var i = 0; i < ${p.outputs.length}; i++) {`,
    ...outOp.body('acc').map((l) => `        ${l}`),
    `        out[i] <== ${outOp.expr || 'acc'};`,
    '    }',
  ];
  const packed = packedWordLines(p);
  const src = [
    'pragma circom 2.1.0;',
    '// Generated by zkinfer for audit (src/zkml/codegen/readable.ts, docs/zkml-compile.md "Audit export"): the same',
    '// circuit the direct backend writes as circuit.r1cs. Weights are constants; the outputs, the inputs packed into',
    '// words (docs/eth.md "Packed public inputs") and recipient are public; the inputs themselves are private.',
    'include "zkinfer.circom";',
    '',
    ...[...acts.entries()].map(([key, g]) => actTemplate(`Act_${key}`, g.table, g.n, g.sx) + '\n'),
    ...templates,
    `template ${name}() {`,
    `    signal input in[${p.nIn}];`,
    '    signal input recipient; // bound as a public input only (docs/eth.md "Recipient binding")',
    `    signal output out[${p.outputs.length}];`,
    packed.decl,
    `    // s: the model inputs, then each layer's exported results`,
    `    signal s[${sNext}];`,
    `    for (var i = 0; i < ${p.nIn}; i++) s[i] <== in[i];`,
    ...main,
    ...outLines,
    ...packed.assigns,
    '}',
    '',
    `component main {public [recipient]} = ${name}();`,
    '',
  ].join('\n');
  return src.split('\n').flatMap(wrapLine).join('\n');
}
