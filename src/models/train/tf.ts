/** tfjs, loaded lazily (it is large) on its pure-JS CPU backend, without the "install tfjs-node" banner. */
export type Tf = typeof import('@tensorflow/tfjs');

let loaded: Promise<Tf> | undefined;

export function loadTf(): Promise<Tf> {
  loaded ??= (async () => {
    const tf = await import('@tensorflow/tfjs');
    tf.enableProdMode(); // silences the Node.js banner; tfjs skips its debug-only checks
    await tf.setBackend('cpu');
    await tf.ready();
    return tf;
  })();
  return loaded;
}
