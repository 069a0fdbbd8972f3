// Witness tape interpreter (docs/zkml-compile.md "Witness tape"). The JS interpreter (src/zkml/witness/tape-run.ts)
// has the same semantics on BigInts; test/zkml/witness-tape.test.ts checks both against the emulator's walk.
#include "witness.hpp"

#include <cstring>
#include <new>

#include "field.hpp"
#include "mapped.hpp"

namespace zk {
namespace {

typedef __int128 i128;
constexpr uint32_t MAGIC = 0x54574b5a, VERSION = 1, HEADER_WORDS = 28, TABLE_WORDS = 8, MAX_COUNT = 1u << 28;
enum Op : uint32_t { LIN = 1, MUL, SHR, MAX0, ABS, EQZ, BITS, ACT, DIV, WIRE, INVW, FLIN, RECIP };

struct Fail {
  TapeStatus status;
  std::string message;
};

inline uint32_t rd32(const uint8_t* p) { uint32_t v; memcpy(&v, p, 4); return v; }

struct Tape {
  uint32_t nIn, nRegs, nWires, nFinal, nInt, nField, nTables, codeWords, nDrop;
  const uint8_t* ints;
  const uint8_t* fields;
  const uint8_t* tables;
  const uint8_t* code;
  const uint8_t* drop;
};

[[noreturn]] void malformed(const std::string& m) { throw Fail{TapeStatus::Malformed, "malformed witness tape: " + m}; }
[[noreturn]] void overflow() { throw Fail{TapeStatus::Overflow, "a value left the 128-bit integers"}; }

Tape parse(const uint8_t* t, size_t len) {
  if (len < HEADER_WORDS * 4) malformed("shorter than its header");
  auto w = [&](int i) { return rd32(t + 4 * i); };
  if (w(0) != MAGIC) malformed("bad magic");
  if (w(1) != VERSION) malformed("unknown format version");
  Tape p{w(3), w(4), w(5), w(6), w(7), w(8), w(9), w(10), w(11), nullptr, nullptr, nullptr, nullptr, nullptr};
  uint64_t need = (uint64_t)HEADER_WORDS * 4 + (uint64_t)p.nInt * 16 + (uint64_t)p.nField * 32 +
                  ((uint64_t)p.nTables * TABLE_WORDS + p.codeWords + p.nDrop) * 4;
  if (need != len) malformed("size does not match its header");
  if ((uint64_t)p.nFinal + p.nDrop != p.nWires || p.nIn > p.nRegs || p.nWires < 1) malformed("counts do not add up");
  if (p.nRegs > MAX_COUNT || p.nWires > MAX_COUNT) malformed("more registers or wires than a tape may have");
  const uint8_t* o = t + HEADER_WORDS * 4;
  p.ints = o; o += (size_t)p.nInt * 16;
  p.fields = o; o += (size_t)p.nField * 32;
  p.tables = o; o += (size_t)p.nTables * TABLE_WORDS * 4;
  p.code = o; o += (size_t)p.codeWords * 4;
  p.drop = o;
  return p;
}

i128 rdI128(const uint8_t* p) {
  uint64_t lo, hi;
  memcpy(&lo, p, 8);
  memcpy(&hi, p + 8, 8);
  return (i128)(((unsigned __int128)hi << 64) | lo);
}

// x mod p as a canonical 4-limb integer
void toField(i128 x, uint64_t out[4]) {
  unsigned __int128 m = x < 0 ? (unsigned __int128)(-(x + 1)) + 1 : (unsigned __int128)x;
  uint64_t a[4] = {(uint64_t)m, (uint64_t)(m >> 64), 0, 0};
  if (x < 0 && m != 0) sub4(out, FR_PARAMS.p, a); else memcpy(out, a, 32);
}

struct Machine {
  const Tape& t;
  // registers (16 bytes) then wires (4 limbs each, canonical), zeroed, in one huge MappedArray (mapped.hpp: a reused
  // 2 MB huge-page block up to 2 MB): a fresh process's witness faulted ≈ 300 pages of 4 KB in before
  MappedArray<uint64_t> mem;
  i128* reg;
  uint64_t* wire;
  size_t pc = 0;

  explicit Machine(const Tape& tape)
      : t(tape), mem((size_t)tape.nRegs * 2 + (size_t)tape.nWires * 4, true, true),
        reg(reinterpret_cast<i128*>(mem.data())), wire(mem.data() + (size_t)tape.nRegs * 2) {}

  uint32_t next() {
    if (pc >= t.codeWords) malformed("an op runs past the end of the code");
    return rd32(t.code + 4 * pc++);
  }
  i128& r(uint32_t i) { if (i >= t.nRegs) malformed("register out of range"); return reg[i]; }
  uint64_t* w(uint32_t i) { if (i >= t.nWires) malformed("wire out of range"); return &wire[(size_t)i * 4]; }
  i128 c(uint32_t i) { if (i >= t.nInt) malformed("integer constant out of range"); return rdI128(t.ints + (size_t)i * 16); }
  Fr f(uint32_t i) {
    if (i >= t.nField) malformed("field constant out of range");
    uint64_t a[4];
    memcpy(a, t.fields + (size_t)i * 32, 32);
    if (geq4(a, FR_PARAMS.p)) malformed("field constant not below p");
    return Fr::fromInt(a);
  }
  static i128 add(i128 a, i128 b) { i128 s; if (__builtin_add_overflow(a, b, &s)) overflow(); return s; }
  static i128 mul(i128 a, i128 b) { i128 s; if (__builtin_mul_overflow(a, b, &s)) overflow(); return s; }
  static i128 neg(i128 a) { return mul(a, -1); }
  static i128 floorShr(i128 x, uint32_t d) {
    if (d > 127) malformed("shift out of range");
    return d == 0 ? x : x >> d;  // arithmetic: floor for negative x
  }

  i128 act(uint32_t tid, i128 x, uint32_t sx) {
    if (tid >= t.nTables) malformed("table out of range");
    const uint8_t* tb = t.tables + (size_t)tid * TABLE_WORDS * 4;
    uint32_t k = rd32(tb), j = rd32(tb + 4), st = rd32(tb + 8), entries = rd32(tb + 28);
    uint32_t aBase = rd32(tb + 20), bBase = rd32(tb + 24);
    uint64_t P = (uint64_t)k + sx;
    if (P > 125 || j > P || st > sx) malformed("activation table out of range");
    i128 lim = (i128)1 << P;
    if (x >= lim) return c(rd32(tb + 16));
    if (x < -lim) return c(rd32(tb + 12));
    i128 z = x + lim;
    uint32_t segShift = (uint32_t)(P - j);
    uint64_t seg = (uint64_t)(z >> segShift);
    if (seg >= entries || (uint64_t)aBase + entries > t.nInt || (uint64_t)bBase + entries > t.nInt) malformed("activation table entry out of range");
    i128 u = z & (((i128)1 << segShift) - 1);
    i128 tt = u >> (sx - st);
    return add(c(aBase + (uint32_t)seg), mul(c(bBase + (uint32_t)seg), tt));
  }

  void run(const uint8_t* inputs, const uint8_t* recipient) {
    for (uint32_t i = 0; i < t.nIn; i++) reg[i] = rdI128(inputs + (size_t)i * 16);
    wire[0] = 1;
    while (pc < t.codeWords) {
      uint32_t op = next();
      switch (op) {
        case LIN: case FLIN: {
          uint32_t dst = next(), ci = next(), n = next();
          if (op == LIN) {
            i128 acc = c(ci);
            for (uint32_t k = 0; k < n; k++) { uint32_t s = next(); acc = add(acc, mul(c(next()), r(s))); }
            r(dst) = acc;
          } else {
            Fr acc = f(ci);
            for (uint32_t k = 0; k < n; k++) {
              uint32_t s = next();
              uint64_t v[4];
              toField(r(s), v);
              acc = acc + f(next()) * Fr::fromInt(v);
            }
            acc.toInt(w(dst));
          }
          break;
        }
        case MUL: { uint32_t d = next(), a = next(), b = next(); r(d) = mul(r(a), r(b)); break; }
        case SHR: { uint32_t d = next(), x = next(), s = next(); r(d) = floorShr(r(x), s); break; }
        case MAX0: { uint32_t d = next(), x = next(); i128 v = r(x); r(d) = v > 0 ? v : 0; break; }
        case ABS: { uint32_t d = next(), x = next(); i128 v = r(x); r(d) = v < 0 ? neg(v) : v; break; }
        case EQZ: { uint32_t d = next(), x = next(); r(d) = r(x) == 0 ? 1 : 0; break; }
        case BITS: {
          uint32_t u0 = next(), x = next(), n = next();
          if (n < 1 || n > 126 || (uint64_t)u0 + n > t.nRegs) malformed("bit decomposition out of range");
          i128 u = add(r(x), (i128)1 << (n - 1));
          if (u < 0 || u >= ((i128)1 << n)) throw Fail{TapeStatus::Rejected, "a value is outside its proven range"};
          for (uint32_t i = 0; i < n; i++) reg[u0 + i] = (u >> i) & 1;
          break;
        }
        case ACT: { uint32_t d = next(), x = next(), tb = next(), sx = next(); r(d) = act(tb, r(x), sx); break; }
        case DIV: {
          uint32_t qd = next(), rd = next(), x = next(), y = next();
          i128 xv = r(x), yv = r(y);
          if (yv == 0) throw Fail{TapeStatus::Rejected, "division by zero"};
          i128 ay = yv < 0 ? neg(yv) : yv;
          i128 rem = xv % ay;
          if (rem < 0) rem += ay;
          i128 diff = add(xv, neg(rem));
          r(qd) = yv == -1 ? neg(diff) : diff / yv;  // INT128_MIN / −1 overflows
          r(rd) = rem;
          break;
        }
        case WIRE: { uint32_t d = next(), x = next(); toField(r(x), w(d)); break; }
        case INVW: {
          uint32_t d = next(), x = next();
          uint64_t v[4];
          toField(r(x), v);
          Fr::fromInt(v).inv().toInt(w(d));  // the inverse of 0 is 0
          break;
        }
        case RECIP: {
          uint64_t v[4];
          memcpy(v, recipient, 32);
          if (geq4(v, FR_PARAMS.p)) throw Fail{TapeStatus::Rejected, "the recipient is not a field element"};
          memcpy(w(next()), v, 32);
          break;
        }
        default: malformed("unknown opcode " + std::to_string(op));
      }
    }
  }
};

}  // namespace

TapeResult runWitnessTape(const uint8_t* tape, size_t tapeLen, const uint8_t* inputs, size_t inputsLen,
                          const uint8_t* recipient, uint8_t* out, size_t outLen) {
  try {
    Tape t = parse(tape, tapeLen);
    if (inputsLen != (size_t)t.nIn * 16) return {TapeStatus::Malformed, "the tape takes " + std::to_string(t.nIn) + " inputs"};
    if (outLen != (size_t)t.nFinal * 32) return {TapeStatus::Malformed, "the output buffer does not fit the witness"};
    Machine m(t);
    m.run(inputs, recipient);
    // the witness: every wire but the dropped ones (sorted, each once)
    size_t o = 0, di = 0;
    for (uint32_t i = 0; i < t.nWires; i++) {
      if (di < t.nDrop && rd32(t.drop + 4 * di) == i) { di++; continue; }
      if (o >= t.nFinal) break;
      memcpy(out + o * 32, &m.wire[(size_t)i * 4], 32);
      o++;
    }
    if (di != t.nDrop || o != t.nFinal) return {TapeStatus::Malformed, "malformed witness tape: the drop list is not sorted wires"};
    return {TapeStatus::Ok, ""};
  } catch (const Fail& f) {
    return {f.status, f.message};
  } catch (const std::bad_alloc&) {
    return {TapeStatus::Malformed, "malformed witness tape: its registers and wires do not fit in memory"};
  }
}

}  // namespace zk
