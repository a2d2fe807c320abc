import { describe, expect, it } from 'vitest';
import { inlineCodeRisk } from './inline-code.js';

describe('inlineCodeRisk', () => {
  it.each([
    ['python', "import os; os.system('id')"],
    ['python', "__import__('subprocess').run(['id'])"],
    ['python', "open('/etc/hosts', 'w').write('x')"],
    ['node', "require('fs').writeFileSync('/etc/profile.d/x.sh', 'x')"],
    ['node', "require('fs').appendFileSync('.git/hooks/pre-commit', 'x')"],
    ['node', "require('child_process').execSync('id')"],
    ['node', "require('fs').rmSync('dist', { recursive: true })"],
    ['node', "fetch('https://example.test')"],
    ['perl', 'fork while fork'],
    ['awk', 'BEGIN { system("id") }'],
    ['awk', '{ print $0 > "/etc/x" }'],
    ['sed', 's/.*/id/e'],
    ['sed', '1e id'],
    ['pwsh', 'Get-ChildItem'],
  ])('refuses %s code %j', (family, code) => {
    expect(inlineCodeRisk(family, code)).toMatch(/^inline \w+ code that (may|writes)/);
  });

  it.each([
    ['python', 'import sys; print(sys.version)'],
    ['python', "import json; print(json.load(open('package.json'))['version'])"],
    ['node', "console.log(require('./package.json').version)"],
    ['node', 'process.exit(0)'],
    ['node', "require('fs').writeFileSync('version.txt', require('./package.json').version)"],
    ['node', "require('fs').writeFileSync(process.argv[1], String(process.pid))"],
    ['awk', '{ print $1 }'],
    ['awk', '$3 > 10 { print $1 }'],
    ['sed', 's/a/b/g'],
  ])('allows %s code %j', (family, code) => {
    expect(inlineCodeRisk(family, code)).toBeNull();
  });
});
