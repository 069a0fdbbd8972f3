#include "curve.hpp"

namespace zk {

bool onCurveG1(const G1Affine& p) {
  if (p.isInf()) return true;
  static const Fq b = Fq::fromU64(3);
  return p.y.sqr() == p.x.sqr() * p.x + b;
}

bool onCurveG2(const G2Affine& p) {
  if (p.isInf()) return true;
  static const Fq2 b = Fq2{Fq::fromU64(3), Fq::zero()} * Fq2{Fq::fromU64(9), Fq::fromU64(1)}.inv();
  return p.y.sqr() == p.x.sqr() * p.x + b;
}

}  // namespace zk
