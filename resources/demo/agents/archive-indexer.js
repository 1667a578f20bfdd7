// Indexes every word of every archived document, in memory, with no bound: the sandbox's
// memory cap stops it before it can hurt anything else.
export default async function buildIndex(task, warden) {
  const index = new Map();
  for (let doc = 0; ; doc++) {
    for (let word = 0; word < 1000; word++) {
      const key = `doc-${doc}-word-${word}-${'x'.repeat(64)}`;
      index.set(key, { doc, word, positions: [doc, word, doc * word] });
    }
    if (doc % 100 === 0) warden.log.debug(`indexed ${doc} documents`);
  }
}
