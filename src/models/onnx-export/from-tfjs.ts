import type * as tfTypes from '@tensorflow/tfjs';
import { ZkinferError } from '../../errors/base.js';
import { OnnxBuilder } from '../../zkml/onnx/write.js';
import { lstmWeightsToOnnx } from './lstm-weights.js';

/** The tfjs model uses a layer or setting the exporter (or the zkML engine) does not support. */
export class UnsupportedLayerError extends ZkinferError {
  override readonly name = 'UnsupportedLayerError';
  constructor(layer: string, why: string) {
    super('UNSUPPORTED_LAYER', `cannot export layer "${layer}" to ONNX: ${why}`, {
      hint: 'use LSTM (sigmoid recurrent activation, last output only), Dense, Conv2D (stride 1, same/valid), MaxPooling2D / AveragePooling2D, Flatten, or an activation layer of relu/sigmoid/tanh/linear',
    });
  }
}

export interface ExportOptions {
  /** Graph name stored in the ONNX file. */
  name: string;
  inputName?: string;
  outputName?: string;
}

/** A node waiting to be written (so the last one's output can be given the graph output name). */
interface PendingNode {
  op: string;
  inputs: string[];
  outputs: string[];
  attrs?: Record<string, number | string | number[]>;
}

export interface ExportedModel {
  bytes: Uint8Array;
  inputName: string;
  outputName: string;
  /** ONNX input shape: [seq, 1, features] for recurrent models, [1, C, H, W] for images, [1, features] otherwise. */
  inputShape: number[];
  outputShape: number[];
}

/** The shape being carried between layers, in ONNX terms. */
type State =
  | { kind: 'seq'; steps: number; features: number } // [steps, 1, features]
  | { kind: 'image'; c: number; h: number; w: number } // [1, C, H, W]
  | { kind: 'flat'; n: number; tfOrder?: Int32Array }; // [1, n]; tfOrder[onnxIndex] = tf (NHWC-flatten) index

/**
 * Export a tfjs sequential model of supported layers to ONNX with standard ops: LSTM, Gemm, Conv, MaxPool,
 * AveragePool, Flatten, Reshape, Relu, Sigmoid, Tanh. Batch size is fixed at 1 (what a circuit proves).
 */
export function exportSequentialToOnnx(model: tfTypes.LayersModel, opts: ExportOptions): ExportedModel {
  const b = new OnnxBuilder(opts.name);
  const nodes: PendingNode[] = [];
  const inputName = opts.inputName ?? 'input';
  const outputName = opts.outputName ?? 'output';
  const g = {
    float: (prefix: string, dims: number[], data: ArrayLike<number>): string => b.init(b.fresh(prefix), dims, data),
    int64: (prefix: string, values: number[]): string => b.initInt64(b.fresh(prefix), [values.length], values),
    fresh: (prefix: string): string => b.fresh(prefix),
    node: (op: string, inputs: string[], attrs?: PendingNode['attrs'], outputs?: string[]): string => {
      const outs = outputs ?? [b.fresh(op.toLowerCase())];
      nodes.push({ op, inputs, outputs: outs, ...(attrs === undefined ? {} : { attrs }) });
      return outs[0]!;
    },
  };
  const inShape = model.inputs[0]!.shape.slice(1) as number[];
  let state: State;
  let inputShape: number[];
  if (inShape.length === 2) {
    state = { kind: 'seq', steps: inShape[0]!, features: inShape[1]! };
    inputShape = [inShape[0]!, 1, inShape[1]!];
  } else if (inShape.length === 3) {
    state = { kind: 'image', h: inShape[0]!, w: inShape[1]!, c: inShape[2]! };
    inputShape = [1, inShape[2]!, inShape[0]!, inShape[1]!];
  } else if (inShape.length === 1) {
    state = { kind: 'flat', n: inShape[0]! };
    inputShape = [1, inShape[0]!];
  } else {
    throw new UnsupportedLayerError('input', `input rank ${inShape.length + 1} is not supported`);
  }
  let cur = inputName;

  const activation = (layerName: string, act: string | undefined): void => {
    switch (act ?? 'linear') {
      case 'linear':
        return;
      case 'relu':
        cur = g.node('Relu', [cur]);
        return;
      case 'sigmoid':
        cur = g.node('Sigmoid', [cur]);
        return;
      case 'tanh':
        cur = g.node('Tanh', [cur]);
        return;
      default:
        throw new UnsupportedLayerError(layerName, `activation "${act}"`);
    }
  };

  for (const layer of model.layers) {
    const cls = layer.getClassName();
    const cfg = layer.getConfig() as Record<string, unknown>;
    const w = layer.getWeights().map((t) => t.dataSync() as Float32Array);
    switch (cls) {
      case 'InputLayer':
        break;
      case 'LSTM': {
        if (state.kind !== 'seq') throw new UnsupportedLayerError(layer.name, 'LSTM needs a [steps, features] input');
        if (cfg['returnSequences'] === true || cfg['goBackwards'] === true || cfg['stateful'] === true) {
          throw new UnsupportedLayerError(layer.name, 'only forward, stateless LSTMs returning the last output are supported');
        }
        if (cfg['recurrentActivation'] !== 'sigmoid' || cfg['activation'] !== 'tanh') {
          throw new UnsupportedLayerError(layer.name, 'use activation "tanh" and recurrentActivation "sigmoid" (tfjs defaults to hardSigmoid, which ONNX LSTM does not use by default)');
        }
        const H = cfg['units'] as number;
        const { W, R, B } = lstmWeightsToOnnx(w[0]!, w[1]!, cfg['useBias'] === false ? undefined : w[2], state.features, H);
        const yh = g.fresh('lstm_Y_h');
        g.node(
          'LSTM',
          [cur, g.float('lstm_W', [1, 4 * H, state.features], W), g.float('lstm_R', [1, 4 * H, H], R), g.float('lstm_B', [1, 8 * H], B)],
          { hidden_size: H, direction: 'forward' },
          [g.fresh('lstm_Y'), yh],
        );
        cur = g.node('Reshape', [yh, g.int64('shape', [1, H])]);
        state = { kind: 'flat', n: H };
        break;
      }
      case 'Dense': {
        if (state.kind !== 'flat') throw new UnsupportedLayerError(layer.name, 'Dense must follow a flat tensor (add Flatten)');
        const units = cfg['units'] as number;
        const kernel = w[0]!; // [in, units]
        const n = state.n;
        const order = state.tfOrder;
        const Wt = new Float32Array(units * n); // Gemm B with transB=1: [units, in]
        for (let o = 0; o < units; o++) for (let i = 0; i < n; i++) Wt[o * n + i] = kernel[(order ? order[i]! : i) * units + o]!;
        const inputs = [cur, g.float('gemm_W', [units, n], Wt)];
        if (cfg['useBias'] !== false) inputs.push(g.float('gemm_B', [units], w[1]!));
        cur = g.node('Gemm', inputs, { transB: 1 });
        state = { kind: 'flat', n: units };
        activation(layer.name, cfg['activation'] as string);
        break;
      }
      case 'Activation':
        activation(layer.name, cfg['activation'] as string);
        break;
      case 'Conv2D': {
        if (state.kind !== 'image') throw new UnsupportedLayerError(layer.name, 'Conv2D needs an image input');
        const [kh, kw] = cfg['kernelSize'] as number[];
        const strides = cfg['strides'] as number[];
        const dil = cfg['dilationRate'] as number[] | number;
        if (strides.some((s) => s !== 1)) throw new UnsupportedLayerError(layer.name, 'only stride 1 (pool to downsample)');
        if ((Array.isArray(dil) ? dil : [dil]).some((d) => d !== 1)) throw new UnsupportedLayerError(layer.name, 'dilation');
        if (cfg['dataFormat'] !== 'channelsLast') throw new UnsupportedLayerError(layer.name, 'dataFormat must be channelsLast');
        const same = cfg['padding'] === 'same';
        if (same && (kh! % 2 === 0 || kw! % 2 === 0)) throw new UnsupportedLayerError(layer.name, '"same" padding needs odd kernel sizes');
        const filters = cfg['filters'] as number;
        const cin = state.c;
        const kernel = w[0]!; // tf [kh, kw, cin, filters]
        const K = new Float32Array(filters * cin * kh! * kw!); // ONNX [filters, cin, kh, kw]
        for (let f = 0; f < filters; f++)
          for (let c = 0; c < cin; c++)
            for (let y = 0; y < kh!; y++)
              for (let x = 0; x < kw!; x++) K[((f * cin + c) * kh! + y) * kw! + x] = kernel[((y * kw! + x) * cin + c) * filters + f]!;
        const ph = same ? (kh! - 1) / 2 : 0;
        const pw = same ? (kw! - 1) / 2 : 0;
        const inputs = [cur, g.float('conv_W', [filters, cin, kh!, kw!], K)];
        if (cfg['useBias'] !== false) inputs.push(g.float('conv_B', [filters], w[1]!));
        cur = g.node('Conv', inputs, { kernel_shape: [kh!, kw!], pads: [ph, pw, ph, pw], strides: [1, 1] });
        state = { kind: 'image', c: filters, h: same ? state.h : state.h - kh! + 1, w: same ? state.w : state.w - kw! + 1 };
        activation(layer.name, cfg['activation'] as string);
        break;
      }
      case 'MaxPooling2D':
      case 'AveragePooling2D': {
        if (state.kind !== 'image') throw new UnsupportedLayerError(layer.name, 'pooling needs an image input');
        if (cfg['padding'] !== 'valid') throw new UnsupportedLayerError(layer.name, 'only "valid" padding');
        const [ph, pw] = cfg['poolSize'] as number[];
        const [sh, sw] = (cfg['strides'] as number[] | null) ?? [ph!, pw!];
        cur = g.node(cls === 'MaxPooling2D' ? 'MaxPool' : 'AveragePool', [cur], { kernel_shape: [ph!, pw!], strides: [sh!, sw!] });
        state = { kind: 'image', c: state.c, h: Math.floor((state.h - ph!) / sh!) + 1, w: Math.floor((state.w - pw!) / sw!) + 1 };
        break;
      }
      case 'Flatten': {
        if (state.kind === 'flat') break;
        if (state.kind !== 'image') throw new UnsupportedLayerError(layer.name, 'Flatten after an LSTM');
        const { c, h, w: wd } = state;
        const tfOrder = new Int32Array(c * h * wd);
        for (let ci = 0; ci < c; ci++) for (let y = 0; y < h; y++) for (let x = 0; x < wd; x++) tfOrder[(ci * h + y) * wd + x] = (y * wd + x) * c + ci;
        cur = g.node('Flatten', [cur], { axis: 1 });
        state = { kind: 'flat', n: c * h * wd, tfOrder };
        break;
      }
      default:
        throw new UnsupportedLayerError(layer.name, `layer type ${cls}`);
    }
  }
  if (state.kind !== 'flat') throw new UnsupportedLayerError('output', 'the model must end in a flat [1, n] tensor (Dense)');
  // Name the final tensor: the last node writes the graph output.
  const last = nodes[nodes.length - 1];
  if (last === undefined) throw new UnsupportedLayerError('model', 'it has no layers');
  last.outputs[0] = outputName;
  b.input(inputName, inputShape);
  for (const n of nodes) b.node(n.op, n.inputs, n.outputs, n.attrs ?? {});
  b.output(outputName, [1, state.n]);
  return { bytes: b.toBytes(), inputName, outputName, inputShape, outputShape: [1, state.n] };
}
