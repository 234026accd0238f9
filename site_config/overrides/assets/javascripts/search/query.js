/* Query words, read as lunr reads text: its tokenizer, trimmer and stop words; each word with its stem,
 * as the index holds it. lunr.js is a classic script loaded before this module. */

export function queryWords(text) {
  return lunr.tokenizer(text).map((token) => {
    const word = lunr.trimmer(token);
    if (!word || !lunr.stopWordFilter(word)) return null;
    const plain = word.toString();
    return plain ? { word: plain, stem: lunr.stemmer(word.clone()).toString() } : null;
  }).filter(Boolean);
}

/* The last word is also searched as a prefix while it is being typed (three letters or more). */
export function isPrefix(words, i) {
  return i === words.length - 1 && words[i].word.length >= 3;
}

/* How many of the query's space-separated words hold a word that counts: "pre-trained language models"
 * is three, as a reader counts, though lunr reads four. */
export function spokenWords(text) {
  return text.split(/\s+/).filter((part) => queryWords(part).length > 0).length;
}
