// Prover worker thread entry: the web-worker shim must load before anything imports ffjavascript.
import './web-worker-shim.js';

await import('./worker-main.js');
