// The `act` gadget's window test (docs/zkml-compile.md "Activations"): with m ≥ 2 bits above the window, x is inside
// exactly when V + bit_P = 2^(m−1) (V = the bits above P as a number) — one IsZero of a linear sum. On the direct
// backend: the honest witness satisfies the r1cs below, inside and above the window, the count equals gadgetCost,
// and a witness that takes the other branch (saturating inside the window, or the table outside it) fails.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BN254_R } from '../../src/zkml/fixed-point.js';
import { buildActTable, actOutputScale, type ActShape } from '../../src/zkml/quantize/activation.js';
import { linSig } from '../../src/zkml/quantize/lin.js';
import { emulate, gadgetCost, type FixedProgram } from '../../src/zkml/quantize/program.js';
import { checkR1cs } from '../../src/zkml/r1cs/check.js';
import { emitProgram } from '../../src/zkml/r1cs/emit.js';
import { asR1cs } from '../../src/zkml/r1cs/write.js';

const sx = 6, n = 14; // window |x| < 8 at scale 6: P = 9, so m = 14 − 1 − 9 = 4 bits above it
const x = linSig(0);

function program(fn: 'sigmoid' | 'tanh', shape?: ActShape): FixedProgram {
  const table = buildActTable(fn, sx, actOutputScale(fn, sx, sx), shape);
  return {
    nIn: 1, nSignals: 2, outputs: [linSig(1)],
    bounds: [[-(1n << BigInt(n - 1)), (1n << BigInt(n - 1)) - 1n], [-(1n << BigInt(table.so)), 1n << BigInt(table.so)]],
    gadgets: [{ kind: 'range', node: 'in', x, n }, { kind: 'act', node: 'act', x, n, sx, table, out: 1 }],
  };
}

// the preset windows, and a calibrated one (|x − 2| < 2, saturating to σ(0) and σ(4): lower.ts fitWindow)
for (const [fn, shape] of [['sigmoid'], ['tanh'], ['sigmoid', { k: 1, j: 1, c: 2 }]] as const) {
  test(`act window test (${fn}${shape ? ', calibrated window' : ''}, ${shape ? 6 : 4} bits above the window): honest inside/outside, a forged branch fails`, () => {
    const p = program(fn, shape);
    const tb = (p.gadgets[1] as Extract<FixedProgram['gadgets'][number], { kind: 'act' }>).table;
    const lim = 1n << BigInt(tb.k + sx);
    for (const xv of [-(1n << BigInt(n - 1)), -lim - 1n, -lim, -5n, 0n, 77n, lim - 1n, lim, (1n << BigInt(n - 1)) - 1n]) {
      const c = emitProgram(p, { inputs: [xv], constraints: true });
      const r1cs = asR1cs(c);
      assert.equal(r1cs.constraints.length, gadgetCost(p.gadgets[0]!) + gadgetCost(p.gadgets[1]!), 'count = gadgetCost');
      const w = c.witness!;
      assert.deepEqual(checkR1cs(r1cs, w), { ok: true, failures: 0 }, `honest x = ${xv}`);
      const y = emulate(p, [xv]).outputs[0]!;
      assert.equal(w[1], ((y % BN254_R) + BN254_R) % BN254_R);
      const inside = xv >= -lim && xv < lim;
      if (!inside) assert.equal(y, xv >= 0n ? tb.satHi : tb.satLo, `x = ${xv} saturates`);
      // take the other branch: flip the window bit and set the output to what that branch would give
      const sym = new Map(c.labels.map((l) => [l.name, l.wire]));
      const inWin = sym.get('main.g1[act].isz.out')!, inv = sym.get('main.g1[act].isz.inv')!;
      assert.ok(inWin >= 0 && inv >= 0);
      const forged = [...w];
      forged[inWin] = inside ? 0n : 1n;
      forged[inv] = 0n;
      const sat = xv >= 0n ? tb.satHi : tb.satLo;
      forged[1] = inside ? ((sat % BN254_R) + BN254_R) % BN254_R : 0n;
      assert.equal(checkR1cs(r1cs, forged).ok, false, `forged branch at x = ${xv}`);
    }
  });
}
