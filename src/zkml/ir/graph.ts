import type { Tensor } from './tensor.js';

export type AttrValue = number | string | number[] | string[] | Tensor;

/** One operator of the graph IR: an ONNX op with its attributes decoded to plain values. */
export interface IRNode {
  name: string;
  op: string;
  /** Input tensor names; '' marks an absent optional input. */
  inputs: string[];
  outputs: string[];
  attrs: Record<string, AttrValue>;
}

export interface IRValueInfo {
  name: string;
  shape: number[];
  /** Element kind of a graph input ('float' when absent): bool/int inputs are fed to onnxruntime with their own type. */
  elemType?: 'float' | 'int' | 'bool';
  /** The ONNX element type (TensorProto.DataType) of an integer or double graph input, so onnxruntime gets its own type. */
  onnxType?: number;
}

/**
 * The graph IR: static shapes everywhere, constants folded (initializers, Constant nodes and every node whose
 * inputs are all constant), nodes in topological order. Only nodes that depend on a graph input remain.
 */
export interface GraphIR {
  /** Model name (file base name or graph name), used in error messages. */
  name: string;
  inputs: IRValueInfo[];
  outputs: IRValueInfo[];
  nodes: IRNode[];
  constants: Map<string, Tensor>;
  /** Static shape of every non-constant tensor. */
  shapes: Map<string, number[]>;
  opset: number;
}
