import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { stepRegistry, findStep } from '../../src/steps/registry.js';
import { docText, LanguageServer, positionOf } from './_lsp.js';
import type { CompletionItem, Diagnostic } from './_lsp.js';

// The published schema in the real yaml-language-server, the one VS Code's YAML extension runs: what an
// author gets while writing a workflow. Documents under test/editor/virtual/ (which need not exist) get
// the schema from the yaml.schemas setting; the files under workflows/ from their own schema comment.
const root = resolve(import.meta.dirname, '../..');
const virtual = (name: string) => join(root, 'test/editor/virtual', name);
const editor = suite('the workflow schema in yaml-language-server');

let server: LanguageServer;

editor.before(async () => {
  server = await LanguageServer.start(root, {
    schemas: { [pathToFileURL(join(root, 'schemas/workflow.schema.json')).href]: 'test/editor/virtual/*.yaml' },
    schemaStore: { enable: false },
    validate: true,
    hover: true,
    completion: true,
  });
});

editor.after(async () => {
  await server?.close();
});

const STEP_KEYS = ['id', 'name', 'uses', 'with', 'if', 'timeout', 'retry', 'continue_on_error', 'expect'];
const workflow = (steps: string) => `version: 1\nname: Editor test\nsteps:\n${steps}`;
/** The server's Markdown escapes (summary\_status) removed, to compare with the plain descriptions. */
const plain = (markdown: string) => markdown.replace(/\\([\\`*_{}[\]<>])/g, '$1');
const describe = (items: CompletionItem[]) => items.map((item) => `${item.label}: ${docText(item.documentation).slice(0, 40)}`).join('\n');
const at = (diagnostics: Diagnostic[]) => diagnostics.map((d) => `${d.range.start.line + 1}:${d.range.start.character + 1} ${d.message}`);
const description = (type: string) => findStep(type)!.description;

editor('completing a top-level key offers the workflow keys, each described', async () => {
  const text = 'version: 1\n\n';
  const uri = server.open(virtual('top.yaml'), text);
  const items = (await server.completion(uri, { line: 1, character: 0 })).filter((item) => item.kind !== 7);
  const expected = ['name', 'description', 'vars', 'secrets', 'redact', 'steps', 'finally', 'matrix', 'inputs', 'outputs'];
  assert.equal(items.map((item) => item.label).sort(), expected.sort(), describe(items));
  for (const item of items) assert.ok(docText(item.documentation).length > 10, `${item.label} has no description`);
});

editor('completing the keys of a new step offers the step keys, each described, and no snippets', async () => {
  const text = workflow('  - id: create\n    \n');
  const uri = server.open(virtual('keys.yaml'), text);
  const items = await server.completion(uri, { line: 4, character: 4 });
  const labels = items.map((item) => item.label);
  assert.equal(new Set(labels).size, labels.length, `a key is offered twice:\n${describe(items)}`);
  // The one extra entry is the server's own skeleton of the required keys (id and uses).
  const keys = items.filter((item) => item.kind !== 7);
  assert.equal(keys.map((item) => item.label).sort(), STEP_KEYS.filter((key) => key !== 'id').sort(), describe(items));
  assert.ok(items.length <= keys.length + 1, describe(items));
  for (const item of keys) assert.ok(docText(item.documentation).length > 10, `${item.label} has no description`);
  assert.match(docText(keys.find((item) => item.label === 'uses')!.documentation), /paxflow steps/);
});

editor('completing uses: offers every step type, each with its own description', async () => {
  const text = workflow('  - id: create\n    uses: \n');
  const uri = server.open(virtual('uses.yaml'), text);
  const items = await server.completion(uri, positionOf(text, 'uses: ', true));
  assert.equal(items.map((item) => item.label).sort(), stepRegistry.map((step) => step.type).sort());
  for (const item of items) assert.is(plain(docText(item.documentation)), description(String(item.label)), String(item.label));
});

editor('completing the keys under with: offers the inputs of the step type named in uses', async () => {
  for (const type of ['createIdentity', 'placeOrder', 'http']) {
    const text = workflow(`  - id: step\n    uses: ${type}\n    with:\n      \n`);
    const uri = server.open(virtual('with.yaml'), text);
    const items = (await server.completion(uri, { line: 6, character: 6 })).filter((item) => item.kind !== 7);
    const inputs = Object.keys(findStep(type)!.input.properties as Record<string, unknown>);
    assert.equal(items.map((item) => item.label).sort(), inputs.sort(), `${type}:\n${describe(items)}`);
    for (const item of items) assert.ok(docText(item.documentation).length > 0, `${type}.with.${item.label} has no description`);
  }
});

editor('completing an enum input offers its values', async () => {
  const text = workflow('  - id: buy\n    uses: placeOrder\n    with:\n      side: \n      type: LIMIT\n');
  const uri = server.open(virtual('enum.yaml'), text);
  const items = await server.completion(uri, positionOf(text, 'side: ', true));
  assert.equal(items.map((item) => item.label).sort(), ['BUY', 'SELL']);
});

editor('hover on uses: X shows the description of X; on with: the input of X', async () => {
  const text = workflow('  - id: approval\n    uses: awaitApproval\n    with:\n      identity_id: "{{steps.identity.id}}"\n');
  const uri = server.open(virtual('hover.yaml'), text);
  assert.equal(at(await server.diagnostics(uri)), []);
  const hover = plain(await server.hover(uri, positionOf(text, 'awaitApproval')));
  assert.ok(hover.startsWith(description('awaitApproval')), hover);
  assert.not.match(hover, /Allowed Values|paxflow steps/);
  assert.ok(plain(await server.hover(uri, positionOf(text, 'uses:'))).startsWith(description('awaitApproval')), 'hover on the key');
  const input = findStep('awaitApproval')!.input.description;
  const withHover = plain(await server.hover(uri, positionOf(text, 'with:')));
  assert.ok(withHover.startsWith(typeof input === 'string' ? input : 'Input of awaitApproval: '), withHover);
});

editor('hover on a field whose value is a template shows the description of the field', async () => {
  const text = workflow('  - id: approval\n    uses: awaitApproval\n    with:\n      identity_id: "{{steps.identity.id}}"\n      until: "{{vars.status}}"\n');
  const uri = server.open(virtual('template.yaml'), text);
  const inputs = findStep('awaitApproval')!.input.properties as Record<string, { description: string }>;
  for (const field of ['identity_id', 'until']) {
    for (const where of [positionOf(text, `${field}:`), positionOf(text, `${field}: "`, true)]) {
      const hover = plain(await server.hover(uri, where));
      assert.ok(hover.startsWith(inputs[field]!.description), `${field}: ${hover}`);
      assert.not.match(hover, /template/i, field);
    }
  }
});

editor('a misspelt step type gets one error, which names the nearest step type, and none about its input', async () => {
  const text = workflow('  - id: identity\n    uses: createIdentiy\n    with:\n      ref_id: "{{run.id}}"\n      no_such_field: true\n      person_details: 42\n');
  const uri = server.open(virtual('typo.yaml'), text);
  const diagnostics = await server.diagnostics(uri);
  assert.equal(at(diagnostics).length, 1, at(diagnostics).join('\n'));
  assert.equal(diagnostics[0]!.range.start, positionOf(text, 'createIdentiy'));
  assert.match(diagnostics[0]!.message, /did you mean createIdentity\?/);
  const actions = await server.request<Array<{ title: string }>>('textDocument/codeAction', { textDocument: { uri }, range: diagnostics[0]!.range, context: { diagnostics } });
  assert.equal(actions.map((action) => action.title), ['createIdentity'], 'the quick fix offers the nearest step type');

  const far = workflow('  - id: thing\n    uses: frobnicate\n    with: { path: 1 }\n');
  const farOff = await server.diagnostics(server.open(virtual('unknown.yaml'), far));
  assert.equal(farOff.length, 1, at(farOff).join('\n'));
  assert.match(farOff[0]!.message, /^Not a step type\. The step types are http, assert, /);
});

editor('a playbook call is never flagged as a step type', async () => {
  const text = workflow(
    '  - id: onboard\n    uses: ./playbooks/onboard-person.yaml\n    with:\n      kind: person\n      anything: "{{vars.x}}"\n  - id: up\n    uses: ../common/x.yml\n',
  );
  const diagnostics = await server.diagnostics(server.open(virtual('call.yaml'), text));
  assert.equal(at(diagnostics), []);
});

editor('a wrong value gets one readable message, never a raw regex', async () => {
  const text = workflow('  - id: Create-Identity\n    uses: http\n    timeout: soon\n    with:\n      path: markets\n      method: GTE\n      expect_status: often\n');
  const diagnostics = await server.diagnostics(server.open(virtual('messages.yaml'), text));
  const messages = at(diagnostics);
  assert.equal(messages.length, 5, messages.join('\n'));
  assert.ok(messages.every((message) => !/\^|\$"|\\\\/.test(message)), messages.join('\n'));
  assert.match(messages.join('\n'), /4:9 Must be lower-case letters/);
  assert.match(messages.join('\n'), /6:14 Must be a duration such as 500ms/);
  assert.match(messages.join('\n'), /8:13 Must start with \//);
});

const yamlFiles = (folder: string): string[] =>
  readdirSync(folder, { withFileTypes: true }).flatMap((entry) => {
    const path = join(folder, entry.name);
    if (entry.isDirectory()) return yamlFiles(path);
    return /\.ya?ml$/.test(entry.name) ? [path] : [];
  });

editor('every workflow under workflows/ opens through its schema comment with no diagnostic', async () => {
  const files = yamlFiles(join(root, 'workflows'));
  assert.ok(files.length >= 15, `found ${files.length}`);
  const opened = await Promise.all(files.map(async (file) => ({ file, diagnostics: await server.diagnostics(server.open(file, readFileSync(file, 'utf8'))) })));
  for (const { file, diagnostics } of opened) assert.equal(at(diagnostics), [], relative(root, file));
  // The comment really selects the schema: the same text with a misspelt step type is flagged.
  const file = join(root, 'workflows/onboard-and-trade.yaml');
  const diagnostics = await server.diagnostics(server.open(file, readFileSync(file, 'utf8').replace('uses: createIdentity', 'uses: createIdentiy')));
  assert.is(diagnostics.length, 1);
});

editor.run();
