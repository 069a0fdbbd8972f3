/**
 * Writes test/fixtures/subtensor/contract-transcript.json (docs/chain.md "One Chain contract suite, two
 * backends"): runs the shared Chain contract suite against `SubtensorChain` over a RecordingProvider whose
 * answers come from the scripted subtensor state below, every value SCALE-encoded with the real finney
 * runtime metadata V15 of test/fixtures/subtensor. No live node is involved (none is reachable here): the
 * state changes a write makes (a new uid, stake, an axon, weights) are this script's, not subtensor's.
 *
 *   node --import tsx test/chain/contract-transcript.gen.ts
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createHash } from 'node:crypto';
import { Keyring } from '@polkadot/keyring';
import { Metadata, TypeRegistry } from '@polkadot/types';
import { hexToU8a, u8aToHex } from '@polkadot/util';
import { blake2AsHex, cryptoWaitReady } from '@polkadot/util-crypto';
import { SubtensorChain } from '../../src/chain/subtensor/subtensor.js';
import { SUBTENSOR_SIGNED_EXTENSIONS } from '../../src/chain/subtensor/config.js';
import { RecordingProvider, type Responder } from './replay-provider.js';
import { CONTRACT, contractAccounts, runContract } from './contract-suite.js';
import { readSubtensorFixture } from './contract-fixtures.js';

const NETUID = CONTRACT.replayNetuid;
const CR_NETUID = CONTRACT.replayCrNetuid;

await cryptoWaitReady();
const metaBytes = readSubtensorFixture('metadata-v15.scale.gz', true);
const registry = new TypeRegistry();
const metadata = new Metadata(registry, metaBytes);
registry.setMetadata(metadata, undefined, SUBTENSOR_SIGNED_EXTENSIONS, true);
type StorageKeys = Record<string, Record<string, { key(...a: unknown[]): string }>>;
const hex = (type: string, v: unknown): string => u8aToHex(registry.createType(type, v).toU8a());
const METADATA_HEX = u8aToHex(metaBytes);
const METADATA_OPTION_HEX = hex('Option<Bytes>', METADATA_HEX);
const hashOf = (s: string): string => `0x${createHash('sha256').update(s).digest('hex')}`;

const RPC_METHODS = ['author_submitAndWatchExtrinsic', 'author_unwatchExtrinsic', 'chain_getBlock', 'chain_getBlockHash', 'chain_getFinalizedHead', 'chain_getHeader',
  'chain_subscribeNewHeads', 'chain_unsubscribeNewHeads', 'rpc_methods', 'state_call', 'state_getKeysPaged', 'state_getMetadata', 'state_getRuntimeVersion',
  'state_getStorage', 'state_queryStorageAt', 'state_subscribeStorage', 'state_unsubscribeStorage', 'system_accountNextIndex', 'system_chain', 'system_properties'];

/** A neuron of the scripted subnet. */
interface Neuron { hotkey: string; coldkey: string; stake: bigint; axon?: { ip: bigint; port: number; block: number }; weights: Array<[number, number]>; regBlock: number }
/** The scripted state (subnet NETUID's neurons; subnet CR_NETUID with commit-reveal on), answering as a node would. */
class ScriptedSubtensor implements Responder {
  block = 5_000_000;
  neurons: Neuron[] = [];
  sent: string | undefined;
  /** The adapter's own storage-key builders (set once its API is up; keys are derived from the metadata). */
  query: StorageKeys | undefined;

  constructor() {
    const { cold, validator } = contractAccounts(new Keyring({ type: 'sr25519', ss58Format: 42 }));
    // the subnet already has its owner's validator at uid 0
    this.neurons.push({ hotkey: validator.address, coldkey: cold.address, stake: 1_000_000_000_000n, weights: [], regBlock: 4_990_000 });
  }
  private blockHash(n: number): string { return hashOf(`block ${n}`); }
  private header(n: number): unknown {
    return { parentHash: this.blockHash(n - 1), number: `0x${n.toString(16)}`, stateRoot: hashOf(`state ${n}`), extrinsicsRoot: hashOf(`ext ${n}`), digest: { logs: [] } };
  }
  private runtimeVersion(): unknown {
    // Metadata v2 has metadata_at_version (what polkadot-js then asks for); the other versions are not read by the adapter
    const apis = metadata.asLatest.apis.map((a) => [blake2AsHex(a.name.toString(), 64), a.name.toString() === 'Metadata' ? 2 : 1]);
    return { specName: 'node-subtensor', implName: 'node-subtensor', authoringVersion: 1, specVersion: 343, implVersion: 1, apis, transactionVersion: 1, stateVersion: 1 };
  }
  private neuronsLite(): string {
    return hex('Vec<PalletSubtensorRpcInfoNeuronInfoNeuronInfoLite>', this.neurons.map((n, uid) => ({
      hotkey: n.hotkey, coldkey: n.coldkey, uid, netuid: NETUID, active: true,
      axonInfo: { block: n.axon?.block ?? 0, version: n.axon ? 1_000_000 : 0, ip: n.axon?.ip ?? 0n, port: n.axon?.port ?? 0, ipType: n.axon ? 4 : 0, protocol: n.axon ? 4 : 0 },
      stake: [[n.coldkey, n.stake]], emission: 0, incentive: 0, consensus: 0, trust: 0, validatorTrust: 0, dividends: 0,
      lastUpdate: n.regBlock, validatorPermit: uid === 0, pruningScore: 0,
    })));
  }
  private stateCall(fn: string, args: string): unknown {
    const netuid = args.length >= 6 ? registry.createType('u16', hexToU8a(args)).toNumber() : -1;
    switch (fn) {
      case 'Metadata_metadata_versions': return hex('Vec<u32>', [14, 15]);
      case 'Metadata_metadata_at_version': return METADATA_OPTION_HEX;
      case 'NeuronInfoRuntimeApi_get_neurons_lite': return this.neuronsLite();
      case 'SubnetInfoRuntimeApi_get_metagraph': return netuid === NETUID
        ? hex('Option<PalletSubtensorRpcInfoMetagraph>', { netuid, hotkeys: this.neurons.map((n) => n.hotkey), alphaStake: this.neurons.map((n) => n.stake), taoStake: this.neurons.map(() => 0), totalStake: this.neurons.map((n) => n.stake) })
        : '0x00';
      case 'SubnetInfoRuntimeApi_get_subnet_hyperparams_v2': return netuid === NETUID || netuid === CR_NETUID
        ? hex('Option<PalletSubtensorRpcInfoSubnetInfoSubnetHyperparamsV2>', { tempo: 360, kappa: 32767, immunityPeriod: 5000, minAllowedWeights: 1, maxWeightsLimit: 65535, activityCutoff: 5000, weightsVersion: 0, weightsRateLimit: 100, maxValidators: 64, registrationAllowed: true, commitRevealWeightsEnabled: netuid === CR_NETUID, commitRevealPeriod: 1, bondsMovingAvg: 900000, servingRateLimit: 50, maxRegsPerBlock: 1, yumaVersion: 2 })
        : '0x00';
      default: throw new Error(`scripted subtensor: no runtime API ${fn}`);
    }
  }
  /** Every storage value the adapter reads, keyed as the runtime keys them. */
  private storage(): Map<string, string> {
    const st = new Map<string, string>();
    const put = (pallet: string, item: string, args: unknown[], type: string, value: unknown) => st.set(this.query![pallet]![item]!.key(...args), hex(type, value));
    for (const netuid of [NETUID, CR_NETUID]) {
      put('subtensorModule', 'maxAllowedUids', [netuid], 'u16', 256);
      put('subtensorModule', 'burn', [netuid], 'u64', 1_000_000_000n);
      put('subtensorModule', 'commitRevealWeightsEnabled', [netuid], 'bool', netuid === CR_NETUID);
    }
    put('subtensorModule', 'commitRevealWeightsVersion', [], 'u16', 4);
    this.neurons.forEach((n, uid) => {
      put('subtensorModule', 'uids', [NETUID, n.hotkey], 'u16', uid);
      put('subtensorModule', 'blockAtRegistration', [NETUID, uid], 'u64', n.regBlock);
      if (n.weights.length) put('subtensorModule', 'weights', [NETUID, uid], 'Vec<(u16,u16)>', n.weights);
    });
    for (const who of new Set(this.neurons.flatMap((n) => [n.hotkey, n.coldkey]))) {
      put('system', 'account', [who], 'FrameSystemAccountInfo', { nonce: this.nonce.get(who) ?? 0, providers: 1, data: { free: 1_000_000_000_000n } });
    }
    return st;
  }

  answer(method: string, params: unknown[]): unknown {
    switch (method) {
      case 'rpc_methods': return { methods: RPC_METHODS };
      case 'system_accountNextIndex': return this.nonce.get(String(params[0])) ?? 0;
      case 'chain_getBlock': {
        const n = this.numberOf(String(params[0]));
        return { block: { header: this.header(n), extrinsics: this.included.get(n) ?? [] }, justifications: null };
      }
      case 'author_submitAndWatchExtrinsic': return this.include(String(params[0]));
      case 'system_chain': return 'Bittensor';
      case 'system_properties': return { ss58Format: 42, tokenDecimals: 9, tokenSymbol: 'TAO' };
      case 'system_name': return 'Subtensor Node';
      case 'system_version': return '4.0.0-dev';
      case 'chain_getBlockHash': return this.blockHash(params[0] === undefined || params[0] === null ? this.block : Number(params[0]));
      case 'chain_getFinalizedHead': return this.blockHash(this.block);
      case 'chain_getHeader': return this.header(params[0] ? this.numberOf(String(params[0])) : this.block);
      case 'state_getRuntimeVersion': case 'chain_subscribeRuntimeVersion': case 'state_subscribeRuntimeVersion': return this.runtimeVersion();
      case 'state_getMetadata': return METADATA_HEX;
      case 'state_getStorage': case 'state_getStorageAt': return this.storage().get(String(params[0])) ?? null;
      case 'state_queryStorageAt': {
        const st = this.storage();
        return [{ block: this.blockHash(this.block), changes: (params[0] as string[]).map((k) => [k, st.get(k) ?? null]) }];
      }
      case 'state_subscribeStorage': case 'chain_subscribeNewHeads': return 'sub-2';
      case 'state_getKeysPaged': {
        const [prefix, count, start] = params as [string, number, string | undefined];
        return [...this.storage().keys()].filter((k) => k.startsWith(prefix) && (!start || k > start)).sort().slice(0, count);
      }
      case 'state_call': return this.stateCall(String(params[0]), String(params[1]));
      default: throw new Error(`scripted subtensor: no answer for ${method} ${JSON.stringify(params).slice(0, 200)}`);
    }
  }
  private numberOf(hash: string): number {
    for (let n = this.block + 5; n > this.block - 1000; n--) if (this.blockHash(n) === hash) return n;
    throw new Error(`unknown block hash ${hash}`);
  }
  notifications(method: string, params: unknown[]): unknown[] {
    if (method === 'author_submitAndWatchExtrinsic') return ['ready', { inBlock: this.blockHash(this.block) }];
    if (method === 'state_subscribeStorage') return [this.answer('state_queryStorageAt', params)].flat();
    return [];
  }

  readonly nonce = new Map<string, number>();
  readonly commits: string[] = [];
  /** Extrinsics (hex) included in each scripted block. */
  readonly included = new Map<number, string[]>();

  /** Take a signed extrinsic into a new block and apply its call to the scripted state. */
  private include(xtHex: string): string {
    const xt = registry.createType('Extrinsic', xtHex);
    const signer = xt.signer.toString();
    this.nonce.set(signer, (this.nonce.get(signer) ?? 0) + 1);
    this.block += 1;
    this.sent = xtHex;
    this.included.set(this.block, [xtHex]);
    const { section, method } = registry.findMetaCall(xt.callIndex);
    const a = xt.method.args.map((x) => x.toJSON()) as unknown[];
    const uidOf = (hotkey: string) => this.neurons.findIndex((n) => n.hotkey === hotkey);
    switch (`${section}.${method}`) {
      case 'subtensorModule.burnedRegister': this.neurons.push({ hotkey: String(a[1]), coldkey: signer, stake: 0n, weights: [], regBlock: this.block }); break;
      case 'subtensorModule.addStake': this.neurons[uidOf(String(a[0]))]!.stake += BigInt(String(a[2])) * 9n / 10n; break; // τ in, α out at a scripted price
      case 'subtensorModule.removeStake': this.neurons[uidOf(String(a[0]))]!.stake -= BigInt(String(a[2])); break;
      case 'subtensorModule.serveAxon': this.neurons[uidOf(signer)]!.axon = { ip: BigInt(String(a[2])), port: Number(a[3]), block: this.block }; break;
      case 'subtensorModule.setWeights': {
        const uids = a[1] as number[]; const w = a[2] as number[]; const max = Math.max(...w);
        this.neurons[uidOf(signer)]!.weights = uids.map((u, i) => [u, Math.round((w[i]! * 65535) / max)]);
        break;
      }
      case 'subtensorModule.commitTimelockedMechanismWeights': this.commits.push(xtHex); break; // revealed later by the chain: not scripted
      default: throw new Error(`scripted subtensor: no call ${section}.${method}`);
    }
    return 'sub-1';
  }
  scrub(v: unknown): unknown {
    if (v === METADATA_HEX) return '$METADATA';
    if (v === METADATA_OPTION_HEX) return '$METADATA_OPTION';
    if (this.sent === undefined) return v;
    return JSON.parse(JSON.stringify(v).split(this.sent).join('$EXTRINSIC'));
  }
}

const node = new ScriptedSubtensor();
const provider = new RecordingProvider(node);
const chain = await SubtensorChain.fromProvider(provider, { stakeNetuid: NETUID });
node.query = chain.api.query as unknown as StorageKeys;
await runContract(chain, { netuid: NETUID, crNetuid: CONTRACT.replayCrNetuid, advance: async () => { node.block += 1; } }, new Keyring({ type: 'sr25519', ss58Format: 42 }));
await chain.close();
const out = fileURLToPath(new URL('../fixtures/subtensor/contract-transcript.json', import.meta.url));
writeFileSync(out, `${JSON.stringify({ provenance: 'see test/fixtures/subtensor/README.md (contract-transcript.json)', exchanges: provider.exchanges }, null, 1)}\n`);
console.log(`wrote ${provider.exchanges.length} exchanges to ${out}`);
