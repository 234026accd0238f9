/* Lists of numbers in the search files, as generator/publish/search.py's number_text writes them:
 * base-64 digits (URL-safe base64's alphabet), five bits a digit, lowest first, the sixth bit set on
 * every digit of a number but its last. */

const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
const VALUES = new Int8Array(128).fill(-1);
for (let v = 0; v < ALPHABET.length; v++) VALUES[ALPHABET.charCodeAt(v)] = v;

export function textNumbers(text) {
  const numbers = [];
  for (let i = 0, value = 0, shift = 0; i < text.length; i++) {
    const bits = VALUES[text.charCodeAt(i)];
    if (bits < 0) throw new Error("search index: " + JSON.stringify(text[i]) + " is not a digit");
    value += (bits & 31) * 2 ** shift;
    if (bits & 32) {
      shift += 5;
    } else {
      numbers.push(value);
      value = 0;
      shift = 0;
    }
  }
  return numbers;
}
