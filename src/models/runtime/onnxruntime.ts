import { ModelFilesError } from '../errors.js';

type Ort = typeof import('onnxruntime-node');
let ortPromise: Promise<Ort> | undefined;

/** onnxruntime-node, loaded lazily (native addon). */
export function loadOrt(): Promise<Ort> {
  ortPromise ??= import('onnxruntime-node');
  return ortPromise;
}

/** A float model with one input and one output, run by onnxruntime-node (the float reference). */
export class OnnxRunner {
  private constructor(
    private readonly session: import('onnxruntime-node').InferenceSession,
    readonly inputName: string,
    readonly outputName: string,
    private readonly ort: Ort,
  ) {}

  /** Open an ONNX file (path) or bytes. */
  static async open(model: string | Uint8Array): Promise<OnnxRunner> {
    const ort = await loadOrt();
    let session: import('onnxruntime-node').InferenceSession;
    try {
      session = typeof model === 'string' ? await ort.InferenceSession.create(model) : await ort.InferenceSession.create(model);
    } catch (err) {
      throw new ModelFilesError(`onnxruntime cannot load ${typeof model === 'string' ? model : 'the model'}: ${(err as Error).message}`, 'check that the file is a valid ONNX model (re-run `zkinfer train`)', err);
    }
    return new OnnxRunner(session, session.inputNames[0]!, session.outputNames[0]!, ort);
  }

  /** Run one input (row-major values with `shape`); returns the flat output. */
  async run(values: ArrayLike<number>, shape: number[]): Promise<Float32Array> {
    const input = new this.ort.Tensor('float32', Float32Array.from(values), shape);
    const out = await this.session.run({ [this.inputName]: input });
    return out[this.outputName]!.data as Float32Array;
  }

  async close(): Promise<void> {
    await this.session.release();
  }
}
