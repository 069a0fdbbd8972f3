/**
 * Dynamic-TAO stake (docs/chain.md "Dynamic TAO"): alpha, root TAO and total stake as subtensor's
 * `SubnetInfoRuntimeApi.get_metagraph` reports them, decoded through the real runtime type of the finney
 * metadata V15 in test/fixtures/subtensor (SCALE bytes encoded and decoded by that type), applied to the
 * metagraph built from the recorded get_neurons_lite answer; the devnet's emulation; the CLI table's units.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { Metadata, TypeRegistry } from '@polkadot/types';
import { cryptoWaitReady } from '@polkadot/util-crypto';
import { Devnet } from '../../src/chain/devnet/devnet.js';
import { metagraphFromWire, metagraphToWire } from '../../src/chain/rpc/schemas.js';
import { SUBTENSOR_SIGNED_EXTENSIONS } from '../../src/chain/subtensor/config.js';
import { metagraphFromNeurons, neuronLiteFromCodec, withRuntimeStake } from '../../src/chain/subtensor/codec.js';
import { formatMetagraph } from '../../src/cli/chain.js';
import { stakedValidator } from './devnet-fixtures.js';

await cryptoWaitReady();

function readFixture(name: string): Buffer {
  for (const u of [new URL(`../fixtures/subtensor/${name}`, import.meta.url), new URL(`../../../test/fixtures/subtensor/${name}`, import.meta.url)]) {
    try { return readFileSync(fileURLToPath(u)); } catch { /* next */ }
  }
  throw new Error(`fixture test/fixtures/subtensor/${name} not found`);
}

const registry = new TypeRegistry();
const metadata = new Metadata(registry, gunzipSync(readFixture('metadata-v15.scale.gz')));
registry.setMetadata(metadata, undefined, SUBTENSOR_SIGNED_EXTENSIONS, true);

test('subtensor: get_metagraph stake vectors (real runtime type, SCALE round trip) become stake = total, alpha, root τ', () => {
  const raw = readFixture('neurons-lite-netuid1.hex').toString('utf8').trim();
  const neurons = registry.createType('Vec<PalletSubtensorRpcInfoNeuronInfoNeuronInfoLite>', raw).map(neuronLiteFromCodec);
  const base = metagraphFromNeurons(1, 6852690, neurons);
  assert.deepEqual(base.alphaStake, base.stake); // neurons-lite alone: alpha only
  assert.deepEqual(base.taoStake, [0n, 0n, 0n]);
  // a get_metagraph answer as the runtime encodes it (Vec<Compact<u64>> by uid)
  const alpha = [2_557_172_316n, 41_000_000_000_000n, 5n];
  const tao = [0n, 1_000_000_000_000n, 0n];
  const total = alpha.map((a, i) => a + (tao[i]! * 18n) / 100n); // tao_weight 0.18
  const encoded = registry.createType('Option<PalletSubtensorRpcInfoMetagraph>', { netuid: 1, hotkeys: base.hotkeys, alphaStake: alpha, taoStake: tao, totalStake: total }).toU8a();
  const decoded = registry.createType('Option<PalletSubtensorRpcInfoMetagraph>', encoded);
  assert.ok(decoded.isSome);
  const m = withRuntimeStake(base, decoded.unwrap().toJSON() as Record<string, unknown>);
  assert.deepEqual(m.alphaStake, alpha);
  assert.deepEqual(m.taoStake, tao);
  assert.deepEqual(m.stake, total);
  assert.equal(m.stake[1], 41_180_000_000_000n);
  // vectors that do not cover every uid are ignored
  assert.deepEqual(withRuntimeStake(base, { alphaStake: [1], taoStake: [0], totalStake: [1] }).stake, base.stake);
  assert.deepEqual(withRuntimeStake(base, undefined), base);
});

test('devnet: alpha stake = the hotkey stake, no root τ, across the JSON-RPC wire; the CLI table shows τ/α units', async () => {
  const dev = await Devnet.open({ fast: true });
  try {
    const { validator } = await stakedValidator(dev, { netuid: 1, coldUri: '//DtaoCold', validatorUri: '//DtaoCold//v', faucetTao: 100, stakeTao: 12.5 });
    const m = metagraphFromWire(metagraphToWire(await dev.metagraph(1)));
    const i = m.hotkeys.indexOf(validator.address);
    assert.equal(m.alphaStake[i], 12_500_000_000n);
    assert.equal(m.stake[i], m.alphaStake[i]);
    assert.equal(m.taoStake[i], 0n);
    assert.ok(m.validatorPermit[i]);
    const table = formatMetagraph({ ...m, stake: [41_180_000_000_000n], alphaStake: [41_000_000_000_000n], taoStake: [1_000_000_000_000n] }, 'α');
    assert.match(table.split('\n')[1]!, /STAKE\(α\)\s+ALPHA\(α\)\s+ROOT\(τ\)\s+VPERMIT/);
    assert.match(table.split('\n')[2]!, /41180\.0000\s+41000\.0000\s+1000\.0000\s+yes/);
  } finally {
    await dev.close();
  }
});
