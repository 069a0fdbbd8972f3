{
  "targets": [
    {
      "target_name": "zkinfer_prover",
      "sources": [
        "src/addon.cpp",
        "src/field.cpp",
        "src/curve.cpp",
        "src/fft.cpp",
        "src/msm.cpp",
        "src/zkey.cpp",
        "src/keycache.cpp",
        "src/groth16.cpp",
        "src/setup.cpp",
        "src/witness.cpp",
        "src/sha256.cpp"
      ],
      "include_dirs": ["<!(node -p \"require('node-addon-api').include_dir\")"],
      "defines": ["NAPI_VERSION=8", "NODE_ADDON_API_CPP_EXCEPTIONS"],
      "cflags!": ["-fno-exceptions", "-O2", "-O0"],
      "cflags_cc!": ["-fno-exceptions", "-fno-rtti", "-O2", "-O0"],
      "cflags_cc": ["-std=c++17", "-O3", "-fexceptions", "-Wall", "-Wno-unused-function"],
      "ldflags": ["-pthread"]
    }
  ]
}
