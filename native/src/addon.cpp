// Node binding: ProvingKey objects that load a snarkjs .zkey once and prove from .wtns bytes off the JS thread.
#include <napi.h>

#include <fstream>
#include <memory>
#include <new>
#include <cstring>
#include <vector>

#include "groth16.hpp"
#include "setup.hpp"

namespace {

using namespace zk;

struct KeyState {
  Zkey zkey;
  Domain domain;
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
  LoadWorker(Napi::Env env, std::string path, std::shared_ptr<KeyState>* slot)
      : PromiseWorker(env, "ZKEY_INVALID"), path_(std::move(path)), slot_(slot) {}

 protected:
  void run() override {
    std::ifstream in(path_, std::ios::binary | std::ios::ate);
    if (!in) throw std::runtime_error("cannot open zkey file " + path_);
    std::streamsize size = in.tellg();
    in.seekg(0);
    std::vector<uint8_t> bytes((size_t)size);
    if (!in.read(reinterpret_cast<char*>(bytes.data()), size)) throw std::runtime_error("cannot read zkey file " + path_);
    auto st = std::make_shared<KeyState>();
    st->zkey = parseZkey(bytes.data(), bytes.size());
    std::vector<uint8_t>().swap(bytes);
    st->domain = makeDomain(st->zkey.power);
    loaded_ = st;
  }
  void OnOK() override {
    *slot_ = loaded_;
    PromiseWorker::OnOK();
  }
  Napi::Value result(Napi::Env env) override { return env.Undefined(); }

 private:
  std::string path_;
  std::shared_ptr<KeyState>* slot_;  // owned by the ProvingKey, which the JS side keeps alive while loading
  std::shared_ptr<KeyState> loaded_;
};

Napi::Array strArray(Napi::Env env, const std::string* s, size_t n) {
  Napi::Array a = Napi::Array::New(env, n);
  for (size_t i = 0; i < n; i++) a.Set((uint32_t)i, Napi::String::New(env, s[i]));
  return a;
}

class ProveWorker : public PromiseWorker {
 public:
  ProveWorker(Napi::Env env, std::shared_ptr<KeyState> st, const uint8_t* wtns, size_t len)
      : PromiseWorker(env, "WITNESS_INVALID"), st_(std::move(st)), wtns_(wtns, wtns + len) {}

 protected:
  void run() override {
    std::vector<uint64_t> w = parseWtns(wtns_.data(), wtns_.size());
    std::vector<uint8_t>().swap(wtns_);
    proof_ = prove(st_->zkey, st_->domain, w, &timings_);
    st_.reset();
  }
  Napi::Value result(Napi::Env env) override {
    Napi::Object o = Napi::Object::New(env);
    std::string one[1] = {"1"};
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
    o.Set("timings", t);
    return o;
  }

 private:
  std::shared_ptr<KeyState> st_;
  std::vector<uint8_t> wtns_;
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

class ProvingKey : public Napi::ObjectWrap<ProvingKey> {
 public:
  static Napi::Function define(Napi::Env env) {
    return DefineClass(env, "ProvingKey",
                       {InstanceMethod("load", &ProvingKey::load), InstanceMethod("prove", &ProvingKey::proveJs),
                        InstanceMethod("close", &ProvingKey::close), InstanceMethod("info", &ProvingKey::info)});
  }
  explicit ProvingKey(const Napi::CallbackInfo& info) : Napi::ObjectWrap<ProvingKey>(info) {}

 private:
  std::shared_ptr<KeyState> state_;

  Napi::Value load(const Napi::CallbackInfo& info) {
    if (info.Length() < 1 || !info[0].IsString()) throw Napi::TypeError::New(info.Env(), "load(path: string)");
    auto* w = new LoadWorker(info.Env(), info[0].As<Napi::String>(), &state_);
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
  Napi::Value close(const Napi::CallbackInfo& info) {
    state_.reset();  // freed now, or when the last in-flight proof finishes
    return info.Env().Undefined();
  }
  Napi::Value info(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    if (!state_) return env.Null();
    Napi::Object o = Napi::Object::New(env);
    o.Set("nVars", state_->zkey.nVars);
    o.Set("nPublic", state_->zkey.nPublic);
    o.Set("domainSize", state_->zkey.domainSize);
    o.Set("bytes", (double)state_->zkey.bytes());
    return o;
  }
};

Napi::Object init(Napi::Env env, Napi::Object exports) {
  exports.Set("ProvingKey", ProvingKey::define(env));
  exports.Set("fixedBaseMul", Napi::Function::New(env, fixedBaseMulJs));
  exports.Set("threads", Napi::Number::New(env, workerThreads()));
  return exports;
}

}  // namespace

NODE_API_MODULE(zkinfer_prover, init)
