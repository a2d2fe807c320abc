import ora, { type Ora } from 'ora';

/** What the user sees while a run goes on. One implementation per output style, chosen once. */
export interface Progress {
  start(text: string): void;
  succeed(text: string): void;
  fail(text: string): void;
  info(text: string): void;
  warn(text: string): void;
  debug(text: string): void;
  /** Stops any spinner; used before the final line and on interruption. */
  stop(): void;
}

export type Verbosity = 'quiet' | 'normal' | 'verbose';

export interface ProgressOptions {
  readonly stream: NodeJS.WriteStream;
  readonly env: NodeJS.ProcessEnv;
  readonly verbosity: Verbosity;
  readonly clock?: () => Date;
}

/** Spinners on an interactive terminal; plain timestamped lines when not a TTY or when `CI` is set. */
export function createProgress(options: ProgressOptions): Progress {
  const interactive = Boolean(options.stream.isTTY) && options.env.TERM !== 'dumb' && !('CI' in options.env);
  if (interactive) return new SpinnerProgress(options);
  return new LineProgress(options);
}

class LineProgress implements Progress {
  constructor(private readonly options: ProgressOptions) {}

  start(text: string): void {
    this.line('…', text);
  }
  succeed(text: string): void {
    this.line('ok', text);
  }
  fail(text: string): void {
    this.line('FAIL', text, true);
  }
  info(text: string): void {
    this.line('info', text);
  }
  warn(text: string): void {
    this.line('warn', text, true);
  }
  debug(text: string): void {
    if (this.options.verbosity === 'verbose') this.line('debug', text);
  }
  stop(): void {}

  private line(tag: string, text: string, important = false): void {
    if (this.options.verbosity === 'quiet' && !important) return;
    const now = (this.options.clock ?? (() => new Date()))().toISOString();
    this.options.stream.write(`[${now}] ${tag.padEnd(4)} ${text}\n`);
  }
}

class SpinnerProgress implements Progress {
  private spinner: Ora | null = null;

  constructor(private readonly options: ProgressOptions) {}

  start(text: string): void {
    if (this.options.verbosity === 'quiet') return;
    this.spinner?.stop();
    this.spinner = ora({ text, stream: this.options.stream }).start();
  }
  succeed(text: string): void {
    this.finish('succeed', text);
  }
  fail(text: string): void {
    this.finish('fail', text);
  }
  info(text: string): void {
    if (this.options.verbosity !== 'quiet') this.finish('info', text);
  }
  warn(text: string): void {
    this.finish('warn', text);
  }
  debug(text: string): void {
    if (this.options.verbosity === 'verbose') this.finish('info', text);
  }
  stop(): void {
    this.spinner?.stop();
    this.spinner = null;
  }

  private finish(kind: 'succeed' | 'fail' | 'info' | 'warn', text: string): void {
    if (this.options.verbosity === 'quiet' && (kind === 'succeed' || kind === 'info')) return;
    const spinner = this.spinner ?? ora({ stream: this.options.stream });
    spinner[kind](text);
    this.spinner = null;
  }
}

/** A Progress that records lines; for tests and for `--json` runs that must keep stdout clean. */
export class RecordingProgress implements Progress {
  readonly lines: string[] = [];
  start(text: string): void {
    this.lines.push(`start ${text}`);
  }
  succeed(text: string): void {
    this.lines.push(`ok ${text}`);
  }
  fail(text: string): void {
    this.lines.push(`fail ${text}`);
  }
  info(text: string): void {
    this.lines.push(`info ${text}`);
  }
  warn(text: string): void {
    this.lines.push(`warn ${text}`);
  }
  debug(text: string): void {
    this.lines.push(`debug ${text}`);
  }
  stop(): void {}
}
