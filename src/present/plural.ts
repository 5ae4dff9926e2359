/** "1 part", "3 parts": a count and its noun, in the counter's English (`many` for irregular plurals). */
export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}
