import { toField } from '../fixed-point.js';
import { loadNativeAddon } from '../prove/native/addon.js';
import { WTNS_HEAD, putWtnsHead, wtnsBytes } from '../r1cs/write.js';
import { WitnessTapeError } from './errors.js';
import type { TapeHeader } from './tape-format.js';
import { TapeRejected, runTapeJs, tapeSections, type ParsedTape } from './tape-run.js';

const I128 = 1n << 127n;
const HUGE_FROM = 256 * 1024;

/** Which interpreter runs a tape: the addon's when it is built (and has one), else JS; `js` forces JS. */
export type TapeEngine = 'auto' | 'js';

/** A checked tape (readTapeHeader) ready to run; its JS sections are read on first JS use. */
export class WitnessTape {
  private sections: ParsedTape | undefined;
  constructor(readonly bytes: Uint8Array, readonly header: TapeHeader) {}

  /**
   * The witness of `inputs` (signed integers, as the emulator takes them) as .wtns bytes, or `rejected` when the circuit
   * rejects the input (the caller runs the emulator's walk for the typed error that names the gadget).
   */
  wtns(inputs: readonly bigint[], recipient: bigint, engine: TapeEngine = 'auto'): Uint8Array | 'rejected' {
    const rec = toField(recipient);
    const addon = engine === 'auto' ? loadNativeAddon() : null;
    const native = addon?.witnessTape;
    if (native && inputs.every((x) => x >= -I128 && x < I128)) {
      const ins = Buffer.alloc(inputs.length * 16);
      inputs.forEach((x, i) => { ins.writeBigUInt64LE(BigInt.asUintN(64, x), 16 * i); ins.writeBigInt64LE(BigInt.asIntN(64, x >> 64n), 16 * i + 8); });
      const r32 = Buffer.alloc(32);
      for (let k = 0; k < 4; k++) r32.writeBigUInt64LE((rec >> BigInt(64 * k)) & 0xffffffffffffffffn, 8 * k);
      const bytes = WTNS_HEAD + this.header.nFinal * 32;
      // from 256 kB, in huge pages (the addon's hugeBuffer): written once, each fresh 4 KB page costs a fault
      const out = bytes >= HUGE_FROM && addon.hugeBuffer ? Buffer.from(addon.hugeBuffer(bytes)) : Buffer.alloc(bytes);
      putWtnsHead(out, this.header.nFinal);
      const r = native(this.bytes, ins, r32, out.subarray(WTNS_HEAD));
      if (r === null) return out;
      if (r.status === 'rejected') return 'rejected';
      if (r.status === 'malformed') throw new WitnessTapeError(r.message);
      // overflow: a value left the native interpreter's 128-bit integers; the JS interpreter is exact
    }
    this.sections ??= tapeSections(this.bytes, this.header);
    try {
      return wtnsBytes(runTapeJs(this.sections, inputs, rec));
    } catch (e) {
      if (e instanceof TapeRejected) return 'rejected';
      throw e;
    }
  }
}
