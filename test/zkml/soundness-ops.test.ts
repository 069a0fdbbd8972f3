// Soundness of every op template and of whole small models, on the compiled r1cs (witness-mutation harness):
// an honest witness satisfies every constraint and equals the exact integer emulation; a witness with a tampered
// output, rescale quotient, rescale remainder or product fails; out-of-range inputs are refused.
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { BURN_LSTM } from '../fixtures/onnx/paths.js';
import { MODELS, OP_MODELS } from '../fixtures/onnx/op-models.js';
import { checkCircuit } from '../fixtures/onnx/soundness.js';

for (const [name, make] of Object.entries({ ...OP_MODELS, ...MODELS })) {
  test(`soundness: ${name}`, async () => { await checkCircuit(name, make()); });
}

test('soundness: the PyTorch-exported LSTM (third-party ONNX, 5 steps × batch 2, hidden 8)', async () => {
  await checkCircuit('burn-pytorch-lstm', readFileSync(BURN_LSTM), { seeds: [11], tampers: 6 });
});
