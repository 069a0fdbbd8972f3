/**
 * The subtensor adapter on REAL recorded finney node answers (issue #18 item 5; docs/chain.md "A recorded
 * finney transcript"): JSON-RPC answers a live subtensor gave the bittensor SDK, extracted verbatim by
 * test/fixtures/subtensor/extract-recorded.py into recorded-finney.json.gz, replayed through
 * `RecordedProvider` into `SubtensorChain`. Expected values are read off the recorded bytes here by hand
 * (offsets in the raw SCALE), not by the adapter's decoder.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { encodeAddress } from '@polkadot/util-crypto';
import { SubtensorChain } from '../../src/chain/subtensor/subtensor.js';
import { neuronLiteFromCodec } from '../../src/chain/subtensor/codec.js';
import { metadataSubstitutions, readSubtensorFixture } from './contract-fixtures.js';
import { RecordedProvider, ReplayProvider, type Exchange, type Transcript } from './replay-provider.js';

interface Recording { origin: Record<string, unknown>; groups: Record<string, Exchange[]> }
const recording = JSON.parse(readSubtensorFixture('recorded-finney.json.gz', true).toString('utf8')) as Recording;
const meta = readSubtensorFixture('metadata-v15.scale.gz', true);

/** What @polkadot/api asks while connecting (not in the recording): the contract transcript's opening exchanges. */
function bootstrap(): ReplayProvider {
  const scripted = JSON.parse(readSubtensorFixture('contract-transcript.json').toString('utf8')) as Transcript;
  const first = scripted.exchanges.findIndex((e) => e.method === 'chain_getHeader');
  const exchanges: Exchange[] = scripted.exchanges.slice(0, first);
  return new ReplayProvider({ provenance: 'bootstrap', exchanges }, () => '', metadataSubstitutions(meta));
}

/** `SubtensorChain` on one recorded group (its head is the block the SDK read at). */
async function onGroup(name: string): Promise<{ chain: SubtensorChain; provider: RecordedProvider; group: Exchange[] }> {
  const group = recording.groups[name]!;
  const head = String(group.find((e) => e.method === 'chain_getHead')!.result);
  const provider = new RecordedProvider(head, group, bootstrap());
  return { chain: await SubtensorChain.fromProvider(provider), provider, group };
}

const raw = (group: Exchange[], method: string, prefix = ''): string =>
  String(group.find((e) => e.method === method && String(e.params[0]).startsWith(prefix))!.result).replace(/^0x/, '');

test('recording origin is recorded with the fixture', () => {
  assert.equal(recording.origin['repo'], 'opentensor/bittensor');
  assert.match(String(recording.origin['commit']), /^[0-9a-f]{40}$/);
});

test('recorded: currentBlock decodes the node\'s header (0x6384b6 = 6 522 038)', async () => {
  const { chain, provider } = await onGroup('get_current_block');
  try {
    assert.equal(await chain.currentBlock(), 6_522_038);
    assert.ok(provider.asked.some((k) => k.startsWith('chain_getHeader')));
  } finally { await chain.close(); }
});

test('recorded: uidOf derives the recorded Uids(23, hotkey) key and decodes Some(5)', async () => {
  const { chain, provider, group } = await onGroup('get_uid_for_hotkey_on_subnet');
  try {
    const key = String(group.find((e) => e.method === 'state_getStorageAt')!.params[0]);
    // Uids: twox128("SubtensorModule") twox128("Uids") netuid u16 LE, blake2_128(hotkey) ‖ hotkey
    assert.equal(key.slice(66, 70), '1700');
    const hotkey = encodeAddress(`0x${key.slice(-64)}`, 42);
    assert.equal(await chain.uidOf(23, hotkey), 5);
    assert.ok(provider.asked.some((k) => k.includes(key)), 'the adapter asked for exactly the recorded key');
    // another hotkey is not in the recording: the read fails instead of inventing an answer
    await assert.rejects(chain.uidOf(23, encodeAddress(new Uint8Array(32).fill(7), 42)), /no \(further\) answer/);
  } finally { await chain.close(); }
});

test('recorded: balance decodes System.Account free = 7 450 117 072 rao', async () => {
  const { chain, group } = await onGroup('get_balance');
  try {
    const key = String(group.find((e) => e.method === 'state_getStorageAt')!.params[0]);
    const value = raw(group, 'state_getStorageAt');
    // AccountInfo: nonce, consumers, providers, sufficients (u32 each), then free (subtensor's Balance: u64 LE), reserved
    assert.equal(value.length, 112);
    assert.equal(BigInt(`0x${Buffer.from(value.slice(32, 48), 'hex').reverse().toString('hex')}`), 7_450_117_072n);
    assert.equal(await chain.balance(encodeAddress(`0x${key.slice(-64)}`, 42)), 7_450_117_072n);
  } finally { await chain.close(); }
});

test('recorded: weights(23, 10) reads the recorded Weights row [(10, 65535)]', async () => {
  const { chain } = await onGroup('weights');
  try {
    assert.deepEqual(await chain.weights(23, 10), [[10, 65535]]);
  } finally { await chain.close(); }
});

test('recorded: NeuronInfoRuntimeApi.get_neurons_lite(1) at block 6 852 690 (spec 343 = our metadata) decodes 1 024 neurons', async () => {
  const { chain, group } = await onGroup('metagraph');
  try {
    const version = group.find((e) => e.method === 'state_getRuntimeVersion')!.result as { specVersion: number };
    assert.equal(version.specVersion, 343);
    // the metadata's own System.Version constant: the stored metadata is the recorded runtime's
    assert.equal((chain.api.consts['system']!['version'] as unknown as { specVersion: { toNumber(): number } }).specVersion.toNumber(), 343);
    const hex = raw(group, 'state_call', 'NeuronInfoRuntimeApi_get_neurons_lite');
    const neurons = ((await chain.api.call['neuronInfoRuntimeApi']!['getNeuronsLite']!(1)) as unknown as unknown[]).map(neuronLiteFromCodec);
    // Vec compact length 0x0110 → (0x1001 >> 2) = 1024; neuron 0: hotkey, coldkey (32 bytes each), uid 0, netuid 1
    assert.equal(hex.slice(0, 4), '0110');
    assert.equal(neurons.length, 1024);
    assert.equal(neurons[0]!.hotkey, encodeAddress(`0x${hex.slice(4, 68)}`, 42));
    assert.equal(neurons[0]!.coldkey, encodeAddress(`0x${hex.slice(68, 132)}`, 42));
    assert.equal(neurons[0]!.uid, 0);
    // then uid 0x00, netuid 0x04 (compact 1), active 0x00, AxonInfo { block u64 = 0x645722, version u32, ip u128,
    // port u16, ip_type, protocol, 2 placeholders }, PrometheusInfo (31 bytes), stake Vec [(coldkey, Compact<u64>
    // 0x03 5c5a6b98 = 0x986b5a5c)]
    assert.equal(neurons[0]!.active, false);
    assert.deepEqual([neurons[0]!.axon.block, neurons[0]!.axon.version, neurons[0]!.axon.port], [6_575_906n, 9_011_001, 6028]);
    assert.equal(hex.slice(4 + 2 * (64 + 3 + 34 + 31), 4 + 2 * (64 + 3 + 34 + 31 + 1 + 32 + 5)), `04${hex.slice(68, 132)}035c5a6b98`);
    assert.deepEqual(neurons[0]!.stake, [[neurons[0]!.coldkey, 0x986b5a5cn]]);
    assert.deepEqual([...new Set(neurons.map((n) => n.netuid))], [1]);
    assert.deepEqual(neurons.map((n) => n.uid), Array.from({ length: 1024 }, (_, i) => i));
  } finally { await chain.close(); }
});

test('recorded (spec 320): currentBlock 0x63fe87 = 6 553 223, and LastUpdate(1) decodes 1 024 blocks with the stored metadata', async () => {
  const { chain, group } = await onGroup('blocks_since_last_update');
  try {
    assert.equal(await chain.currentBlock(), 6_553_223);
    // not a Chain method (the metagraph reads last_update from NeuronInfoLite): a check of the stored metadata's
    // LastUpdate key and type on the adapter's own connection against the recorded Vec<u64>
    const value = raw(group, 'state_getStorageAt', '0x658faa385070e074c85bf6b568cf0555696e262a');
    const u64At = (i: number): number => Number(`0x${Buffer.from(value.slice(4 + 16 * i, 20 + 16 * i), 'hex').reverse().toString('hex')}`);
    const last = ((await chain.api.query['subtensorModule']!['lastUpdate']!(1)) as unknown as Array<{ toNumber(): number }>).map((x) => x.toNumber());
    assert.equal(last.length, 1024);
    assert.deepEqual(last.slice(0, 3), [2_543_521, 2_541_467, 3_013_814]);
    assert.deepEqual(last.slice(0, 3), [0, 1, 2].map(u64At));
    assert.equal(last[1023], u64At(1023));
  } finally { await chain.close(); }
});
