import { ZkinferError, type ZkinferErrorOptions } from '../errors/base.js';

/** Solidity sources failed to compile. */
export class SolidityCompileError extends ZkinferError {
  override readonly name = 'SolidityCompileError';
  constructor(message: string, opts: ZkinferErrorOptions = {}) {
    super('SOLIDITY_COMPILE', message, opts);
  }
}

/** The local anvil node could not be found or started. */
export class AnvilError extends ZkinferError {
  override readonly name = 'AnvilError';
  constructor(message: string, opts: ZkinferErrorOptions = {}) {
    super('ANVIL', message, opts);
  }
}

/** A deployment file is missing, malformed, or for another chain. */
export class DeploymentError extends ZkinferError {
  override readonly name = 'DeploymentError';
  constructor(message: string, opts: ZkinferErrorOptions = {}) {
    super('ETH_DEPLOYMENT', message, opts);
  }
}

/** An on-chain call or transaction reverted; `errorName` is the contract's custom error when decoded. */
export class EthTransactionError extends ZkinferError {
  override readonly name = 'EthTransactionError';
  readonly errorName: string | undefined;
  constructor(message: string, errorName: string | undefined, opts: ZkinferErrorOptions = {}) {
    super('ETH_TX', message, opts);
    this.errorName = errorName;
  }
}

/** No signing key was supplied, or it is malformed. */
export class EthKeyError extends ZkinferError {
  override readonly name = 'EthKeyError';
  constructor(message: string, opts: ZkinferErrorOptions = {}) {
    super('ETH_KEY', message, opts);
  }
}
