/** Whether a quoted scalar's source text ends with its closing quote (not an escaped one). */
const isClosed = (text: string): boolean => {
  if (text.length < 2) return false;
  if (text[0] === '"') {
    if (!text.endsWith('"')) return false;
    let backslashes = 0;
    for (let index = text.length - 2; index > 0 && text[index] === '\\'; index -= 1) backslashes += 1;
    return backslashes % 2 === 0;
  }
  // In single quotes, '' is an escaped quote; what is left ends with the closing one.
  return text.slice(1).replace(/''/g, '').endsWith("'");
};

/**
 * Where the first quoted value that is never closed opens, and its quote, from the lexer's tokens:
 * yaml reports a missing closing quote where the file (or the flow) ends, often many lines later, and
 * the person fixing it needs the line where the quote was opened.
 */
export const unclosedQuote = (lexemes: readonly string[], zeroWidth: ReadonlySet<string>): { offset: number; quote: string } | undefined => {
  let offset = 0;
  for (const token of lexemes) {
    if (zeroWidth.has(token)) continue;
    if ((token[0] === '"' || token[0] === "'") && !isClosed(token)) return { offset, quote: token[0] };
    offset += token.length;
  }
  return undefined;
};
