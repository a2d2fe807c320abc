import { MAX_NESTING, parseScript, type ParsedScript, type SimpleCommand, type SubstitutionRole } from './command-parser.js';
import { basename, unwrap } from './command-wrappers.js';
import { embeddedShellScripts, isInterpreter, programSource } from './interpreters.js';

/** What the output of a command inside a substitution becomes in the command around it. */
export type Feed = 'program' | 'script' | 'data';

/** A command that would really run: wrappers, assignments and quotes are gone; `bash -c` bodies are opened. */
export interface EffectiveCommand {
  /** Base name of the program (`/bin/rm` → `rm`). */
  readonly program: string;
  /** The program word contains an expansion (`$RM`, `$(which rm)`): its real name is unknown. */
  readonly dynamicProgram: boolean;
  readonly args: readonly string[];
  /** Commands joined by pipes share a key; `pipelinePosition` is the order inside the pipeline. */
  readonly pipelineKey: string;
  readonly pipelinePosition: number;
  /** Set for a command inside `$(…)`, backticks or `<(…)`. */
  readonly feeds: Feed | null;
}

export interface CommandLineAnalysis {
  readonly commands: readonly EffectiveCommand[];
  /** Skeletons of every script seen (the line, and each nested or embedded script). */
  readonly skeletons: readonly string[];
}

export type AnalysisResult =
  | { readonly ok: true; readonly analysis: CommandLineAnalysis }
  | { readonly ok: false; readonly reason: string };

class Unparseable extends Error {}

/** Parses a command line and lists every command it would run, including nested and embedded ones. */
export function analyzeCommandLine(line: string): AnalysisResult {
  const walker = new Walker();
  try {
    walker.walkText(line, 0, null);
  } catch (error) {
    if (error instanceof Unparseable) return { ok: false, reason: error.message };
    throw error;
  }
  return { ok: true, analysis: { commands: walker.commands, skeletons: walker.skeletons } };
}

const FIND_EXEC_ACTIONS = new Set(['-exec', '-execdir', '-ok', '-okdir']);

class Walker {
  readonly commands: EffectiveCommand[] = [];
  readonly skeletons: string[] = [];
  private scriptCount = 0;

  walkText(text: string, depth: number, feeds: Feed | null): void {
    if (depth > MAX_NESTING) throw new Unparseable('commands nested too deeply');
    const parsed = parseScript(text);
    if (!parsed.ok) throw new Unparseable(parsed.reason);
    this.walkScript(parsed.script, depth, feeds);
  }

  private walkScript(script: ParsedScript, depth: number, feeds: Feed | null): void {
    if (depth > MAX_NESTING) throw new Unparseable('commands nested too deeply');
    this.skeletons.push(script.skeleton);
    const scriptId = this.scriptCount++;
    const positions = new Map<number, number>();
    for (const command of script.commands) {
      const { programIndex, scripts } = unwrap(command.words);
      for (const embedded of scripts) this.walkText(embedded, depth + 1, feeds);
      let effective: EffectiveCommand | null = null;
      if (programIndex >= 0) {
        const position = positions.get(command.pipeline) ?? 0;
        positions.set(command.pipeline, position + 1);
        effective = toEffective(command.words.slice(programIndex), `${scriptId}:${command.pipeline}`, position, feeds);
        this.commands.push(effective);
        this.commands.push(...findExecCommands(effective));
        for (const embedded of embeddedShellScripts(effective.program, effective.args)) this.walkText(embedded, depth + 1, feeds);
      }
      for (const substitution of command.substitutions) {
        const feed = feedOf(substitution.role, command, programIndex, effective);
        this.walkScript(substitution.script, depth + 1, feed);
      }
    }
  }
}

function toEffective(words: readonly string[], pipelineKey: string, pipelinePosition: number, feeds: Feed | null): EffectiveCommand {
  const programWord = words[0] ?? '';
  return {
    program: basename(programWord),
    dynamicProgram: /[$`]/.test(programWord),
    args: words.slice(1),
    pipelineKey,
    pipelinePosition,
    feeds,
  };
}

/** `find … -exec rm -rf {} \;` runs `rm -rf …` for each file. */
function findExecCommands(command: EffectiveCommand): EffectiveCommand[] {
  if (command.program !== 'find') return [];
  const found: EffectiveCommand[] = [];
  for (let index = 0; index < command.args.length; index += 1) {
    if (!FIND_EXEC_ACTIONS.has(command.args[index]!)) continue;
    let end = index + 1;
    while (end < command.args.length && command.args[end] !== ';' && command.args[end] !== '+') end += 1;
    const words = command.args.slice(index + 1, end);
    const { programIndex } = unwrap(words);
    if (programIndex >= 0) found.push(toEffective(words.slice(programIndex), `${command.pipelineKey}:exec${index}`, 0, null));
    index = end;
  }
  return found;
}

function feedOf(role: SubstitutionRole, command: SimpleCommand, programIndex: number, effective: EffectiveCommand | null): Feed {
  if (!effective) return 'data';
  if (role.kind === 'input') return programSource(effective.program, effective.args)?.kind === 'stdin' ? 'script' : 'data';
  if (role.kind !== 'word' || role.index < programIndex || role.index >= command.words.length) return 'data';
  if (role.index === programIndex) return 'program';
  if (!isInterpreter(effective.program)) return 'data';
  const source = programSource(effective.program, effective.args);
  const argIndex = role.index - programIndex - 1;
  return source && source.kind !== 'stdin' && source.argIndex === argIndex ? 'script' : 'data';
}
