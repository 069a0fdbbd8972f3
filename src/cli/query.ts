import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { InvalidInputError, ZkinferError } from '../errors/base.js';
import type { ZkinferClient, LocalVerification } from '../client/index.js';
import type { InferenceView } from '../api/wire.js';
import { CIRCUIT_ID_RE } from '../zkml/format/circuit-id.js';
import { printable, printableJson } from '../client/printable.js';
import { parseIntFlag, validatorUrlFlag } from './flag-values.js';

interface QueryFlags {
  validator: string;
  model?: string;
  circuit?: string;
  input: string;
  apiKey?: string;
  wallet?: string;
  hotkey?: string;
  walletPath?: string;
  timeout: string;
  poll?: boolean;
  verify: boolean;
  json?: boolean;
  circuitId?: string;
  circuitDir?: string;
}

/** `zkinfer query` — send an input to a validator's API, wait for the proof, verify it locally. */
export function registerQuery(program: Command): void {
  program
    .command('query')
    .description("send an inference to a validator's external API, wait for the proof and verify it locally (snarkjs)")
    .requiredOption('--validator <url>', 'validator API base URL, e.g. http://127.0.0.1:8600')
    .option('--model <name>', 'model name, e.g. staking-lstm')
    .option('--circuit <id>', 'circuit id (instead of --model)')
    .requiredOption('--input <file>', 'JSON file with the input object ("-" for stdin)')
    .option('--api-key <key>', 'API key (env ZKINFER_API_KEY)')
    .option('--wallet <name>', 'sign with this wallet\'s hotkey (sr25519; env BT_WALLET_NAME)')
    .option('--hotkey <name>', 'hotkey name of --wallet (env BT_WALLET_HOTKEY)')
    .option('--wallet-path <dir>', 'wallets directory (env BT_WALLET_PATH)')
    .option('--timeout <seconds>', 'give up waiting after this long', '300')
    .option('--poll', 'poll for the result instead of streaming progress (SSE)')
    .option('--no-verify', 'skip local verification of the proof')
    .option('--circuit-id <hex>', 'pin verification to this circuit id (sha256 of the vk you trust)')
    .option('--circuit-dir <dir>', 'pin verification to a local circuit artifacts directory (its vk and layout, not the server\'s)')
    .option('--json', 'print the whole inference (and verification) as JSON')
    .action(async (f: QueryFlags) => {
      if ((f.model === undefined) === (f.circuit === undefined)) {
        throw new InvalidInputError('give exactly one of --model or --circuit', { hint: 'zkinfer query --validator URL --model staking-lstm --input input.json' });
      }
      const url = validatorUrlFlag(f.validator);
      // whole seconds up to a day: 1e400 or 0.0001 made setTimeout throw, and past 2^31 ms it fired at once
      const timeoutS = parseIntFlag(f.timeout, '--timeout', 1, 86_400);
      let text: string;
      try {
        text = f.input === '-' ? await readStdin() : await readFile(f.input, 'utf8');
      } catch (cause) {
        throw new InvalidInputError(`cannot read --input ${f.input}`, { hint: 'pass a JSON file with the model input', cause });
      }
      let input: unknown;
      try {
        input = JSON.parse(text.replace(/^\uFEFF/, '')); // a UTF-8 byte-order mark is not JSON
      } catch (cause) {
        throw new InvalidInputError(`--input ${f.input} is not valid JSON`, { hint: 'GET /v1/circuits on the validator shows the input JSON Schema', cause });
      }
      const apiKey = f.apiKey ?? process.env['ZKINFER_API_KEY'];
      let signer;
      const { ZkinferClient } = await import('../client/index.js');
      if (!apiKey && (f.wallet || process.env['BT_WALLET_NAME'])) {
        const [{ ensureCrypto }, { resolveWalletRef, Wallet }] = await Promise.all([import('../protocol/signing.js'), import('../protocol/wallet/wallet.js')]);
        await ensureCrypto();
        signer = new Wallet(resolveWalletRef({ ...(f.wallet ? { name: f.wallet } : {}), ...(f.hotkey ? { hotkey: f.hotkey } : {}), ...(f.walletPath ? { path: f.walletPath } : {}) })).hotkeyPair();
      }
      // --timeout bounds every request (submit, the final GET, circuit and vk), not only the wait (docs/api.md)
      const client = new ZkinferClient({ url, timeoutMs: timeoutS * 1000, ...(apiKey ? { apiKey } : {}), ...(signer ? { signer } : {}) });
      const sub = await client.submit({ ...(f.model ? { model: f.model } : { circuitId: f.circuit! }), input }, { timeoutMs: timeoutS * 1000 });
      const log = (s: string): void => {
        if (!f.json) console.error(s);
      };
      // every server-supplied string is printed through printable(): no control characters or ESC sequences (docs/security.md)
      log(`submitted ${printable(sub.id)} (circuit ${printable(sub.circuit_id.slice(0, 16))}…)`);
      const inf = await client.wait(sub.id, {
        timeoutMs: timeoutS * 1000,
        mode: f.poll ? 'poll' : 'sse',
        onProgress: (e) => log(`  ${isoOr(e.at)} ${e.status}${e.miner_uid !== undefined ? ` (miner uid ${e.miner_uid})` : ''}`),
      });
      // snarkjs keeps a worker pool for its curve; release it so the command exits once done.
      const { releaseSnarkjsCurve } = await import('../zkml/prove/curve.js');
      const verification = inf.status === 'verified' && f.verify ? await verifyOwn(client, inf, input, f).finally(releaseSnarkjsCurve) : undefined;
      if (f.json) {
        console.log(printableJson(JSON.stringify({ inference: inf, ...(verification ? { verification } : {}) }, null, 2)));
      } else if (inf.status === 'verified') {
        console.log(`output: ${printable(JSON.stringify(inf.output))}`);
        if (inf.summary) console.log(printable(inf.summary));
        console.log(`miner uid ${inf.miner_uid ?? '?'}, ${inf.timings.total_ms ?? '?'} ms end-to-end`);
        if (verification) {
          console.log(verification.valid ? `proof verified locally ✓ (${verifiedWhat(verification)})` : `proof did NOT verify locally: ${printable(verification.problems.join('; '))}`);
          for (const u of verification.unchecked) console.log(`  ! not checked: ${printable(u)}`);
        }
      }
      if (inf.status !== 'verified') throw new ZkinferError('INFERENCE_FAILED', `inference ${printable(inf.id)} failed: ${printable(inf.error ?? 'unknown error')}`, { hint: 'retry; the validator tries several miners before failing a request' });
      if (verification && !verification.valid) process.exitCode = 3;
    });
}

/** Verify against the caller's own input file and the circuit the caller pinned (docs/security.md). */
async function verifyOwn(client: ZkinferClient, inf: InferenceView, input: unknown, f: QueryFlags): Promise<LocalVerification> {
  const { localCircuit, zooTensorsOf } = await import('../client/local-circuit.js');
  const { resolveCircuitDir } = await import('../circuit-ref.js');
  const local = f.circuitDir ? await localCircuit(resolveCircuitDir(f.circuitDir)) : undefined;
  const pin = f.circuitId ?? (f.circuit && CIRCUIT_ID_RE.test(f.circuit) ? f.circuit : undefined);
  if (pin !== undefined && !CIRCUIT_ID_RE.test(pin)) throw new InvalidInputError(`--circuit-id must be 64 lowercase hex digits, got "${pin}"`, { hint: 'copy it from metadata.json ("id") or `zkinfer compile` output' });
  const circuit = local?.circuit ?? (await client.circuit(inf.circuit_id));
  const tensors = await zooTensorsOf(circuit, input);
  return client.verify(inf, { input, ...(tensors ? { tensors } : {}), ...(pin ? { circuitId: pin } : {}), ...(local ? { vk: local.vk, circuit: local.circuit } : {}) });
}

/** A server timestamp as ISO text, or the number when it is no date (a RangeError from toISOString is no way to fail). */
function isoOr(at: number): string {
  const d = new Date(at);
  return Number.isNaN(d.getTime()) ? String(at) : d.toISOString();
}

function verifiedWhat(v: LocalVerification): string {
  return ['vk hash', v.checks.circuitPinned ? 'pinned circuit' : undefined, 'Groth16', v.checks.inputsBound ? 'your inputs' : undefined, 'output'].filter(Boolean).join(', ');
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
