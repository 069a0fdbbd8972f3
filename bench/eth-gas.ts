// npm run bench:eth-gas — gas of the vault and attestor operations on a local anvil (cancun, optimizer on).
//
// Gas is deterministic for a given state, so each operation runs for several users and the table shows the
// median gas and its ratio to a baseline measured in the same run: a plain ERC-20 `transfer` for the vault
// operations, and a direct call of the bare snarkjs verifier (deployed only for this baseline: the attestor verifies
// with the registered key itself; same proof, explicit gas) for `attest`.
// Attestation uses the tiny test circuit (4 public signals, recipient included); add a real model with
//   --circuit DIR --proof PROOF.json   (a zkinfer artifacts dir and a proof from `zkinfer prove`)
import { readFileSync } from 'node:fs';
import { parseUnits, type Abi, type Address } from 'viem';
import { depositVaultAbi, devTokenAbi, erc20Abi } from '../src/eth/abi-index.js';
import { attestProof, parseAttestProof, toSolidityProof, type AttestProof } from '../src/eth/attest.js';
import { ensureCircuitRegistered } from '../src/eth/circuit.js';
import type { EthClients } from '../src/eth/clients.js';
import { deployDevStack } from '../src/eth/deploy.js';
import { compileVerifier, deployVerifier } from '../src/eth/verifier.js';
import { sendTx } from '../src/eth/tx.js';
import { claim, deposit, restake, withdraw } from '../src/eth/vault.js';
import { releaseSnarkjsCurve } from '../src/zkml/prove/curve.js';
import { proveTiny, tinyCircuit, tinyVerifierSource } from '../test/eth/helpers/tiny-circuit.js';
import { startTestChain } from '../test/eth/helpers/chain.js';
import { exportSolidityVerifier } from '../src/zkml/format/solidity.js';

const USERS = 5;
const median = (xs: bigint[]) => [...xs].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))[xs.length >> 1]!;
function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

const rows: Array<{ op: string; gas: bigint; base: string; baseGas: bigint }> = [];
async function gasOf(c: EthClients, hash: `0x${string}`) {
  return (await c.publicClient.getTransactionReceipt({ hash })).gasUsed;
}

async function main() {
  const chain = await startTestChain(USERS + 1);
  try {
    const owner = chain.owner;
    const users = chain.users.slice(0, USERS);
    const cm = chain.users[USERS]!;
    const d = await deployDevStack(owner, { claimManager: cm.account.address });
    const weth = d.tokens.wETH!.address;
    const steth = d.tokens.stETH!.address;
    const one = parseUnits('1', 18);
    const g: Record<string, bigint[]> = {};
    const add = (k: string, v: bigint) => (g[k] ??= []).push(v);
    for (const u of users) {
      for (const t of [weth, steth]) await sendTx(owner, { address: t, abi: devTokenAbi, functionName: 'mint', args: [u.account.address, 100n * one] });
      add('erc20 transfer (baseline)', (await sendTx(u, { address: weth, abi: erc20Abi, functionName: 'transfer', args: [owner.account.address, one] })).receipt.gasUsed);
      for (const t of [weth, steth]) await sendTx(u, { address: t, abi: erc20Abi, functionName: 'approve', args: [d.vault, 2n ** 255n] });
      add('vault deposit (first, new position)', await gasOf(u, (await deposit(u, d.vault, weth, 10n * one)).hash));
      await chain.test.increaseTime({ seconds: 3600 });
      add('vault deposit (top-up, points checkpoint)', await gasOf(u, (await deposit(u, d.vault, weth, 5n * one)).hash));
      add('vault withdraw (partial)', await gasOf(u, await withdraw(u, d.vault, weth, 2n * one)));
      await deposit(u, d.vault, steth, 10n * one);
      add('vault restake (stETH → ezETH)', await gasOf(u, (await restake(u, d.vault, steth, 4n * one)).hash));
    }
    const ts = (await owner.publicClient.getBlock()).timestamp + 3700n; // the dev vault's notice is 1 hour
    await sendTx(owner, { address: d.vault, abi: depositVaultAbi, functionName: 'setDepositStopTime', args: [ts] });
    await chain.test.setNextBlockTimestamp({ timestamp: ts + 1n });
    await chain.test.mine({ blocks: 1 });
    for (const u of users) add('vault claim (claim manager)', await gasOf(cm, await claim(cm, d.vault, u.account.address, weth, one)));
    const base = median(g['erc20 transfer (baseline)']!);
    for (const [op, xs] of Object.entries(g)) rows.push({ op, gas: median(xs), base: 'erc20 transfer', baseGas: base });

    // ── attestation ──
    const tiny = await tinyCircuit();
    await ensureCircuitRegistered(owner, d.attestor, { circuitId: tiny.circuitId, nOutputs: 1, vkJson: await writeTmp(JSON.stringify(tiny.vk)) });
    const tinyVerifier = await deployVerifier(owner, await tinyVerifierSource(tiny));
    const proofs: AttestProof[] = [];
    for (let i = 0; i < USERS; i++) proofs.push(await proveTiny(tiny, BigInt(i + 2), BigInt(3 * i + 1), BigInt(chain.users[i]!.account.address)));
    await attestCase('attest tiny circuit (4 public signals)', chain.users, d.attestor, tinyVerifier.address, proofs, tinyVerifierAbi(await tinyVerifierSource(tiny)));

    const dir = arg('circuit');
    const proofPath = arg('proof');
    if (dir && proofPath) {
      const proof = parseAttestProof(JSON.parse(readFileSync(proofPath, 'utf8')), proofPath);
      const r = await ensureCircuitRegistered(owner, d.attestor, { dir });
      const source = (await exportSolidityVerifier(dir)).source;
      const v = await deployVerifier(owner, source);
      await attestCase(`attest ${dir} (${r.nPublic} public signals)`, chain.users, d.attestor, v.address, [proof], tinyVerifierAbi(source));
    }
  } finally {
    await chain.stop();
    await releaseSnarkjsCurve();
  }
  const w = Math.max(...rows.map((r) => r.op.length));
  console.log(`${'operation'.padEnd(w)}  ${'median gas'.padStart(10)}  ${'baseline'.padEnd(26)} ${'ratio'.padStart(6)}`);
  for (const r of rows) console.log(`${r.op.padEnd(w)}  ${String(r.gas).padStart(10)}  ${`${r.base} ${r.baseGas}`.padEnd(26)} ${(Number(r.gas) / Number(r.baseGas)).toFixed(2).padStart(6)}`);
}

function tinyVerifierAbi(source: string): Abi {
  return compileVerifier(source).abi as Abi;
}

async function writeTmp(text: string): Promise<string> {
  const { mkdtempSync, writeFileSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const { join } = await import('node:path');
  const p = join(mkdtempSync(join(tmpdir(), 'zkinfer-eth-gas-')), 'vk.json');
  writeFileSync(p, text);
  return p;
}

/** Median gas of attest (estimated gas) vs a direct verifyProof transaction on the same proofs (explicit gas). */
async function attestCase(op: string, users: EthClients[], attestor: Address, verifier: Address, proofs: AttestProof[], vAbi: Abi) {
  const direct: bigint[] = [];
  const att: bigint[] = [];
  for (let i = 0; i < proofs.length; i++) {
    const u = users[i % users.length]!;
    const p = proofs[i]!;
    const { a, b, c } = toSolidityProof(p.proof);
    const signals = p.public_signals.map(BigInt);
    const hash = await u.walletClient.writeContract({ address: verifier, abi: vAbi, functionName: 'verifyProof', args: [a, b, c, signals], gas: 2_000_000n + 20_000n * BigInt(signals.length) } as never);
    direct.push((await u.publicClient.waitForTransactionReceipt({ hash })).gasUsed);
    att.push((await attestProof(u, attestor, p)).gasUsed);
  }
  rows.push({ op, gas: median(att), base: 'bare verifyProof tx', baseGas: median(direct) });
}

await main();
