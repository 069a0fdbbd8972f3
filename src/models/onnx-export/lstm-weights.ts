/**
 * Keras/tfjs LSTM weights → ONNX LSTM W, R, B.
 *
 * tfjs: kernel [inputDim, 4H] and recurrentKernel [H, 4H], gate blocks along the columns in order i, f, c, o;
 * bias [4H] in the same order (one bias, applied once).
 * ONNX: W [1, 4H, inputDim] and R [1, 4H, H], gate blocks along the rows in order i, o, f, c (transposed:
 * row = output unit); B [1, 8H] = Wb (4H) then Rb (4H), added together, so Rb = 0 here.
 */
const ONNX_TO_TF_GATE = [0, 3, 1, 2]; // ONNX gate g (i,o,f,c) ← tfjs gate block (i,f,c,o)

export interface OnnxLstmWeights {
  W: Float32Array; // [1, 4H, inputDim]
  R: Float32Array; // [1, 4H, H]
  B: Float32Array; // [1, 8H]
}

export function lstmWeightsToOnnx(kernel: Float32Array, recurrent: Float32Array, bias: Float32Array | undefined, inputDim: number, hidden: number): OnnxLstmWeights {
  const H = hidden;
  const W = new Float32Array(4 * H * inputDim);
  const R = new Float32Array(4 * H * H);
  const B = new Float32Array(8 * H);
  for (let g = 0; g < 4; g++) {
    const tg = ONNX_TO_TF_GATE[g]!;
    for (let j = 0; j < H; j++) {
      const onnxRow = g * H + j;
      const tfCol = tg * H + j;
      for (let k = 0; k < inputDim; k++) W[onnxRow * inputDim + k] = kernel[k * 4 * H + tfCol]!;
      for (let k = 0; k < H; k++) R[onnxRow * H + k] = recurrent[k * 4 * H + tfCol]!;
      if (bias !== undefined) B[onnxRow] = bias[tfCol]!;
    }
  }
  return { W, R, B };
}
