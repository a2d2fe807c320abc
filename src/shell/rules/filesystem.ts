import type { CommandFact, WriteFact } from '../facts.js';
import type { Field } from '../fields.js';
import { fileEffects } from './file-effects.js';
import { globToRegExp, isDiskDevice, isHarmlessDevice, isUnder, repoRelative, targetOf, type PathTarget } from './paths.js';
import { show, violation, type RuleContext, type Violation } from './rule-types.js';

/**
 * Deleting, writing, re-moding or linking files: never `/` or the home directory, never the repository
 * itself, its `.git` or its CI configuration, never anything outside the repository (except writing to
 * /dev/null and the like), never a disk device. A path that is not known before running is refused.
 */
type Effect = 'delete' | 'write' | 'chmod' | 'link';

const VERB: Readonly<Record<Effect, string>> = { delete: 'deletes', write: 'writes', chmod: 'changes the permissions of', link: 'links to' };

/** CI configuration, and directories that hold it (deleting `.github` deletes the workflows). */
const CI_FILE = /(^|\/)(azure-pipelines[\w.-]*\.ya?ml|\.gitlab-ci\.ya?ml|\.travis\.ya?ml|Jenkinsfile|bitbucket-pipelines\.ya?ml|\.drone\.ya?ml|\.?appveyor\.ya?ml|cloudbuild\.ya?ml|buildspec\.ya?ml|\.woodpecker\.ya?ml)$/;
const CI_DIRS = ['.github/workflows', '.github/actions', '.circleci', '.buildkite', '.azure-pipelines', '.azuredevops', '.gitlab', '.woodpecker', '.github'];
const CI_SAMPLES = [
  'azure-pipelines.yml', 'azure-pipelines.yaml', '.gitlab-ci.yml', '.travis.yml', 'Jenkinsfile', 'bitbucket-pipelines.yml', '.drone.yml',
  'appveyor.yml', '.appveyor.yml', 'cloudbuild.yaml', 'buildspec.yml', '.woodpecker.yml', '.github', '.github/workflows', '.github/workflows/ci.yml',
  '.github/actions', '.github/actions/setup/action.yml', '.circleci', '.circleci/config.yml', '.buildkite', '.buildkite/pipeline.yml',
  '.azure-pipelines', '.azure-pipelines/build.yml', '.gitlab', '.gitlab/ci/build.yml',
];
const GIT_SAMPLES = ['.git', '.git/config', '.git/hooks/pre-commit', '.git/HEAD'];

export function judgeFileEffects(fact: CommandFact, context: RuleContext): Violation | null {
  const effects = fileEffects(fact);
  const checks: [Effect, readonly Field[]][] = [['delete', effects.deletes], ['chmod', effects.chmods], ['write', effects.writes], ['link', effects.linkTargets]];
  for (const [effect, fields] of checks) {
    for (const field of fields) {
      const found = judgePath(effect, field, fact.cwd, fact.program, context);
      if (found) return found;
    }
  }
  return null;
}

export function judgeWrite(write: WriteFact, context: RuleContext): Violation | null {
  return judgePath('write', write.target, write.cwd, write.by || 'a redirection', context);
}

function judgePath(effect: Effect, field: Field, cwd: string | null, by: string, context: RuleContext): Violation | null {
  const target = targetOf(field, cwd);
  if (target.kind === 'none') return null;
  if (target.kind === 'unknown') return unknownTarget(effect, field, by, context);
  if (effect === 'write' && isHarmlessDevice(target.abs)) return null;
  if (effect !== 'link' && isDiskDevice(target.base)) return violation('builtin:dd-device', `${by} ${VERB[effect]} the device ${show(field)}`);
  if (effect === 'delete' || effect === 'chmod') {
    if (target.base === '/') return violation(effect === 'delete' ? 'builtin:wipe-root' : 'builtin:chmod-outside-repo', `${by} ${VERB[effect]} /${field.text === '/' ? '' : ` (${show(field)})`}`);
    if (context.home !== null && target.base === context.home) return violation(effect === 'delete' ? 'builtin:wipe-home' : 'builtin:chmod-outside-repo', `${by} ${VERB[effect]} the home directory (${show(field)})`);
  }
  const relative = repoRelative(target, context.repoRoot);
  if (relative === null) {
    if (effect === 'link') return violation('builtin:write-outside-repo', `${by} creates a link to ${show(field)}, outside the repository`);
    const id = effect === 'delete' ? 'builtin:delete-outside-repo' : effect === 'chmod' ? 'builtin:chmod-outside-repo' : 'builtin:write-outside-repo';
    return violation(id, `${by} ${VERB[effect]} ${show(field)}, outside the repository`);
  }
  if (effect === 'link') return null;
  if (relative === '' && !target.pattern && effect === 'delete') return violation('builtin:wipe-repo', `${by} deletes the repository itself (${show(field)})`);
  if (touches(target, relative, GIT_SAMPLES, (rel) => rel === '.git' || rel.startsWith('.git/'))) {
    return violation('builtin:git-internals', `${by} ${VERB[effect]} ${show(field)} inside .git (git's own files)`);
  }
  if (touches(target, relative, CI_SAMPLES, (rel) => isCiPath(rel, effect))) {
    return violation('builtin:ci-config-change', `${by} ${VERB[effect]} CI configuration (${show(field)})`);
  }
  return null;
}

function unknownTarget(effect: Effect, field: Field, by: string, context: RuleContext): Violation {
  // `rm -rf ~` with no known home is still a wipe of the home directory.
  if (field.home && /^(~|"?\$\{?HOME\}?"?)\/?\*?$/.test(field.text.trim())) {
    if (effect === 'delete') return violation('builtin:wipe-home', `${by} deletes the home directory (${field.text})`);
  }
  if (field.home && context.home === null) {
    return violation(effect === 'delete' ? 'builtin:delete-outside-repo' : 'builtin:write-outside-repo', `${by} ${VERB[effect]} ${field.text} in the home directory`);
  }
  return violation('unparseable:dynamic-argument', `${by} ${VERB[effect]} ${field.text}, which is only known when it runs`);
}

/** Does the path (or pattern) reach one of the sensitive paths? */
function touches(target: Extract<PathTarget, { kind: 'path' }>, relative: string, samples: readonly string[], exact: (rel: string) => boolean): boolean {
  if (!target.pattern) return exact(relative);
  const pattern = globToRegExp(relative, true);
  return samples.some((sample) => pattern.test(sample));
}

function isCiPath(relative: string, effect: Effect): boolean {
  if (CI_FILE.test(relative)) return true;
  if (CI_DIRS.some((dir) => isUnder(relative, dir) && dir !== '.github')) return true;
  // Deleting or moving a directory that holds CI configuration (`.github`, the repository root is handled apart).
  return (effect === 'delete' || effect === 'chmod') && relative !== '' && CI_DIRS.some((dir) => dir.startsWith(`${relative}/`) || dir === relative);
}
