import type { Analysis, CommandFact, Finding, StdinSource, WriteFact } from './facts.js';
import type { Field } from './fields.js';
import { parseShell } from './parse.js';
import { DOWNLOADERS } from './program-kinds.js';
import { applyRedirects } from './redirects.js';
import type { ShNode, ShRedirect, ShScript, ShWord } from './shell-ast.js';
import { ShellState, type VarValue } from './shell-state.js';
import { walkSimpleCommand } from './simple-command.js';
import { loopValues, nestedScripts, positionalOf } from './walk-values.js';

/**
 * Walks a parsed command line like bash would run it, without running it: every simple command (also those
 * inside substitutions, functions, `bash -c`/`eval` strings and wrappers) becomes a fact, with its arguments
 * expanded against the variable values and working directory tracked so far. Branches and loops are joined
 * conservatively. Work is bounded: too many steps or too deep an embedding fails closed.
 */
export interface Frame {
  /** The current shell's state (mutated in place by commands that change it). */
  readonly state: ShellState;
  readonly stdin: StdinSource;
  /** Embedding depth: `bash -c` strings, `eval`, function calls. */
  readonly depth: number;
  readonly remoteHost: boolean;
  readonly inPipeline: boolean;
  readonly background: boolean;
  readonly callStack: readonly string[];
}

export interface SubstitutionInfo {
  readonly tainted: boolean;
  readonly remote: boolean;
}

/** `bash -c` inside `eval` inside a function …: deeper than this is refused. */
export const MAX_EMBEDDING = 12;
/** Nodes and commands visited per line, loops and function calls included. */
export const MAX_STEPS = 4000;

export class TooComplex extends Error {}

export interface AnalyzeOptions {
  /** Absolute directory the line runs in (null: unknown). */
  readonly cwd: string | null;
  readonly home: string | null;
}

export function analyzeScript(script: ShScript, options: AnalyzeOptions): Analysis {
  const walker = new Walker();
  const state = new ShellState({ cwd: options.cwd, home: options.home });
  const frame: Frame = { state, stdin: { kind: 'none' }, depth: 0, remoteHost: false, inPipeline: false, background: false, callStack: [] };
  try {
    walker.walkScript(script, frame);
    walker.runDeferred(frame);
  } catch (error) {
    if (!(error instanceof TooComplex)) throw error;
    walker.findings.push({ rule: 'unparseable:too-complex', reason: `the command line needs more than ${MAX_STEPS} steps to judge` });
  }
  return { commands: walker.commands, writes: walker.writes, findings: walker.findings };
}

export class Walker {
  readonly commands: CommandFact[] = [];
  readonly writes: WriteFact[] = [];
  readonly findings: Finding[] = [];
  private steps = 0;
  /** `trap 'cmd' EXIT` bodies: run at the end, with the state the line leaves. */
  private readonly deferred: Field[] = [];

  tick(): void {
    this.steps += 1;
    if (this.steps > MAX_STEPS) throw new TooComplex();
  }

  find(rule: string, reason: string): void {
    if (!this.findings.some((finding) => finding.rule === rule && finding.reason === reason)) this.findings.push({ rule, reason });
  }

  defer(script: Field): void {
    this.deferred.push(script);
  }

  runDeferred(frame: Frame): void {
    for (let index = 0; index < this.deferred.length; index += 1) {
      this.walkEmbedded(this.deferred[index]!, frame, { label: 'trap', sameShell: true });
    }
  }

  walkScript(script: ShScript, frame: Frame): void {
    this.walkNode(script.body, frame);
  }

  walkNode(node: ShNode, frame: Frame): void {
    this.tick();
    switch (node.type) {
      case 'command':
        return walkSimpleCommand(this, node, frame);
      case 'list':
        node.items.forEach((item, index) => {
          frame.state.settleFailure();
          if (item.background) this.walkNode(item.node, { ...frame, state: frame.state.clone(), background: true });
          else this.walkNode(item.node, frame);
          // The last command's success or failure is the list's: its parent (`&&`, `if`) decides.
          if (index < node.items.length - 1) frame.state.settleFailure();
        });
        return;
      case 'and-or':
        return this.walkAndOr(node.items, node.operators, frame);
      case 'pipeline':
        return this.walkPipeline(node.stages, frame);
      case 'group':
        return this.walkNode(node.body, node.subshell ? { ...frame, state: frame.state.clone() } : frame);
      case 'redirected':
        return this.walkRedirected(node.node, node.redirects, frame);
      case 'if':
        return this.walkIf(node, frame);
      case 'case': {
        this.walkWords([node.word], frame);
        const outcomes = node.items.map((item) => this.walkOn(item.body, frame, frame.state.clone()));
        return this.settle(frame, [frame.state.clone(), ...outcomes]);
      }
      case 'loop':
        return this.walkLoop(node, frame);
      case 'function': {
        const bodies = frame.state.functions.get(node.name) ?? [];
        if (!bodies.includes(node.body)) frame.state.functions.set(node.name, [...bodies, node.body]);
        return;
      }
      case 'test':
        this.walkWords(node.words, frame);
        for (const name of node.assigns) frame.state.setUnknown(name);
        return;
      case 'coproc':
        return this.walkNode(node.body, { ...frame, state: frame.state.clone(), background: true });
    }
  }

  /**
   * `a && b || c`: b runs only after a succeeded, c only after a failure. A failed `cd` leaves the old directory,
   * so the success and failure states differ; everything else changes the state the same way either way.
   */
  private walkAndOr(items: readonly ShNode[], operators: readonly ('&&' | '||')[], frame: Frame): void {
    this.walkNode(items[0]!, frame);
    items.slice(1).forEach((item, index) => {
      const failed = frame.state.failureBranch() ?? frame.state.clone();
      const succeeded = frame.state;
      const runs = operators[index] === '&&' ? succeeded.clone() : failed;
      this.walkNode(item, { ...frame, state: runs });
      runs.settleFailure();
      const skipped = operators[index] === '&&' ? failed : succeeded.clone();
      const joined = skipped;
      joined.joinWith(runs);
      frame.state.assign(joined);
    });
  }

  private walkOn(node: ShNode, frame: Frame, state: ShellState): ShellState {
    this.walkNode(node, { ...frame, state });
    return state;
  }

  /** The current state becomes the join of several possible outcomes. */
  private settle(frame: Frame, outcomes: readonly ShellState[]): void {
    const joined = outcomes[0]!.clone();
    for (const outcome of outcomes.slice(1)) joined.joinWith(outcome);
    frame.state.assign(joined);
  }

  private walkPipeline(stages: readonly ShNode[], frame: Frame): void {
    const upstream: CommandFact[] = [];
    let last: ShellState = frame.state;
    stages.forEach((stage, index) => {
      const start = this.commands.length;
      const stdin: StdinSource = index === 0 ? frame.stdin : { kind: 'pipe', upstream: [...upstream] };
      last = frame.state.clone();
      this.walkNode(stage, { ...frame, state: last, stdin, inPipeline: true });
      upstream.push(...this.commands.slice(start));
    });
    // Each stage runs in a subshell; with `lastpipe` the last one does not: keep what it may have changed.
    frame.state.joinWith(last);
  }

  private walkRedirected(node: ShNode, redirects: readonly ShRedirect[], frame: Frame): void {
    const { stdin } = applyRedirects(this, redirects, frame, '');
    this.walkNode(node, stdin ? { ...frame, stdin } : frame);
  }

  private walkIf(node: Extract<ShNode, { type: 'if' }>, frame: Frame): void {
    const outcomes: ShellState[] = [];
    let conditions = frame.state.clone();
    for (const clause of node.clauses) {
      this.walkNode(clause.condition, { ...frame, state: conditions });
      // The body runs after the condition succeeded; the next clause after it failed (`if cd dir; then …`).
      const failed = conditions.failureBranch() ?? conditions.clone();
      outcomes.push(this.walkOn(clause.body, frame, conditions.clone()));
      conditions = failed;
    }
    outcomes.push(node.otherwise ? this.walkOn(node.otherwise, frame, conditions.clone()) : conditions);
    this.settle(frame, outcomes);
  }

  /** Zero, one or two rounds (the second sees what the first changed): enough for a conservative join. */
  private walkLoop(node: Extract<ShNode, { type: 'loop' }>, frame: Frame): void {
    this.walkWords([...(node.words ?? []), ...node.headWords], frame);
    for (const name of node.assigns) frame.state.setUnknown(name);
    const before = frame.state.clone();
    let round = frame.state.clone();
    const outcomes = [before];
    for (let pass = 0; pass < 2; pass += 1) {
      if (node.variable !== null) round.set(node.variable, loopValues(this, node.words, { ...frame, state: round }));
      if (node.condition) this.walkNode(node.condition, { ...frame, state: round });
      this.walkNode(node.body, { ...frame, state: round });
      for (const name of node.assigns) round.setUnknown(name);
      outcomes.push(round);
      round = round.clone();
    }
    this.settle(frame, outcomes);
  }

  /** Walks the substitutions inside words (they run before the command) and reports what they output. */
  walkWords(words: readonly ShWord[], frame: Frame): Map<ShScript, SubstitutionInfo> {
    const found = new Map<ShScript, SubstitutionInfo>();
    for (const script of nestedScripts(words)) {
      if (!found.has(script)) found.set(script, this.substitute(script, frame));
    }
    return found;
  }

  /** Runs a substitution in a subshell of the frame and summarises its output. */
  substitute(script: ShScript, frame: Frame): SubstitutionInfo {
    const start = this.commands.length;
    this.walkScript(script, { ...frame, state: frame.state.clone(), inPipeline: false, background: false });
    const facts = this.commands.slice(start);
    return {
      tainted: facts.some((fact) => fact.emitsSecrets),
      remote: facts.some((fact) => DOWNLOADERS.has(fact.program) || fact.remoteHost || fact.args.some((arg) => arg.remote)),
    };
  }

  /**
   * A shell command line carried as a string (`bash -c`, `eval`, `su -c`, `ssh host cmd`). An unknown string
   * is refused; a known one is parsed and walked in a child shell (or this shell for `eval`/`trap`).
   */
  walkEmbedded(
    text: Field,
    frame: Frame,
    options: { label: string; sameShell?: boolean; remoteHost?: boolean; zero?: Field; positional?: readonly Field[]; env?: ReadonlyMap<string, VarValue> },
  ): void {
    if (text.value === null) {
      if (text.remote) this.find('builtin:pipe-to-shell', `${options.label} runs a script fetched from the network`);
      else this.find('unparseable:dynamic-script', `the script given to ${options.label} (${text.text}) is only known when it runs`);
      return;
    }
    if (frame.depth + 1 > MAX_EMBEDDING) {
      this.find('unparseable:too-deep', `scripts are embedded more than ${MAX_EMBEDDING} levels deep`);
      return;
    }
    const parsed = parseShell(text.value);
    if (!parsed.ok) {
      this.find(`unparseable:${parsed.why}`, `the script given to ${options.label} cannot be parsed: ${parsed.reason}`);
      return;
    }
    const state = options.sameShell ? frame.state : options.remoteHost ? new ShellState({ cwd: null, home: null }) : frame.state.forChild();
    for (const [name, value] of options.env ?? []) state.set(name, value, true);
    if (options.positional) state.positional = { ...positionalOf(options.positional), zero: options.zero ? positionalOf([options.zero]).list[0] : undefined };
    this.walkScript(parsed.script, { ...frame, state, depth: frame.depth + 1, remoteHost: frame.remoteHost || options.remoteHost === true });
  }

  /** Calls a function defined in the line: its body runs in this shell with the given arguments. */
  callFunction(name: string, args: readonly Field[], frame: Frame): void {
    if (frame.callStack.includes(name)) {
      if (frame.inPipeline || frame.background) this.find('builtin:fork-bomb', `function ${name} starts copies of itself in a pipeline or in the background (a fork bomb)`);
      return;
    }
    if (frame.depth + 1 > MAX_EMBEDDING) {
      this.find('unparseable:too-deep', `function calls nest more than ${MAX_EMBEDDING} levels deep`);
      return;
    }
    const saved = frame.state.positional;
    const outcomes: ShellState[] = [];
    for (const body of frame.state.functions.get(name) ?? []) {
      const state = frame.state.clone();
      state.positional = positionalOf(args);
      this.walkNode(body, { ...frame, state, depth: frame.depth + 1, callStack: [...frame.callStack, name] });
      outcomes.push(state);
    }
    if (outcomes.length > 0) this.settle(frame, outcomes);
    frame.state.positional = saved;
  }
}
