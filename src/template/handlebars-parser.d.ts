// The types of the one module of Handlebars that paxflow loads: its parser, without the compiler, the
// runtime and the source-map package that its main module brings (src/template/handlebars.ts).
declare module 'handlebars/dist/cjs/handlebars/compiler/base.js' {
  /** Parses a template and applies whitespace control (`{{~`), as `Handlebars.parse` does. */
  export function parse(input: string): unknown;
  /** The generated parser; its lexer still holds the last token after a syntax error. */
  export const parser: { lexer?: { yylloc?: { first_line?: number; first_column?: number } } };
}
