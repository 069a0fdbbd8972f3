import { ZkinferError, type ZkinferErrorOptions } from '../errors/base.js';

/** A wire-protocol failure carrying the HTTP status the axon answers with (Bittensor's axon semantics). */
export class ProtocolError extends ZkinferError {
  override readonly name: string = 'ProtocolError';
  readonly status: number;
  constructor(status: number, code: string, message: string, opts: ZkinferErrorOptions = {}) {
    super(code, message, opts);
    this.status = status;
  }
}

/** 404: the path names no synapse this axon serves. */
export class UnknownSynapseError extends ProtocolError {
  override readonly name = 'UnknownSynapseError';
  constructor(name: string, available: string[]) {
    super(404, 'UNKNOWN_SYNAPSE', `Synapse name '${name}' not found. Available synapses ${JSON.stringify(available)}`, {
      hint: 'POST to /<SynapseName> with one of the available names',
    });
  }
}

/** 400: headers or body cannot be parsed into the synapse. */
export class SynapseParsingError extends ProtocolError {
  override readonly name = 'SynapseParsingError';
  constructor(message: string, opts: ZkinferErrorOptions = {}) {
    super(400, 'SYNAPSE_PARSING', message, opts);
  }
}

/** 403: caller refused by the blacklist (unregistered, no validator permit, low stake). */
export class BlacklistedError extends ProtocolError {
  override readonly name = 'BlacklistedError';
  constructor(reason: string) {
    super(403, 'BLACKLISTED', `Forbidden. Key is blacklisted: ${reason}.`, { hint: 'register the hotkey, obtain a validator permit and enough stake' });
  }
}

/** 401: missing/bad signature or stale/replayed nonce. */
export class NotVerifiedError extends ProtocolError {
  override readonly name = 'NotVerifiedError';
  constructor(reason: string) {
    super(401, 'NOT_VERIFIED', `Not Verified with error: ${reason}`, { hint: 'sign requests with the dendrite hotkey and a fresh time_ns nonce' });
  }
}

/** 503 (queue full) or 408 (waited past the timeout) from the priority stage. */
export class PriorityError extends ProtocolError {
  override readonly name = 'PriorityError';
  constructor(status: 503 | 408, message: string) {
    super(status, status === 503 ? 'OVERLOADED' : 'PRIORITY_TIMEOUT', message, { hint: 'retry later or with a longer timeout' });
  }
}
