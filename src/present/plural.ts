/** "1 part", "3 parts": a count and its noun, in the counter's English. */
export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}
