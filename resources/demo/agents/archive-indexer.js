// Builds a search index over archived documents, in memory.
// Given a bounded list ({ documents: [{ id, text }], query? }), it indexes every word (lower-case,
// letters and digits) and returns { indexed, words, matches? }: how many documents, how many
// distinct words, and for a query the ids of the documents holding every word of it, in the
// order given. Asked for anything else, such as a whole year of the archive ({ archive: 2019 }),
// it indexes document after document with no bound and keeps everything: the sandbox's memory
// cap stops it before it can hurt anything else.
export default async function buildIndex(task, warden) {
  if (Array.isArray(task?.documents)) return indexDocuments(task.documents, task.query);
  return indexArchive(warden);
}

const wordsOf = (text) =>
  String(text ?? '')
    .toLowerCase()
    .match(/[\p{L}\p{N}]+/gu) ?? [];

function indexDocuments(documents, query) {
  const index = new Map();
  documents.forEach((doc, position) => {
    for (const word of wordsOf(doc?.text)) {
      const holders = index.get(word) ?? new Set();
      holders.add(position);
      index.set(word, holders);
    }
  });
  const result = { indexed: documents.length, words: index.size };
  const wanted = [...new Set(wordsOf(query))];
  if (typeof query === 'string' && query.trim() !== '') {
    result.matches = documents
      .filter((_, position) => wanted.every((word) => index.get(word)?.has(position)))
      .map((doc) => doc.id);
  }
  return result;
}

async function indexArchive(warden) {
  const index = new Map();
  for (let doc = 0; ; doc++) {
    for (let word = 0; word < 1000; word++) {
      const key = `doc-${doc}-word-${word}-${'x'.repeat(64)}`;
      index.set(key, { doc, word, positions: [doc, word, doc * word] });
    }
    if (doc % 100 === 0) warden.log.debug(`indexed ${doc} documents`);
  }
}
