// The native one-shot `zkinfer prove` (docs/network.md "CLI start-up", round 21): the sh launcher in bin/zkinfer.js
// execs this program for `zkinfer prove …` instead of starting Node, whose own start and exit (≈ 60 ms on the bench VM)
// alone were most of a whole-process prove. It does what the Node command does for the common case — a circuit of the
// direct backend with a recorded witness tape, the native prover — and writes the same PROOF.json and the same lines:
//   1. the arguments as the Node command takes them; the circuit folder, or a compiled circuit's name in the user cache;
//   2. the prove plan (prove_plan.hpp) named by the sha256 of the folder's metadata.json: written by the Node program
//      after it proved with exactly that metadata, all of docs/security.md's checks passed (layout, circuit id = the
//      canonical vk, the zkey's vk = vk.json);
//   3. the input file, quantized and range-checked as src/zkml/witness/inputs.ts does;
//   4. while the witness is computed from the witness tape (named by the witness program's sha256, header and body
//      sha256 checked), the four artifacts are hashed on one thread and the proving key loads on another, as the Node
//      command does on libuv's pool; nothing is proven before every hash equals metadata.json's;
//   5. the proof's public signals are checked against its own inputs and recipient (layout.ts bindInputs), the outputs
//      decoded (decodeReal) and written as JavaScript writes numbers.
// Anything else — another argument, no plan yet, an input the checks refuse, a file that changed, a witness the
// tape cannot compute — and it execs Node on the same arguments, before writing anything: every error, and every
// case it does not handle, gets the Node command's own behaviour. ZKINFER_NATIVE_CLI=0 always runs Node;
// ZKINFER_NATIVE_CLI_TRACE=1 says on stderr which path ran and why.
//   usage (from the launcher): zkinfer-prove <path of bin/zkinfer.js> prove ARGS…
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cctype>
#include <csignal>
#include <cerrno>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "field.hpp"
#include "groth16.hpp"
#include "input_json.hpp"
#include "js_number.hpp"
#include "keycache.hpp"
#include "prove_plan.hpp"
#include "sha256.hpp"
#include "witness.hpp"

namespace {

using Clock = std::chrono::steady_clock;
double msSince(Clock::time_point t) { return std::chrono::duration<double, std::milli>(Clock::now() - t).count(); }

bool trace() {
  const char* e = getenv("ZKINFER_NATIVE_CLI_TRACE");
  return e && e[0] == '1';
}

// Run the Node program on the very same arguments (argv[1] is bin/zkinfer.js; Node runs its JavaScript part).
[[noreturn]] void runNode(char** argv, const std::string& why) {
  if (trace()) fprintf(stderr, "zkinfer: native prove: %s; running Node\n", why.c_str());
  std::vector<char*> args{const_cast<char*>("node")};
  for (char** a = argv + 1; *a; a++) args.push_back(*a);
  args.push_back(nullptr);
  execvp("node", args.data());
  fprintf(stderr, "zkinfer: cannot start node: %s\n", strerror(errno));
  _exit(127);
}

struct Fallback { std::string why; };
[[noreturn]] void fallback(const std::string& why) { throw Fallback{why}; }

bool readFile(const std::string& path, std::string& out) {
  int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return false;
  struct stat st;
  bool ok = fstat(fd, &st) == 0 && S_ISREG(st.st_mode);
  if (ok) {
    out.resize((size_t)st.st_size);
    size_t got = 0;
    while (got < out.size()) {
      ssize_t k = read(fd, &out[got], out.size() - got);
      if (k < 0 && errno == EINTR) continue;
      if (k <= 0) break;
      got += (size_t)k;
    }
    ok = got == out.size();
  }
  close(fd);
  return ok;
}

bool exists(const std::string& p) { struct stat st; return stat(p.c_str(), &st) == 0; }
bool isDir(const std::string& p) { struct stat st; return stat(p.c_str(), &st) == 0 && S_ISDIR(st.st_mode); }
std::string join(const std::string& a, const std::string& b) { return a.empty() || a.back() == '/' ? a + b : a + "/" + b; }
std::string parentOf(const std::string& p) {
  size_t k = p.find_last_of('/');
  return k == std::string::npos ? "." : k == 0 ? "/" : p.substr(0, k);
}

// src/paths.ts userCacheDir: $ZKINFER_CACHE_DIR, else $XDG_CACHE_HOME/zkinfer (absolute only), else ~/.cache/zkinfer
std::string userCacheDir() {
  const char* own = getenv("ZKINFER_CACHE_DIR");
  if (own && *own) return own;  // relative: to the working directory, as resolve() makes it
  const char* xdg = getenv("XDG_CACHE_HOME");
  if (xdg && xdg[0] == '/') return join(xdg, "zkinfer");
  const char* home = getenv("HOME");
  if (!home || !*home) fallback("no $HOME");
  return join(join(home, ".cache"), "zkinfer");
}

// src/circuit-ref.ts resolveCircuitDir: a folder with metadata.json, else a name compiled into the user cache
std::string circuitDir(const std::string& ref, const std::string& cache) {
  if (exists(join(ref, "metadata.json"))) return ref;
  bool name = !ref.empty() && isalnum((unsigned char)ref[0]);
  for (char c : ref) name = name && (isalnum((unsigned char)c) || c == '_' || c == '-');
  std::string cached = join(join(cache, "circuits"), ref);
  if (name && exists(join(cached, "metadata.json"))) return cached;
  fallback("no circuit " + ref);
}

struct Args { std::string dir, input, out, recipient = "0"; };

// src/cli/prove.ts's options; anything else (help, another prover, an option given twice, `--`) goes to Node
Args parseArgs(char** argv) {
  Args a;
  bool haveDir = false, seen[4] = {};
  if (!argv[1] || !argv[2] || strcmp(argv[2], "prove") != 0) fallback("not a prove command");
  for (char** p = argv + 3; *p; p++) {
    std::string s = *p, value;
    if (s.empty() || s[0] != '-') {
      if (haveDir) fallback("two circuit arguments");
      a.dir = s, haveDir = true;
      continue;
    }
    size_t eq = s.find('=');
    std::string name = s.substr(0, eq);
    if (eq != std::string::npos) value = s.substr(eq + 1);
    else if (p[1] && p[1][0] != '-') value = *++p;
    else fallback("option " + s + " without a value");
    const char* names[4] = {"--input", "--out", "--prover", "--recipient"};
    int k = 0;
    while (k < 4 && name != names[k]) k++;
    if (k == 4) fallback("option " + name);
    if (seen[k]) fallback("option " + name + " given twice");
    seen[k] = true;
    if (value.empty()) fallback("empty " + name);
    if (k == 0) a.input = value;
    else if (k == 1) a.out = value;
    else if (k == 2) { if (value != "native" && value != "auto") fallback("--prover " + value); }
    else a.recipient = value;
  }
  if (!haveDir || !seen[0] || !seen[1]) fallback("a required argument is missing");
  return a;
}

// 256-bit little-endian integers (the field's canonical limbs)
struct U256 { uint64_t w[4] = {0, 0, 0, 0}; };
const U256 R = {{0x43e1f593f0000001ULL, 0x2833e84879b97091ULL, 0xb85045b68181585dULL, 0x30644e72e131a029ULL}};

bool less(const U256& a, const U256& b) {
  for (int i = 3; i >= 0; i--)
    if (a.w[i] != b.w[i]) return a.w[i] < b.w[i];
  return false;
}
U256 sub(const U256& a, const U256& b) {
  U256 r;
  unsigned __int128 borrow = 0;
  for (int i = 0; i < 4; i++) {
    unsigned __int128 d = (unsigned __int128)a.w[i] - b.w[i] - borrow;
    r.w[i] = (uint64_t)d;
    borrow = (d >> 64) ? 1 : 0;
  }
  return r;
}
// add v · 2^shift (v < 2^64, shift + 64 ≤ 256)
void addShifted(U256& a, uint64_t v, unsigned shift) {
  unsigned __int128 carry = 0;
  const unsigned limb = shift / 64, bit = shift % 64;
  uint64_t parts[2] = {bit ? v << bit : v, bit ? v >> (64 - bit) : 0};
  for (unsigned i = limb; i < 4; i++) {
    unsigned __int128 s = (unsigned __int128)a.w[i] + (i - limb < 2 ? parts[i - limb] : 0) + carry;
    a.w[i] = (uint64_t)s;
    carry = s >> 64;
  }
}
std::string decimal(const U256& a) { return zk::toDecimal(a.w); }
bool parseDecimal(const std::string& s, U256& out) {
  out = U256{};
  if (s.empty() || s.size() > 78) return false;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
    unsigned __int128 carry = (unsigned)(c - '0');
    for (auto& w : out.w) {
      unsigned __int128 x = (unsigned __int128)w * 10 + carry;
      w = (uint64_t)x;
      carry = x >> 64;
    }
    if (carry) return false;
  }
  return true;
}
// src/zkml/fixed-point.ts toFixed: Math.round(v · 2^s) (halves toward +∞), as an integer below 2^63
bool toFixed(double v, uint32_t scaleBits, int64_t& q) {
  if (!std::isfinite(v)) return false;
  double x = std::ldexp(v, (int)scaleBits), r = std::floor(x);
  if (x - r >= 0.5) r += 1;
  if (!(std::fabs(r) < 9.2e18)) return false;
  q = (int64_t)r;
  return true;
}

std::string jsonString(const std::string& s) { return "\"" + s + "\""; }  // hex, decimal digits and labels only

void writeAll(int fd, const std::string& s) {
  for (size_t o = 0; o < s.size();) {
    ssize_t k = write(fd, s.data() + o, s.size() - o);
    if (k < 0 && errno == EINTR) continue;
    if (k <= 0) return;
    o += (size_t)k;
  }
}

std::string fixed(double v, int digits) {  // Number.prototype.toFixed for the timing line
  char b[64];
  snprintf(b, sizeof b, "%.*f", digits, v);
  return b;
}

int run(char** argv) {
  const auto t0 = Clock::now();
  for (const char* off : {"ZKINFER_NO_BUNDLE", "ZKINFER_NATIVE_ADDON"})
    if (getenv(off)) fallback(std::string("$") + off + " is set");
  if (const char* e = getenv("ZKINFER_NATIVE_CLI"); e && e[0] == '0') fallback("ZKINFER_NATIVE_CLI=0");
  if (const char* e = getenv("ZKINFER_WITNESS_TAPE"); e && e[0] == '0') fallback("ZKINFER_WITNESS_TAPE=0");
  const Args a = parseArgs(argv);

  // --recipient: 0, or 0x and 40 hex digits (src/zkml/witness/inputs.ts parseRecipient)
  U256 recipient;
  if (a.recipient != "0") {
    if (a.recipient.size() != 42 || a.recipient[0] != '0' || a.recipient[1] != 'x') fallback("--recipient " + a.recipient);
    for (size_t i = 2; i < 42; i++) {
      char c = a.recipient[i];
      int d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
      if (d < 0) fallback("--recipient " + a.recipient);
      const size_t bit = 4 * (41 - i);
      recipient.w[bit / 64] |= (uint64_t)d << (bit % 64);
    }
  }

  const std::string cache = userCacheDir(), dir = circuitDir(a.dir, cache);
  std::string metadata, planText, inputText;
  if (!readFile(join(dir, "metadata.json"), metadata)) fallback("metadata.json unreadable");
  const std::string mdSha = zk::sha256Hex(reinterpret_cast<const unsigned char*>(metadata.data()), metadata.size());
  zk::ProvePlan plan;
  if (!readFile(join(join(cache, "prove-plan"), mdSha + ".v" + std::to_string(zk::PROVE_PLAN_VERSION)), planText) ||
      !zk::parseProvePlan(planText, plan))
    fallback("no prove plan for this metadata.json yet");

  // src/out-path.ts checkOutputFile: not a directory; a new file's folder exists
  if (isDir(a.out) || (!exists(a.out) && !isDir(parentOf(a.out)))) fallback("--out " + a.out);

  // the input, before anything is loaded: a refused one goes to Node at once
  if (!readFile(a.input, inputText)) fallback("input file unreadable");
  std::vector<std::vector<double>> data;
  if (!zk::parseInputData(inputText, data)) fallback("input file not read natively");
  if (data.size() != plan.inputs.size()) fallback("input count");
  // quantized and range-checked (src/zkml/quantize/input-range.ts checkInputRange): |q| < 2^rangeBits
  std::vector<int64_t> q;
  for (size_t t = 0; t < data.size(); t++) {
    const zk::PlanInput& spec = plan.inputs[t];
    if (data[t].size() != spec.size || spec.rangeBits > 62) fallback("input shape or range");
    for (double v : data[t]) {
      int64_t x;
      if (!toFixed(v, spec.scaleBits, x) || x >= (int64_t(1) << spec.rangeBits) || -x >= (int64_t(1) << spec.rangeBits)) fallback("input out of range");
      q.push_back(x);
    }
  }

  // the files are hashed (one thread) and the key loaded (another) while the witness is computed here
  const std::string paths[4] = {join(dir, "circuit.r1cs"), join(dir, "witness.json"), join(dir, "circuit.zkey"), join(dir, "vk.json")};
  const std::string expected[4] = {plan.r1cs, plan.program, plan.zkey, plan.vk};
  std::string hashed[4];
  std::shared_ptr<zk::Zkey> key;
  std::unique_ptr<zk::Domain> domain;
  std::string keyError;
  // the threads write the variables above: joined before those go, also when a fallback unwinds (a key load may be
  // writing its sidecar when Node replaces this program)
  struct Helpers {
    std::vector<std::thread> threads;
    void join() { for (auto& t : threads) if (t.joinable()) t.join(); }
    ~Helpers() { join(); }
  } helpers;
  helpers.threads.emplace_back([&] {
    try {
      for (int i = 0; i < 4; i++) hashed[i] = zk::sha256FileHex(paths[i]);
    } catch (...) { /* compared below */ }
  });
  helpers.threads.emplace_back([&] {
    try {
      zk::KeyLoadOptions opt = zk::keyOptionsFromEnv();
      opt.releasePages = true;        // src/zkml/prove/native/addon.ts ONE_SHOT_KEY_OPTIONS
      opt.copyUpTo = 32u << 20;
      key = zk::loadZkey(paths[2], opt);
      domain = std::make_unique<zk::Domain>(zk::makeDomain((int)key->power));
    } catch (const std::exception& e) {
      keyError = e.what();
    }
  });

  // the witness tape (src/zkml/witness/tape-cache.ts): <cache>/witness-tape/<program sha256>.v1, checked as readTapeHeader does
  const auto tw = Clock::now();
  std::string tape;
  if (!readFile(join(join(cache, "witness-tape"), plan.program + ".v1"), tape) || tape.size() < 112) fallback("no witness tape");
  // magic, version, sizes and the input count are runWitnessTape's checks; these are readTapeHeader's others
  const auto* t = reinterpret_cast<const unsigned char*>(tape.data());
  uint32_t layout, nFinal;
  memcpy(&layout, t + 8, 4);
  memcpy(&nFinal, t + 24, 4);
  if (layout != plan.tapeLayout || nFinal > (1u << 28) /* a tape's most wires, before the witness is sized by it */ ||
      zk::toHex(t + 48, 32) != plan.program || zk::sha256Hex(t + 112, tape.size() - 112) != zk::toHex(t + 80, 32))
    fallback("witness tape does not match");
  std::vector<uint8_t> ins(16 * q.size()), rec(32);
  for (size_t i = 0; i < q.size(); i++) {
    __int128 v = q[i];
    memcpy(&ins[16 * i], &v, 16);  // little-endian two's complement
  }
  memcpy(rec.data(), recipient.w, 32);
  std::vector<uint64_t> witness((size_t)nFinal * 4);
  zk::TapeResult tr = zk::runWitnessTape(reinterpret_cast<const uint8_t*>(tape.data()), tape.size(), ins.data(), ins.size(),
                                         rec.data(), reinterpret_cast<uint8_t*>(witness.data()), witness.size() * 8);
  if (tr.status != zk::TapeStatus::Ok) fallback("the witness tape did not compute this witness: " + tr.message);
  for (size_t i = 0; i < nFinal; i++)
    if (!less(*reinterpret_cast<const U256*>(&witness[4 * i]), R)) fallback("witness value out of the field");
  const double witnessMs = msSince(tw);

  helpers.join();
  for (int i = 0; i < 4; i++)
    if (hashed[i] != expected[i]) fallback(paths[i] + " does not have the sha256 metadata.json records");
  if (!key) fallback("proving key: " + keyError);
  if (key->nVars != nFinal || key->nPublic != plan.total) fallback("the key does not fit the witness");
  const auto tp = Clock::now();
  zk::ProofStrings proof = zk::prove(*key, *domain, witness.data(), witness.size(), nullptr);
  const double proveMs = msSince(tp);

  // the proof's public signals carry these inputs and this recipient (src/zkml/format/layout.ts bindInputs)
  const std::vector<std::string>& ps = proof.publicSignals;
  if (ps.size() != plan.total) fallback("public signal count");
  if (plan.recipient >= 0 && ((size_t)plan.recipient >= ps.size() || ps[(size_t)plan.recipient] != decimal(recipient))) fallback("recipient signal");
  std::vector<U256> words;
  unsigned used = 253;  // src/zkml/format/packing.ts packPlan: greedy, at most 253 bits a word
  size_t k = 0;
  for (const zk::PlanInput& spec : plan.inputs) {
    const unsigned width = spec.rangeBits + 1;
    for (uint32_t i = 0; i < spec.size; i++, k++) {
      if (used + width > 253) { words.emplace_back(); used = 0; }
      addShifted(words.back(), (uint64_t)(q[k] + (int64_t(1) << (width - 1))), used);
      used += width;
    }
  }
  if (words.size() != plan.packedWords) fallback("packed word count");
  for (size_t j = 0; j < words.size(); j++)
    if (plan.packedOffset + j >= ps.size() || ps[plan.packedOffset + j] != decimal(words[j])) fallback("packed input signal");

  // outputs (src/zkml/fixed-point.ts decodeReal: Number(signed) / 2^scaleBits)
  const U256 half = [] { U256 h = R; for (int i = 0; i < 4; i++) h.w[i] = (h.w[i] >> 1) | (i < 3 ? h.w[i + 1] << 63 : 0); return h; }();
  std::string outputs = "[", outputsPretty = "[";
  for (size_t o = 0; o < plan.outputs.size(); o++) {
    const zk::PlanOutput& t = plan.outputs[o];
    std::string row = "[", rowPretty = "[";
    for (uint32_t i = 0; i < t.length; i++) {
      U256 x;
      if (t.offset + i >= ps.size() || !parseDecimal(ps[t.offset + i], x) || !less(x, R)) fallback("output signal");
      const bool neg = less(half, x);
      const U256 m = neg ? sub(R, x) : x;
      if (m.w[1] || m.w[2] || m.w[3] || m.w[0] >= (uint64_t(1) << 63)) fallback("output beyond 2^63");
      const double v = std::ldexp(neg ? -(double)(int64_t)m.w[0] : (double)(int64_t)m.w[0], -(int)t.scaleBits);
      const std::string s = zk::jsNumberToString(v);
      row += (i ? "," : "") + s;
      rowPretty += (i ? ",\n   " : "\n   ") + s;
    }
    row += "]";
    rowPretty += t.length ? "\n  ]" : "]";
    outputs += (o ? "," : "") + row;
    outputsPretty += (o ? ",\n  " : "\n  ") + rowPretty;
  }
  outputs += "]";
  outputsPretty += plan.outputs.empty() ? "]" : "\n ]";

  // PROOF.json as JSON.stringify(file, null, 1) writes it (src/cli/prove.ts)
  auto list = [](const std::vector<std::string>& xs, const std::string& indent) {
    if (xs.empty()) return std::string("[]");
    std::string s = "[";
    for (size_t i = 0; i < xs.size(); i++) s += (i ? ",\n" : "\n") + indent + " " + jsonString(xs[i]);
    return s + "\n" + indent + "]";
  };
  std::string pb = "[";
  const std::vector<std::string> b[3] = {{proof.b[0][0], proof.b[0][1]}, {proof.b[1][0], proof.b[1][1]}, {"1", "0"}};
  for (int i = 0; i < 3; i++) pb += (i ? ",\n   " : "\n   ") + list(b[i], "   ");
  pb += "\n  ]";
  std::string file = "{\n \"circuit_id\": " + jsonString(plan.id) + ",\n \"proof\": {\n  \"pi_a\": " +
                     list({proof.a[0], proof.a[1], "1"}, "  ") + ",\n  \"pi_b\": " + pb + ",\n  \"pi_c\": " +
                     list({proof.c[0], proof.c[1], "1"}, "  ") + ",\n  \"protocol\": \"groth16\",\n  \"curve\": \"bn128\"\n },\n" +
                     " \"public_signals\": " + list(ps, " ") + ",\n \"outputs\": " + outputsPretty + ",\n \"security\": " +
                     jsonString(plan.security) + ",\n \"prover\": \"native\"\n}\n";
  int fd = open(a.out.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
  if (fd < 0) fallback("cannot open --out " + a.out);
  size_t written = 0;
  while (written < file.size()) {
    ssize_t w = write(fd, file.data() + written, file.size() - written);
    if (w < 0 && errno == EINTR) continue;
    if (w <= 0) { close(fd); fallback("cannot write --out " + a.out); }
    written += (size_t)w;
  }
  if (close(fd) != 0) fallback("cannot write --out " + a.out);

  std::string lines;
  if (plan.security == "INSECURE-DEV")
    lines += "INSECURE-DEV: proof made with development keys (known-secret powers of tau) \xE2\x80\x94 not a real guarantee\n";
  lines += "proof written to " + a.out + "  circuit " + plan.id + "  (" + plan.security + ")\n";
  lines += "outputs " + outputs + "\n";
  lines += "prover native  witness " + fixed(witnessMs, 1) + " ms  prove " + fixed(proveMs, 1) + " ms  total " + fixed(msSince(t0), 0) + " ms\n";
  writeAll(1, lines);
  if (trace()) fprintf(stderr, "zkinfer: native prove: proved without Node\n");
  return 0;
}

}  // namespace

int main(int, char** argv) {
  signal(SIGPIPE, SIG_IGN);  // as Node: a closed stdout is a failed write, not the end of the process
  try {
    int rc = run(argv);
    fflush(nullptr);
    _exit(rc);  // the key's pages and the threads' memory go with the process
  } catch (const Fallback& f) {
    runNode(argv, f.why);
  } catch (const std::exception& e) {
    runNode(argv, std::string("unexpected: ") + e.what());
  }
}
