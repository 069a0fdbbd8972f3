// Minimal typings for the untyped snarkjs-family packages zkinfer uses (only what is called).
declare module 'snarkjs' {
  export type MemFile = { type: 'mem'; data?: Uint8Array };
  export type FileRef = string | MemFile | Uint8Array;
  export const groth16: {
    prove(zkey: FileRef, wtns: FileRef, logger?: unknown, options?: unknown): Promise<{ proof: any; publicSignals: string[] }>;
    verify(vk: unknown, publicSignals: unknown[], proof: unknown, logger?: unknown): Promise<boolean>;
    fullProve(input: unknown, wasm: FileRef, zkey: FileRef, logger?: unknown): Promise<{ proof: any; publicSignals: string[] }>;
    exportSolidityCallData(proof: unknown, pub: unknown[]): Promise<string>;
  };
  export const zKey: {
    newZKey(r1cs: FileRef, ptau: FileRef, zkey: FileRef, logger?: unknown): Promise<unknown>;
    contribute(oldZkey: FileRef, newZkey: FileRef, name: string, entropy: string, logger?: unknown): Promise<unknown>;
    verifyFromR1cs(r1cs: FileRef, ptau: FileRef, zkey: FileRef, logger?: unknown): Promise<boolean>;
    verifyFromInit(init: FileRef, ptau: FileRef, zkey: FileRef, logger?: unknown): Promise<boolean>;
    exportVerificationKey(zkey: FileRef, logger?: unknown): Promise<Record<string, unknown>>;
    exportSolidityVerifier(zkey: FileRef, templates: Record<string, string>, logger?: unknown): Promise<string>;
  };
  export const powersOfTau: {
    newAccumulator(curve: unknown, power: number, file: FileRef, logger?: unknown): Promise<unknown>;
    contribute(oldPtau: FileRef, newPtau: FileRef, name: string, entropy: string, logger?: unknown): Promise<unknown>;
    preparePhase2(oldPtau: FileRef, newPtau: FileRef, logger?: unknown): Promise<unknown>;
  };
  export const wtns: {
    calculate(input: unknown, wasm: FileRef, wtns: FileRef, options?: unknown): Promise<void>;
    check(r1cs: FileRef, wtns: FileRef, logger?: unknown): Promise<boolean>;
    exportJson(wtns: FileRef): Promise<bigint[]>;
  };
  export const curves: {
    getCurveFromName(name: string, singleThread?: boolean): Promise<any>;
  };
}

declare module 'ffjavascript' {
  export function buildBn128(singleThread?: boolean): Promise<any>;
  export const Scalar: any;
  export const utils: any;
  export const ChaCha: new (seed: number[]) => any;
  export class BigBuffer {
    constructor(size: number);
    byteLength: number;
    set(buff: Uint8Array, offset: number): void;
    slice(from: number, to: number): Uint8Array;
  }
}

declare module 'circom_runtime' {
  export interface WitnessCalculator {
    circom_version(): number;
    calculateWTNSBin(input: Record<string, unknown>, sanityCheck?: boolean): Promise<Uint8Array>;
    calculateWitness(input: Record<string, unknown>, sanityCheck?: boolean): Promise<bigint[]>;
  }
  export function WitnessCalculatorBuilder(wasm: Uint8Array, options?: unknown): Promise<WitnessCalculator>;
}
