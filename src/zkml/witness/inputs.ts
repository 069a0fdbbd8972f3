import * as z from '../../zod-mini.js';
import type { CircuitMetadata } from '../format/metadata.js';
import { circuitInputSignals, encodeInputFields } from '../format/layout.js';
import { checkInputRange } from '../quantize/input-range.js';
import { WitnessInputError } from './errors.js';

/** EZKL-style input file: one flat array of floats per model input, in metadata.inputs order. */
export const InputDataSchema = z.object({
  input_data: z.array(z.array(z.number())),
});
export type InputData = z.infer<typeof InputDataSchema>;

/** Parse an untrusted input JSON value with a clear error. */
export function parseInputData(json: unknown): InputData {
  const r = InputDataSchema.safeParse(json);
  if (!r.success) {
    throw new WitnessInputError('INPUT_FORMAT', `input is not {"input_data": [[...numbers], ...]}: ${r.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ')}`, {
      hint: 'give one flat array of numbers per model input, e.g. {"input_data": [[0.1, -0.5, 2]]}',
    });
  }
  return r.data;
}

export interface QuantizedInputs {
  /** Circom input object: signal name → field elements (decimal strings), flattened row-major. */
  signals: Record<string, string[]>;
  /** Per input tensor (metadata.inputs order): field elements as they appear in the public signals. */
  fields: string[][];
}

/** What input quantization reads from metadata.json (publicLayout: whether the circuit has a `recipient`). */
export type RecipientMetadata = Pick<CircuitMetadata, 'inputs' | 'name' | 'publicLayout'>;

/**
 * The `recipient` public input (docs/eth.md "Recipient binding"): 0 for network traffic, an Ethereum address
 * (as a 160-bit integer) for on-chain attestations.
 */
export function recipientField(recipient: bigint): bigint {
  if (recipient < 0n || recipient >= 1n << 160n) {
    throw new WitnessInputError('INPUT_FORMAT', `recipient must be an Ethereum address (0 ≤ r < 2^160), got ${recipient}`, { hint: 'pass --recipient 0x… with 40 hex digits, or omit it for 0' });
  }
  return recipient;
}

/** Parse a `--recipient` argument: an Ethereum address `0x` + 40 hex digits (any case), or 0. */
export function parseRecipient(text: string): bigint {
  if (text === '0') return 0n;
  if (!/^0x[0-9a-fA-F]{40}$/.test(text)) {
    throw new WitnessInputError('INPUT_FORMAT', `recipient must be an Ethereum address 0x + 40 hex digits, got "${text}"`, { hint: 'e.g. --recipient 0x70997970C51812dc3A010C7d01b50e0d17dc79C8 (the account that will attest the proof)' });
  }
  return BigInt(text);
}

/**
 * Turn EZKL-style input data into the circuit's fixed-point field elements. Count, length, finiteness and
 * the in-circuit range (|round(v·2^scaleBits)| < 2^rangeBits) are checked first by the compiler's
 * checkInputRange, so a bad input gets a clear InputRangeError instead of a failed witness.
 */
export function quantizeInputs(metadata: RecipientMetadata, data: InputData, recipient: bigint = 0n): QuantizedInputs {
  checkInputRange(metadata, data.input_data);
  const fields = encodeInputFields(metadata, data.input_data);
  // every graph input goes to its place in the main component's input signal (docs/security.md: layout)
  return { signals: circuitInputSignals(metadata, fields, recipientField(recipient)), fields };
}
