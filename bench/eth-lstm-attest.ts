// npm run bench:eth-lstm — the staking LSTM end to end onto Ethereum: compile (cached) → prove a prediction →
// deploy the dev stack on a local anvil → register the circuit's verification key (the attestor verifies proofs
// itself) → attest each proof on chain → read the record back and decode the on-chain output to days. A tampered
// proof must be refused. Prints per-run gas of `attest` (median) against a bare call of the exported snarkjs
// verifier on the same proof (baseline, same run; deployed only for that).
// Options: --runs 3 (calibration inputs proven and attested)
import { join } from 'node:path';
import { type Abi } from 'viem';
import { inferenceAttestorAbi } from '../src/eth/abi-index.js';
import { attestProof, parseAttestProof, readAttestation, toSolidityProof } from '../src/eth/attest.js';
import { ensureCircuitRegistered } from '../src/eth/circuit.js';
import { deployDevStack } from '../src/eth/deploy.js';
import { EthTransactionError } from '../src/eth/errors.js';
import { compileVerifier, deployVerifier } from '../src/eth/verifier.js';
import { readModelCard } from '../src/models/card.js';
import { compileZooModel } from '../src/models/compiled.js';
import { shippedModelDir } from '../src/models/paths.js';
import { encodeRequest, predict, readJsonFile } from '../src/models/predict.js';
import { getZooModel } from '../src/models/zoo.js';
import { exportSolidityVerifier } from '../src/zkml/format/solidity.js';
import { closeDefaultPools, prove, releaseSnarkjsCurve } from '../src/zkml/prove/index.js';
import { decodeOutputs } from '../src/zkml/format/layout.js';
import { startTestChain } from '../test/eth/helpers/chain.js';

const i = process.argv.indexOf('--runs');
const RUNS = i >= 0 ? Number(process.argv[i + 1]) : 3;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;

async function main() {
  const name = 'staking-lstm';
  const model = getZooModel(name);
  const mdir = shippedModelDir(name);
  const card = readModelCard(mdir);
  let t = performance.now();
  const compiled = await compileZooModel(name);
  const compileMs = performance.now() - t;
  const md = compiled.metadata;
  console.log(`${name}: ${md.constraints} constraints, ${md.publicLayout.total} public signals, circuit ${md.id} (${md.security}${compiled.cached ? ', cached' : ''}, ${(compileMs / 1000).toFixed(1)} s)`);

  const inputs: number[][] = [encodeRequest(model, card, readJsonFile(join(mdir, 'example-input.json')), 'example')];
  // calibration.json: {input_data: [all samples of the one input tensor, concatenated]}
  const flat = (readJsonFile(join(mdir, 'calibration.json')) as { input_data: number[][] }).input_data[0]!;
  const n = inputs[0]!.length;
  for (let k = 0; inputs.length < RUNS && (k + 1) * n <= flat.length; k++) inputs.push(flat.slice(k * n, (k + 1) * n));

  const chain = await startTestChain(2);
  try {
    const d = await deployDevStack(chain.owner);
    t = performance.now();
    const reg = await ensureCircuitRegistered(chain.owner, d.attestor, { dir: compiled.dir });
    const [regEv] = await chain.owner.publicClient.getContractEvents({ address: d.attestor, abi: inferenceAttestorAbi, eventName: 'CircuitRegistered', fromBlock: 0n });
    const regGas = regEv ? (await chain.owner.publicClient.getTransactionReceipt({ hash: regEv.transactionHash })).gasUsed : 0n;
    console.log(`circuit registered in ${((performance.now() - t) / 1000).toFixed(1)} s, key stored at ${reg.vkData}; registerCircuit gas ${regGas} (circuit id recomputed on chain, key stored)`);
    const source = (await exportSolidityVerifier(compiled.dir)).source;
    const vAbi = compileVerifier(source).abi as Abi;
    const bare = (await deployVerifier(chain.owner, source)).address; // the baseline only
    const user = chain.users[0]!;
    const proveMs: number[] = [];
    const gasAttest: number[] = [];
    const gasBare: number[] = [];
    let firstSignals: string[] | undefined;
    for (const [k, input] of inputs.entries()) {
      t = performance.now();
      const pf = await prove(compiled.dir, { input_data: [input] }, { recipient: BigInt(user.account.address) });
      proveMs.push(performance.now() - t);
      const proof = parseAttestProof(JSON.parse(JSON.stringify(pf)));
      if (k === 0) {
        const bad = { ...proof, public_signals: proof.public_signals.map((s, j) => (j === 0 ? (BigInt(s) + 1n).toString() : s)) };
        const refused = await attestProof(user, d.attestor, bad).then(() => false, (e) => e instanceof EthTransactionError && e.errorName === 'InvalidProof');
        if (!refused) throw new Error('a tampered staking-LSTM proof was not refused');
        console.log('tampered proof (output + 1) refused on chain: InvalidProof');
      }
      const packed = md.publicLayout.packed;
      if (k === 1 && packed && firstSignals) {
        // this proof (input #1) presented with input #0's packed words: a statement about other inputs is refused
        const words = firstSignals.slice(packed.offset, packed.offset + packed.words);
        const swapped = { ...proof, public_signals: proof.public_signals.map((s, j) => (j >= packed.offset && j < packed.offset + packed.words ? words[j - packed.offset]! : s)) };
        const refused = await attestProof(user, d.attestor, swapped).then(() => false, (e) => e instanceof EthTransactionError && e.errorName === 'InvalidProof');
        if (!refused) throw new Error('a proof for input #1 was accepted with the packed words of input #0');
        console.log(`proof for input #1 with input #0's packed words (${packed.words} words) refused on chain: InvalidProof`);
      }
      firstSignals ??= proof.public_signals;
      const { a, b, c } = toSolidityProof(proof.proof);
      const signals = proof.public_signals.map(BigInt);
      const h = await user.walletClient.writeContract({ address: bare, abi: vAbi, functionName: 'verifyProof', args: [a, b, c, signals], gas: 2_000_000n + 20_000n * BigInt(signals.length) } as never);
      gasBare.push(Number((await user.publicClient.waitForTransactionReceipt({ hash: h })).gasUsed));
      const r = await attestProof(user, d.attestor, proof);
      gasAttest.push(Number(r.gasUsed));
      const rec = await readAttestation(user, d.attestor, r.id);
      const onChain = decodeOutputs(md, [...rec.outputs.map(String), ...proof.public_signals.slice(rec.outputs.length)]);
      const float = await predict(model, mdir, input);
      const proven = model.describe(onChain[0]!, card);
      console.log(`#${r.id} block ${rec.blockNumber}: on-chain output → ${proven.summary}  |  float model: ${float.summary}`);
    }
    console.log('');
    console.log(`${'measure'.padEnd(34)}${'median'.padStart(12)}  ${'baseline (same run)'.padEnd(34)}${'median'.padStart(12)}${'ratio'.padStart(8)}`);
    const mg = median(gasAttest);
    const mb = median(gasBare);
    console.log(`${'attest gas (verify + record)'.padEnd(34)}${String(mg).padStart(12)}  ${'bare verifyProof tx gas'.padEnd(34)}${String(mb).padStart(12)}${(mg / mb).toFixed(2).padStart(8)}`);
    console.log(`${'prove ms (snarkjs/native auto)'.padEnd(34)}${median(proveMs).toFixed(0).padStart(12)}  ${`runs: ${inputs.length}`.padEnd(34)}`);
  } finally {
    await chain.stop();
    await closeDefaultPools();
    await releaseSnarkjsCurve();
  }
}

await main();
