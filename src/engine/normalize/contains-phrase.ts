/**
 * Whether normalised `text` holds `phrase` as whole words: `(' ' + text + ' ').includes(' ' + phrase + ' ')`
 * without building either padded string, which on every mention and every alias or crisis term was
 * garbage for nothing. Normalised texts have single spaces and no space at either end.
 */
export function containsPhrase(text: string, phrase: string): boolean {
  // The padded empty phrase is two spaces, which only the padded empty text contains.
  if (phrase === '') return text === '';
  const end = text.length - phrase.length;
  for (let at = text.indexOf(phrase); at !== -1; at = at < end ? text.indexOf(phrase, at + 1) : -1) {
    if ((at === 0 || text.charCodeAt(at - 1) === 32) && (at === end || text.charCodeAt(at + phrase.length) === 32)) return true;
  }
  return false;
}
