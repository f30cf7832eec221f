/** Handlebars' parser module, loaded on first use. */
export declare function loadParser(): {
  /** Parses a template and applies whitespace control (`{{~`), as `Handlebars.parse` does. */
  parse(input: string): unknown;
  /** The generated parser; its lexer still holds the last token after a syntax error. */
  parser: { lexer?: { yylloc?: { first_line?: number; first_column?: number } } };
};
