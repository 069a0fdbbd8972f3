/**
 * zkinfer client SDK (`import { ZkinferClient } from 'zkinfer/client'`): submit inferences to a validator,
 * wait for the proof (SSE or polling), and verify it locally with snarkjs — in Node ≥ 20 and in browsers.
 */
export { ZkinferClient, tensorsOf, type ClientOptions, type SubmitParams, type WaitOptions } from './client.js';
export { verifyInference, circuitIdOfVk, formatOfCircuitView, type LocalVerification, type VerifyInferenceOptions } from './verify.js';
export type { VerifyOptions } from './client.js';
export { inputChecker, checkInputText, fieldPath, type InputIssue } from './input-check.js';
export { signedHeaders, type RequestSigner } from './sign.js';
export { readSse, type SseEvent } from './sse.js';
export { historySince, mergeHistory, type NetworkHistoryPoints } from './network-history.js';
export { ApiRequestError, WaitTimeoutError, ProtocolError, RequestTimeoutError, ValidatorUnreachableError } from './errors.js';
export type { CircuitView, InferenceView, ProgressEventView, SubmitResponse, NetworkViewWire } from '../api/wire.js';
