import { erc20Abi, parseAbi } from 'viem';

export * from './abi.js';
export { erc20Abi };
/** ERC-20 metadata reads (symbol, decimals) for tokens we did not deploy. */
export const erc20MetadataAbi = parseAbi([
  'function symbol() view returns (string)',
  'function decimals() view returns (uint8)',
  'function name() view returns (string)',
]);
