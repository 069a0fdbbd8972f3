// Soundness of every op template and of whole small models, on the compiled r1cs (witness-mutation harness):
// an honest witness satisfies every constraint and equals the exact integer emulation; a witness with a tampered
// output, rescale quotient, rescale remainder or product fails; out-of-range inputs are refused.
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { OnnxBuilder } from '../../src/zkml/onnx/write.js';
import { BURN_LSTM } from '../fixtures/onnx/paths.js';
import { checkCircuit } from '../fixtures/onnx/soundness.js';
import { cnnModel, lstmModel, miscModel, mlpModel, oneOp, rand } from '../fixtures/onnx/models.js';

const OP_MODELS: Record<string, () => Uint8Array> = {
  'Gemm+Relu': () => oneOp('gemm-relu', [1, 3], [1, 4], (b) => {
    b.node('Gemm', ['x', b.init('w', [4, 3], rand(1, 12)), b.init('c', [4], rand(2, 4, 0.2))], ['g'], { transB: 1 });
    b.node('Relu', ['g'], ['y']);
  }),
  'MatMul+Sigmoid': () => oneOp('sigmoid', [1, 3], [1, 3], (b) => {
    b.node('MatMul', ['x', b.init('w', [3, 3], rand(3, 9, 4))], ['m']); // wide weights: exercises saturation
    b.node('Sigmoid', ['m'], ['y']);
  }),
  Tanh: () => oneOp('tanh', [1, 4], [1, 4], (b) => { b.node('Tanh', ['x'], ['y']); }),
  'Mul (var×var)+Add': () => oneOp('mulvar', [1, 3], [1, 3], (b) => {
    b.node('Mul', ['x', 'x'], ['m']);
    b.node('Add', ['m', 'x'], ['y']);
  }),
  LeakyRelu: () => oneOp('leaky', [1, 4], [1, 4], (b) => { b.node('LeakyRelu', ['x'], ['y'], { alpha: 0.2 }); }),
  'Conv+MaxPool': () => oneOp('convpool', [1, 1, 4, 4], [1, 1, 2, 2], (b) => {
    b.node('Conv', ['x', b.init('w', [1, 1, 2, 2], rand(5, 4))], ['c'], { pads: [0, 0, 1, 1] });
    b.node('MaxPool', ['c'], ['y'], { kernel_shape: [2, 2], strides: [2, 2] });
  }),
  'Conv+Relu+MaxPool (reordered)': () => oneOp('crp', [1, 1, 4, 4], [1, 1, 2, 2], (b) => {
    b.node('Conv', ['x', b.init('w', [1, 1, 3, 3], rand(6, 9))], ['c'], { pads: [1, 1, 1, 1] });
    b.node('Relu', ['c'], ['r']);
    b.node('MaxPool', ['r'], ['y'], { kernel_shape: [2, 2], strides: [2, 2] });
  }),
  'AveragePool+GlobalAveragePool': () => oneOp('avg', [1, 1, 4, 4], [1, 1, 1, 1], (b) => {
    b.node('AveragePool', ['x'], ['a'], { kernel_shape: [2, 2], strides: [2, 2] });
    b.node('GlobalAveragePool', ['a'], ['y']);
  }),
  'Div+Sub+Transpose+Slice+Concat+Gather': () => oneOp('shape', [2, 2], [1, 4], (b) => {
    b.node('Div', ['x', b.init('k', [], [4])], ['d']);
    b.node('Sub', ['d', b.init('z', [2], [0.5, -0.5])], ['s']);
    b.node('Transpose', ['s'], ['t'], { perm: [1, 0] });
    b.node('Slice', ['t', b.initInt64('st', [1], [1]), b.initInt64('en', [1], [2]), b.initInt64('ax', [1], [0])], ['sl']); // [1,2]
    b.node('Gather', ['s', b.initInt64('gi', [1], [0])], ['ga'], { axis: 0 }); // [1,2]
    b.node('Concat', ['sl', 'ga'], ['y'], { axis: 1 });
  }),
  LSTM: () => lstmModel({ steps: 2, input: 2, hidden: 2 }),
  'two inputs: Add+Relu, Concat with a constant': () => {
    const b = new OnnxBuilder('two-inputs');
    b.input('a', [1, 3]);
    b.input('b', [1, 3]);
    b.node('Add', ['a', 'b'], ['s']);
    b.node('Relu', ['s'], ['r']);
    b.node('Concat', ['r', b.init('k', [1, 2], [0.5, -1])], ['y'], { axis: 1 });
    b.output('y', [1, 5]);
    return b.toBytes();
  },
};

const MODELS: Record<string, () => Uint8Array> = {
  'model: MLP': mlpModel,
  'model: CNN': cnnModel,
  'model: misc ops': miscModel,
  'model: stacked LSTM': () => lstmModel({ steps: 2, input: 2, hidden: 3, layers: 2 }),
};

for (const [name, make] of Object.entries({ ...OP_MODELS, ...MODELS })) {
  test(`soundness: ${name}`, async () => { await checkCircuit(name, make()); });
}

test('soundness: the PyTorch-exported LSTM (third-party ONNX, 5 steps × batch 2, hidden 8)', async () => {
  await checkCircuit('burn-pytorch-lstm', readFileSync(BURN_LSTM), { seeds: [11], tampers: 6 });
});
