/**
 * A small LSP client for tests: it starts the real yaml-language-server over stdio (as VS Code's YAML
 * extension does), frames JSON-RPC messages with Content-Length headers, answers the server's own
 * requests (configuration, registrations) and bounds every wait, so a broken server fails a test rather
 * than hanging it.
 */

import { spawn } from 'node:child_process';
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';

/** Longest wait for one answer; generous, since it only bounds a broken or hung server. */
const WAIT_MS = 20_000;

export interface Position {
  line: number;
  character: number;
}

export interface Diagnostic {
  range: { start: Position; end: Position };
  message: string;
  severity?: number;
  source?: string;
}

export interface CompletionItem {
  label: string;
  kind?: number;
  detail?: string;
  documentation?: string | { kind: string; value: string };
  insertText?: string;
  textEdit?: { newText: string };
}

interface Message {
  jsonrpc: '2.0';
  id?: number | string;
  method?: string;
  params?: unknown;
  result?: unknown;
  error?: { code: number; message: string };
}

const serverBin = (): string => {
  const require = createRequire(import.meta.url);
  return join(dirname(require.resolve('yaml-language-server/package.json')), 'bin', 'yaml-language-server');
};

/** Text of a completion item's or hover's documentation, whichever form the server sent. */
export const docText = (documentation: CompletionItem['documentation']): string =>
  typeof documentation === 'string' ? documentation : (documentation?.value ?? '');

export class LanguageServer {
  private readonly child: ChildProcessWithoutNullStreams;
  private buffer = Buffer.alloc(0);
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();
  private readonly diagnosticWaiters = new Map<string, (diagnostics: Diagnostic[]) => void>();
  private readonly published = new Map<string, Diagnostic[]>();
  private configured!: Promise<void>;
  private stderr = '';
  private documents = 0;

  /**
   * @param settings the `yaml` settings section the server pulls (yaml.schemas and the like)
   */
  private constructor(private readonly settings: Record<string, unknown>) {
    this.child = spawn(process.execPath, [serverBin(), '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'] });
    this.child.stdout.on('data', (chunk: Buffer) => this.receive(chunk));
    this.child.stderr.on('data', (chunk: Buffer) => void (this.stderr += chunk.toString()));
    this.child.on('exit', (code) => {
      for (const { reject } of this.pending.values()) reject(new Error(`yaml-language-server exited (${String(code)}): ${this.stderr.slice(0, 500)}`));
      this.pending.clear();
    });
  }

  /** Starts the server, initializes it with `settings` as its `yaml` section, and waits until it read them. */
  static async start(rootPath: string, settings: Record<string, unknown>): Promise<LanguageServer> {
    const server = new LanguageServer(settings);
    let markConfigured!: () => void;
    server.configured = new Promise((resolve) => (markConfigured = resolve));
    server.onConfigured = markConfigured;
    await server.request('initialize', {
      processId: process.pid,
      rootUri: pathToFileURL(rootPath).href,
      capabilities: {
        workspace: { configuration: true, didChangeConfiguration: { dynamicRegistration: true } },
        textDocument: {
          completion: { completionItem: { snippetSupport: true, documentationFormat: ['markdown', 'plaintext'] } },
          hover: { contentFormat: ['markdown', 'plaintext'] },
          publishDiagnostics: {},
        },
      },
    });
    server.notify('initialized', {});
    await server.bounded(server.configured, 'the server to pull its configuration');
    return server;
  }

  private onConfigured: () => void = () => {};

  private bounded<T>(promise: Promise<T>, what: string): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`gave up waiting ${WAIT_MS} ms for ${what}; server stderr: ${this.stderr.slice(0, 500)}`)), WAIT_MS);
    });
    return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
  }

  private send(message: Message): void {
    const body = Buffer.from(JSON.stringify(message), 'utf8');
    this.child.stdin.write(`Content-Length: ${body.length}\r\n\r\n`);
    this.child.stdin.write(body);
  }

  private receive(chunk: Buffer): void {
    this.buffer = Buffer.concat([this.buffer, chunk]);
    for (;;) {
      const headerEnd = this.buffer.indexOf('\r\n\r\n');
      if (headerEnd < 0) return;
      const length = Number(/Content-Length: (\d+)/i.exec(this.buffer.subarray(0, headerEnd).toString('ascii'))?.[1]);
      if (!Number.isInteger(length)) throw new Error('yaml-language-server sent a message without Content-Length');
      const start = headerEnd + 4;
      if (this.buffer.length < start + length) return;
      const message = JSON.parse(this.buffer.subarray(start, start + length).toString('utf8')) as Message;
      this.buffer = this.buffer.subarray(start + length);
      this.dispatch(message);
    }
  }

  private dispatch(message: Message): void {
    if (message.method === undefined && typeof message.id === 'number') {
      const waiter = this.pending.get(message.id);
      this.pending.delete(message.id);
      if (message.error) waiter?.reject(new Error(`LSP error ${message.error.code}: ${message.error.message}`));
      else waiter?.resolve(message.result);
      return;
    }
    if (message.method === 'workspace/configuration' && message.id !== undefined) {
      const items = (message.params as { items: Array<{ section?: string }> }).items;
      this.send({ jsonrpc: '2.0', id: message.id, result: items.map(({ section }) => (section === 'yaml' ? this.settings : null)) });
      this.onConfigured();
      return;
    }
    if (message.id !== undefined && message.method !== undefined) {
      // client/registerCapability, window/workDoneProgress/create and the like: accept them.
      this.send({ jsonrpc: '2.0', id: message.id, result: null });
      return;
    }
    if (message.method === 'textDocument/publishDiagnostics') {
      const { uri, diagnostics } = message.params as { uri: string; diagnostics: Diagnostic[] };
      this.published.set(uri, diagnostics);
      this.diagnosticWaiters.get(uri)?.(diagnostics);
    }
  }

  request<T = unknown>(method: string, params: unknown): Promise<T> {
    const id = this.nextId++;
    const answer = new Promise<T>((resolve, reject) => this.pending.set(id, { resolve: resolve as (value: unknown) => void, reject }));
    this.send({ jsonrpc: '2.0', id, method, params });
    return this.bounded(answer, `the answer to ${method}`);
  }

  notify(method: string, params: unknown): void {
    this.send({ jsonrpc: '2.0', method, params });
  }

  /**
   * Opens `text` as a document next to `path` (a file path; it need not exist, but a relative schema
   * comment is resolved from its folder) and returns its URI. Completion and hover need no wait; the
   * diagnostics come about 200 ms later (the server's validation delay): see `diagnostics`.
   */
  open(path: string, text: string): string {
    // A fresh URI per document: the server publishes diagnostics per URI, so each wait is for its own.
    const uri = pathToFileURL(path.replace(/(\.ya?ml)?$/, `.${++this.documents}$1`)).href;
    this.notify('textDocument/didOpen', { textDocument: { uri, languageId: 'yaml', version: 1, text } });
    return uri;
  }

  /** The diagnostics the server publishes for the document at `uri` (the first time it does). */
  diagnostics(uri: string): Promise<Diagnostic[]> {
    const published = this.published.get(uri);
    if (published) return Promise.resolve(published);
    return this.bounded(new Promise<Diagnostic[]>((resolve) => this.diagnosticWaiters.set(uri, resolve)), `diagnostics of ${uri}`);
  }

  async completion(uri: string, position: Position): Promise<CompletionItem[]> {
    const result = await this.request<{ items: CompletionItem[] } | CompletionItem[] | null>('textDocument/completion', { textDocument: { uri }, position });
    return Array.isArray(result) ? result : (result?.items ?? []);
  }

  /** The hover text at `position`, or '' when there is none. */
  async hover(uri: string, position: Position): Promise<string> {
    const result = await this.request<{ contents: { value: string } | string } | null>('textDocument/hover', { textDocument: { uri }, position });
    if (result === null) return '';
    return typeof result.contents === 'string' ? result.contents : result.contents.value;
  }

  async close(): Promise<void> {
    if (this.child.exitCode !== null) return;
    const exited = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
    try {
      await this.request('shutdown', null);
      this.notify('exit', null);
      await this.bounded(exited, 'the server to exit');
    } catch {
      this.child.kill();
    }
  }
}

/** The position of the first `marker` in `text` (or of the end of the marker with `after`). */
export const positionOf = (text: string, marker: string, after = false): Position => {
  const index = text.indexOf(marker);
  if (index < 0) throw new Error(`marker ${JSON.stringify(marker)} is not in the text`);
  const offset = index + (after ? marker.length : 0);
  const before = text.slice(0, offset).split('\n');
  return { line: before.length - 1, character: before[before.length - 1]!.length };
};
