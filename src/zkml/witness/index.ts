export { WitnessInputError } from './errors.js';
export { InputDataSchema, parseInputData, quantizeInputs, type InputData, type QuantizedInputs } from './inputs.js';
export { WitnessEngine } from './calculate.js';
