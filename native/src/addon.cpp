// Node binding: ProvingKey objects that load a snarkjs .zkey once and prove from .wtns bytes off the JS thread.
#include <napi.h>

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <fstream>
#include <memory>
#include <new>
#include <cstring>
#include <vector>

#include "groth16.hpp"
#include "keycache.hpp"
#include "mapped.hpp"
#include "setup.hpp"
#include "sha256.hpp"
#include "witness.hpp"

// Exported by Node since 20.4, but declared by its headers only under NAPI_EXPERIMENTAL, which would also switch this
// whole addon to the experimental Node-API version (other finalizer rules); only this one function is needed here.
extern "C" napi_status NAPI_CDECL node_api_create_external_string_latin1(napi_env env, char* str, size_t length,
                                                                          napi_finalize finalize_callback,
                                                                          void* finalize_hint, napi_value* result,
                                                                          bool* copied);

namespace {

using namespace zk;

struct KeyState {
  std::shared_ptr<Zkey> key;
  Domain domain;
  KeyLoadInfo load;
};

// Runs `work` on the libuv pool and settles a promise; C++ exceptions become rejections carrying `code`.
class PromiseWorker : public Napi::AsyncWorker {
 public:
  PromiseWorker(Napi::Env env, const char* errorCode)
      : Napi::AsyncWorker(env), deferred_(Napi::Promise::Deferred::New(env)), errorCode_(errorCode) {}
  Napi::Promise promise() { return deferred_.Promise(); }

 protected:
  void Execute() override {
    try {
      run();
    } catch (const std::bad_alloc&) {
      SetError("out of memory");
    } catch (const std::exception& e) {
      SetError(e.what());
    }
  }
  void OnOK() override { deferred_.Resolve(result(Env())); }
  void OnError(const Napi::Error& e) override {
    Napi::Object err = e.Value();
    err.Set("code", Napi::String::New(Env(), errorCode_));
    deferred_.Reject(err);
  }
  virtual void run() = 0;
  virtual Napi::Value result(Napi::Env env) = 0;

 private:
  Napi::Promise::Deferred deferred_;
  const char* errorCode_;
};

class LoadWorker : public PromiseWorker {
 public:
  LoadWorker(Napi::Env env, std::string path, KeyLoadOptions opt, std::shared_ptr<KeyState>* slot)
      : PromiseWorker(env, "ZKEY_INVALID"), path_(std::move(path)), opt_(opt), slot_(slot) {}

 protected:
  void run() override {
    auto st = std::make_shared<KeyState>();
    st->key = loadZkey(path_, opt_, &st->load);
    st->domain = makeDomain((int)st->key->power);
    loaded_ = st;
  }
  void OnOK() override {
    *slot_ = loaded_;
    PromiseWorker::OnOK();
  }
  Napi::Value result(Napi::Env env) override { return env.Undefined(); }

 private:
  std::string path_;
  KeyLoadOptions opt_;
  std::shared_ptr<KeyState>* slot_;  // owned by the ProvingKey, which the JS side keeps alive while loading
  std::shared_ptr<KeyState> loaded_;
};

Napi::Array strArray(Napi::Env env, const std::string* s, size_t n) {
  Napi::Array a = Napi::Array::New(env, n);
  for (size_t i = 0; i < n; i++) a.Set((uint32_t)i, Napi::String::New(env, s[i]));
  return a;
}

// {pi_a, pi_b, pi_c, publicSignals, timings} as the JS side expects (checked there with zod).
Napi::Object proofObject(Napi::Env env, const ProofStrings& proof_, const ProveTimings& timings_) {
  Napi::Object o = Napi::Object::New(env);
  Napi::Array a = strArray(env, proof_.a, 2);
  a.Set(2u, Napi::String::New(env, "1"));
  Napi::Array c = strArray(env, proof_.c, 2);
  c.Set(2u, Napi::String::New(env, "1"));
  Napi::Array b = Napi::Array::New(env, 3);
  b.Set(0u, strArray(env, proof_.b[0], 2));
  b.Set(1u, strArray(env, proof_.b[1], 2));
  std::string bz[2] = {"1", "0"};
  b.Set(2u, strArray(env, bz, 2));
  o.Set("pi_a", a);
  o.Set("pi_b", b);
  o.Set("pi_c", c);
  o.Set("publicSignals", strArray(env, proof_.publicSignals.data(), proof_.publicSignals.size()));
  Napi::Object t = Napi::Object::New(env);
  t.Set("abcMs", timings_.abc);
  t.Set("fftMs", timings_.fft);
  t.Set("msmAMs", timings_.msmA);
  t.Set("msmB1Ms", timings_.msmB1);
  t.Set("msmB2Ms", timings_.msmB2);
  t.Set("msmCMs", timings_.msmC);
  t.Set("msmHMs", timings_.msmH);
  t.Set("totalMs", timings_.total);
  t.Set("msmPoints", (double)timings_.msmPoints);
  t.Set("witnessTerms", (double)timings_.witnessTerms);
  t.Set("smallTerms", (double)timings_.smallTerms);
  t.Set("releasedBytes", (double)timings_.releasedBytes);
  o.Set("timings", t);
  return o;
}

// proveBatch: every witness parsed and proven in one pass (groth16.hpp proveBatch); resolves to one entry per
// witness, {proof…} or {error}, so one bad witness does not fail the others.
class BatchWorker : public PromiseWorker {
 public:
  BatchWorker(Napi::Env env, std::shared_ptr<KeyState> st, std::vector<std::vector<uint8_t>> wtns)
      : PromiseWorker(env, "WITNESS_INVALID"), st_(std::move(st)), wtns_(std::move(wtns)) {}

 protected:
  void run() override {
    items_.resize(wtns_.size());
    std::vector<BatchItem> ok;
    std::vector<size_t> where;
    for (size_t i = 0; i < wtns_.size(); i++) {
      try {
        BatchItem it;
        it.witness = parseWtns(wtns_[i].data(), wtns_[i].size());
        ok.push_back(std::move(it));
        where.push_back(i);
      } catch (const std::exception& e) {
        items_[i].error = e.what();
      }
      std::vector<uint8_t>().swap(wtns_[i]);
    }
    proveBatch(*st_->key, st_->domain, ok);
    for (size_t j = 0; j < ok.size(); j++) items_[where[j]] = std::move(ok[j]);
    st_.reset();
  }
  Napi::Value result(Napi::Env env) override {
    Napi::Array out = Napi::Array::New(env, items_.size());
    for (size_t i = 0; i < items_.size(); i++) {
      if (!items_[i].error.empty()) {
        Napi::Object e = Napi::Object::New(env);
        e.Set("error", Napi::String::New(env, items_[i].error));
        out.Set((uint32_t)i, e);
      } else {
        out.Set((uint32_t)i, proofObject(env, items_[i].proof, items_[i].timings));
      }
    }
    return out;
  }

 private:
  std::shared_ptr<KeyState> st_;
  std::vector<std::vector<uint8_t>> wtns_;
  std::vector<BatchItem> items_;
};

class ProveWorker : public PromiseWorker {
 public:
  // the witness bytes are copied on the JS thread into whole huge pages from 256 kB up (mapped.hpp): the staking
  // LSTM's 700 kB took ≈ 170 page faults of 4 KB there in a fresh process (docs/native-prover.md "Page faults of
  // a fresh process")
  ProveWorker(Napi::Env env, std::shared_ptr<KeyState> st, const uint8_t* wtns, size_t len)
      : PromiseWorker(env, "WITNESS_INVALID"), st_(std::move(st)), wtns_(len, true, true) {
    if (len) memcpy(wtns_.data(), wtns, len);
  }

 protected:
  void run() override {
    MappedArray<uint64_t> w = parseWtnsMapped(wtns_.data(), wtns_.size());
    wtns_ = MappedArray<uint8_t>();
    proof_ = prove(*st_->key, st_->domain, w.data(), w.size(), &timings_);
    st_.reset();
  }
  Napi::Value result(Napi::Env env) override { return proofObject(env, proof_, timings_); }

 private:
  std::shared_ptr<KeyState> st_;
  MappedArray<uint8_t> wtns_;
  ProofStrings proof_;
  ProveTimings timings_;
};

// Setup (src/zkml/setup): fixed-base batch multiplication off the JS thread, on all cores.
class FixedBaseWorker : public PromiseWorker {
 public:
  FixedBaseWorker(Napi::Env env, bool g2, const uint8_t* base, const uint8_t* scalars, size_t n)
      : PromiseWorker(env, "SETUP_FAILED"), g2_(g2), base_(base, base + (g2 ? 128 : 64)), scalars_(scalars, scalars + 32 * n),
        n_(n), out_(n * (g2 ? 128 : 64)) {}
  void run() override { fixedBaseMul(g2_, base_.data(), scalars_.data(), n_, out_.data()); }
  Napi::Value result(Napi::Env env) override {
    Napi::Uint8Array a = Napi::Uint8Array::New(env, out_.size());
    if (!out_.empty()) memcpy(a.Data(), out_.data(), out_.size());
    return a;
  }

 private:
  bool g2_;
  std::vector<uint8_t> base_, scalars_;
  size_t n_;
  std::vector<uint8_t> out_;
};

Napi::Value fixedBaseMulJs(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (info.Length() < 3 || !info[0].IsString() || !info[1].IsTypedArray() || !info[2].IsTypedArray())
    throw Napi::TypeError::New(env, "fixedBaseMul(group: 'G1' | 'G2', base: Uint8Array, scalars: Uint8Array)");
  bool g2 = info[0].As<Napi::String>().Utf8Value() == "G2";
  Napi::Uint8Array base = info[1].As<Napi::Uint8Array>(), sc = info[2].As<Napi::Uint8Array>();
  if (base.ByteLength() != (g2 ? 128u : 64u) || sc.ByteLength() % 32 != 0) throw Napi::TypeError::New(env, "fixedBaseMul: bad base or scalar length");
  auto* w = new FixedBaseWorker(env, g2, base.Data(), sc.Data(), sc.ByteLength() / 32);
  Napi::Promise p = w->promise();
  w->Queue();
  return p;
}

// witnessTape(tape, inputs, recipient, out): runs a witness tape (native/src/witness.cpp) synchronously; null when
// the witness was written into `out`, else {status: 'rejected' | 'overflow' | 'malformed', message}
Napi::Value witnessTapeJs(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (info.Length() < 4 || !info[0].IsTypedArray() || !info[1].IsTypedArray() || !info[2].IsTypedArray() || !info[3].IsTypedArray())
    throw Napi::TypeError::New(env, "witnessTape(tape: Uint8Array, inputs: Uint8Array, recipient: Uint8Array, out: Uint8Array)");
  Napi::Uint8Array tape = info[0].As<Napi::Uint8Array>(), in = info[1].As<Napi::Uint8Array>();
  Napi::Uint8Array rec = info[2].As<Napi::Uint8Array>(), out = info[3].As<Napi::Uint8Array>();
  if (rec.ByteLength() != 32) throw Napi::TypeError::New(env, "witnessTape: the recipient is 32 bytes");
  zk::TapeResult r = zk::runWitnessTape(tape.Data(), tape.ByteLength(), in.Data(), in.ByteLength(), rec.Data(), out.Data(), out.ByteLength());
  if (r.status == zk::TapeStatus::Ok) return env.Null();
  Napi::Object o = Napi::Object::New(env);
  o.Set("status", r.status == zk::TapeStatus::Rejected ? "rejected" : r.status == zk::TapeStatus::Overflow ? "overflow" : "malformed");
  o.Set("message", r.message);
  return o;
}

// sha256File(path) → Promise<hex>: the file read and hashed on libuv's pool (sha256.cpp); rejects with code "IO"
class Sha256FileWorker : public PromiseWorker {
 public:
  Sha256FileWorker(Napi::Env env, std::string path) : PromiseWorker(env, "IO"), path_(std::move(path)) {}

 protected:
  void run() override { hex_ = zk::sha256FileHex(path_); }
  Napi::Value result(Napi::Env env) override { return Napi::String::New(env, hex_); }

 private:
  std::string path_;
  std::string hex_;
};

Napi::Value sha256FileJs(const Napi::CallbackInfo& info) {
  if (info.Length() < 1 || !info[0].IsString()) throw Napi::TypeError::New(info.Env(), "sha256File(path: string)");
  auto* w = new Sha256FileWorker(info.Env(), info[0].As<Napi::String>());
  Napi::Promise p = w->promise();
  w->Queue();
  return p;
}

// sha256Files(paths) → Promise<(string | null)[]>: the files read and hashed one after another in one job on libuv's
// pool, null for a file that cannot be read. A series of sha256File calls needs a turn of the JS thread between two
// files; this one does not, so a one-shot `zkinfer prove`'s early hashes run while its JS thread is busy loading the
// bundle (src/zkml/artifacts/prefetch.ts; docs/network.md "CLI start-up", round 10)
class Sha256FilesWorker : public PromiseWorker {
 public:
  Sha256FilesWorker(Napi::Env env, std::vector<std::string> paths) : PromiseWorker(env, "IO"), paths_(std::move(paths)) {}

 protected:
  void run() override {
    for (const std::string& path : paths_) {
      try {
        hex_.push_back(zk::sha256FileHex(path));
      } catch (const std::exception&) {
        hex_.push_back("");  // this file only: the caller hashes it again and reports why it cannot
      }
    }
  }
  Napi::Value result(Napi::Env env) override {
    Napi::Array out = Napi::Array::New(env, hex_.size());
    for (uint32_t i = 0; i < hex_.size(); i++) out.Set(i, hex_[i].empty() ? env.Null() : Napi::String::New(env, hex_[i]));
    return out;
  }

 private:
  std::vector<std::string> paths_;
  std::vector<std::string> hex_;
};

Napi::Value sha256FilesJs(const Napi::CallbackInfo& info) {
  if (info.Length() < 1 || !info[0].IsArray()) throw Napi::TypeError::New(info.Env(), "sha256Files(paths: string[])");
  Napi::Array arr = info[0].As<Napi::Array>();
  std::vector<std::string> paths;
  for (uint32_t i = 0; i < arr.Length(); i++) {
    Napi::Value v = arr.Get(i);
    if (!v.IsString()) throw Napi::TypeError::New(info.Env(), "sha256Files(paths: string[]): entry " + std::to_string(i) + " is not a string");
    paths.push_back(v.As<Napi::String>());
  }
  auto* w = new Sha256FilesWorker(info.Env(), std::move(paths));
  Napi::Promise p = w->promise();
  w->Queue();
  return p;
}

// sha256(bytes) → hex, on the calling thread (sha256.cpp): what node:crypto's createHash computes, without loading it
Napi::Value sha256Js(const Napi::CallbackInfo& info) {
  if (info.Length() < 1 || !info[0].IsTypedArray()) throw Napi::TypeError::New(info.Env(), "sha256(data: Uint8Array)");
  Napi::Uint8Array data = info[0].As<Napi::Uint8Array>();
  return Napi::String::New(info.Env(), zk::sha256Hex(data.Data(), data.ByteLength()));
}

// A whole file mapped read-only (docs/network.md "CLI start-up", round 10): no read into fresh pages, no copy. The
// callers' files are replaced by rename, never rewritten in place, so a mapping always sees one whole version.
struct Mapping {
  char* data = nullptr;
  size_t size = 0;
};

Mapping mapWholeFile(Napi::Env env, const std::string& path) {
  int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  struct stat st;
  Mapping m;
  int err = 0;
  if (fd < 0) err = errno;
  else if (fstat(fd, &st) != 0) err = errno;
  else if (st.st_size > 0) {
    m.size = (size_t)st.st_size;
    // private and writable: a write (none is made) would copy the page, never reach the file or fault
    void* p = mmap(nullptr, m.size, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
    if (p == MAP_FAILED) err = errno; else m.data = static_cast<char*>(p);
  }
  if (fd >= 0) close(fd);
  if (err != 0) {
    Napi::Error e = Napi::Error::New(env, "cannot map " + path + ": " + std::strerror(err));
    e.Set("code", Napi::String::New(env, "IO"));
    throw e;
  }
  return m;
}

void unmapFinalizer(napi_env, void* data, void* hint) { munmap(data, reinterpret_cast<size_t>(hint)); }

// mapLatin1(path) → string: the file's bytes as a one-byte (latin1) string that V8 reads from the mapping itself (an
// external string). The compiled script keeps its source for the process's life, so the mapping is never unmapped
// unless V8 copied a short string.
Napi::Value mapLatin1Js(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (info.Length() < 1 || !info[0].IsString()) throw Napi::TypeError::New(env, "mapLatin1(path: string)");
  Mapping m = mapWholeFile(env, info[0].As<Napi::String>());
  if (m.size == 0) return Napi::String::New(env, "");
  napi_value out;
  bool copied = false;
  napi_status s = node_api_create_external_string_latin1(env, m.data, m.size, nullptr, nullptr, &out, &copied);
  if (s != napi_ok || copied) munmap(m.data, m.size);
  NAPI_THROW_IF_FAILED(env, s, Napi::Value());
  return Napi::Value(env, out);
}

// mapFile(path) → ArrayBuffer over the mapped file, unmapped when the buffer is collected
Napi::Value mapFileJs(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (info.Length() < 1 || !info[0].IsString()) throw Napi::TypeError::New(env, "mapFile(path: string)");
  Mapping m = mapWholeFile(env, info[0].As<Napi::String>());
  if (m.size == 0) return Napi::ArrayBuffer::New(env, 0);
  napi_value out;
  napi_status s = napi_create_external_arraybuffer(env, m.data, m.size, unmapFinalizer, reinterpret_cast<void*>(m.size), &out);
  if (s != napi_ok) munmap(m.data, m.size);
  NAPI_THROW_IF_FAILED(env, s, Napi::Value());
  return Napi::Value(env, out);
}

void giveBlockFinalizer(napi_env, void* data, void* hint) { hugeblocks::give({data, reinterpret_cast<size_t>(hint)}); }

// hugeBuffer(bytes) → a zeroed ArrayBuffer in whole 2 MB huge pages (a mapped.hpp hugeblocks block, back in the pool
// when collected): a witness written there takes one page fault per 2 MB instead of one per 4 KB (the staking LSTM's
// 700 kB: ≈ 2 ms of faults in a fresh process on the bench VM; docs/native-prover.md "Page faults of a fresh process")
Napi::Value hugeBufferJs(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (info.Length() < 1 || !info[0].IsNumber()) throw Napi::TypeError::New(env, "hugeBuffer(bytes: number)");
  const double n = info[0].As<Napi::Number>().DoubleValue();
  if (!(n >= 1 && n <= 1e12) || n != (double)(size_t)n) throw Napi::RangeError::New(env, "hugeBuffer: bytes must be a whole number from 1 to 10^12");
  hugeblocks::Block b = hugeblocks::take((size_t)n, true);
  napi_value out;
  napi_status s = napi_create_external_arraybuffer(env, b.p, (size_t)n, giveBlockFinalizer, reinterpret_cast<void*>(b.len), &out);
  if (s != napi_ok) hugeblocks::give(b);
  NAPI_THROW_IF_FAILED(env, s, Napi::Value());
  return Napi::Value(env, out);
}

class ProvingKey : public Napi::ObjectWrap<ProvingKey> {
 public:
  static Napi::Function define(Napi::Env env) {
    return DefineClass(env, "ProvingKey",
                       {InstanceMethod("load", &ProvingKey::load), InstanceMethod("prove", &ProvingKey::proveJs),
                        InstanceMethod("proveBatch", &ProvingKey::proveBatchJs),
                        InstanceMethod("close", &ProvingKey::close), InstanceMethod("info", &ProvingKey::info)});
  }
  explicit ProvingKey(const Napi::CallbackInfo& info) : Napi::ObjectWrap<ProvingKey>(info) {}

 private:
  std::shared_ptr<KeyState> state_;

  Napi::Value load(const Napi::CallbackInfo& info) {
    if (info.Length() < 1 || !info[0].IsString()) throw Napi::TypeError::New(info.Env(), "load(path: string, options?)");
    KeyLoadOptions opt = keyOptionsFromEnv();
    if (info.Length() > 1 && info[1].IsObject()) {
      Napi::Object o = info[1].As<Napi::Object>();
      if (o.Has("precompute") && o.Get("precompute").IsNumber()) opt.t = o.Get("precompute").As<Napi::Number>().Int32Value();
      if (o.Has("cache") && o.Get("cache").IsBoolean()) opt.useCache = o.Get("cache").As<Napi::Boolean>().Value();
      if (o.Has("releasePages") && o.Get("releasePages").IsBoolean()) opt.releasePages = o.Get("releasePages").As<Napi::Boolean>().Value();
      if (o.Has("copyUpTo") && o.Get("copyUpTo").IsNumber()) {
        const double c = o.Get("copyUpTo").As<Napi::Number>().DoubleValue();
        if (!(c >= 0)) throw Napi::RangeError::New(info.Env(), "copyUpTo must be a number of bytes (0 or more)");
        opt.copyUpTo = c >= 9e15 ? SIZE_MAX : (size_t)c;
      }
    }
    if (opt.t < 1 || opt.t > 8) throw Napi::RangeError::New(info.Env(), "precompute must be an integer from 1 to 8");
    auto* w = new LoadWorker(info.Env(), info[0].As<Napi::String>(), opt, &state_);
    Napi::Promise p = w->promise();
    w->Queue();
    return p;
  }
  Napi::Value proveJs(const Napi::CallbackInfo& info) {
    if (!state_) throw Napi::Error::New(info.Env(), "proving key is not loaded (or was closed)");
    if (info.Length() < 1 || !info[0].IsTypedArray()) throw Napi::TypeError::New(info.Env(), "prove(wtns: Uint8Array)");
    Napi::Uint8Array buf = info[0].As<Napi::Uint8Array>();
    auto* w = new ProveWorker(info.Env(), state_, buf.Data(), buf.ByteLength());
    Napi::Promise p = w->promise();
    w->Queue();
    return p;
  }
  Napi::Value proveBatchJs(const Napi::CallbackInfo& info) {
    if (!state_) throw Napi::Error::New(info.Env(), "proving key is not loaded (or was closed)");
    if (info.Length() < 1 || !info[0].IsArray()) throw Napi::TypeError::New(info.Env(), "proveBatch(wtns: Uint8Array[])");
    Napi::Array arr = info[0].As<Napi::Array>();
    std::vector<std::vector<uint8_t>> wtns;
    for (uint32_t i = 0; i < arr.Length(); i++) {
      Napi::Value v = arr.Get(i);
      if (!v.IsTypedArray()) throw Napi::TypeError::New(info.Env(), "proveBatch(wtns: Uint8Array[]): entry " + std::to_string(i) + " is not a Uint8Array");
      Napi::Uint8Array buf = v.As<Napi::Uint8Array>();
      wtns.emplace_back(buf.Data(), buf.Data() + buf.ByteLength());
    }
    auto* w = new BatchWorker(info.Env(), state_, std::move(wtns));
    Napi::Promise p = w->promise();
    w->Queue();
    return p;
  }
  Napi::Value close(const Napi::CallbackInfo& info) {
    state_.reset();  // freed now, or when the last in-flight proof finishes
    return info.Env().Undefined();
  }
  Napi::Value info(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    if (!state_) return env.Null();
    Napi::Object o = Napi::Object::New(env);
    const Zkey& z = *state_->key;
    o.Set("nVars", z.nVars);
    o.Set("nPublic", z.nPublic);
    o.Set("domainSize", z.domainSize);
    o.Set("bytes", (double)z.bytes());
    o.Set("precompute", z.t);
    o.Set("cacheHit", state_->load.cacheHit);
    o.Set("cacheWritten", state_->load.cacheWritten);
    o.Set("hashed", state_->load.hashed);
    o.Set("copied", state_->load.copied);
    o.Set("loadMs", state_->load.ms);
    o.Set("sidecar", state_->load.sidecar);
    return o;
  }
};

Napi::Object init(Napi::Env env, Napi::Object exports) {
  exports.Set("ProvingKey", ProvingKey::define(env));
  exports.Set("fixedBaseMul", Napi::Function::New(env, fixedBaseMulJs));
  exports.Set("witnessTape", Napi::Function::New(env, witnessTapeJs));
  exports.Set("sha256File", Napi::Function::New(env, sha256FileJs));
  exports.Set("sha256", Napi::Function::New(env, sha256Js));
  exports.Set("sha256Files", Napi::Function::New(env, sha256FilesJs));
  exports.Set("mapLatin1", Napi::Function::New(env, mapLatin1Js));
  exports.Set("mapFile", Napi::Function::New(env, mapFileJs));
  exports.Set("hugeBuffer", Napi::Function::New(env, hugeBufferJs));
  exports.Set("threads", Napi::Number::New(env, workerThreads()));
  return exports;
}

}  // namespace

NODE_API_MODULE(zkinfer_prover, init)
