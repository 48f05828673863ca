/**
 * The signing guide's reference signers (Go, Node.js, Python, PHP), exactly as published, run by their own
 * toolchains against every shared request-signing vector (testdata/signing-vectors.json, kept equal to
 * ../shared/vectors/signing.json). A harness per language, appended beside the published code, prints
 * one X-Signature per vector; a signer that is wrong in any byte fails, as the sha512 mutant shows.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { repoRoot } from '../../tools/repo.ts';
import { guides, guideSource } from './guides.ts';
import { codeBlocks } from './markdown.ts';

const VECTORS = path.join(repoRoot, 'testdata/signing-vectors.json');
const vectors = (JSON.parse(readFileSync(VECTORS, 'utf8')) as { request_signing: Array<{ x_signature: string; timestamp: number }> }).request_signing;
const signing = readFileSync(guideSource(guides.find((g) => g.slug === 'signing')!), 'utf8');
const work = mkdtempSync(path.join(tmpdir(), 'starship-signers-'));
after(() => rmSync(work, { recursive: true, force: true }));

interface Language {
  /** The guide's code-block language. */
  lang: string;
  /** Writes the signer and its harness into dir; returns the command that prints one X-Signature per vector. */
  setup(dir: string, signer: string): string[];
}

const LANGUAGES: Record<string, Language> = {
  Go: {
    lang: 'go',
    setup(dir, signer) {
      writeFileSync(path.join(dir, 'sign.go'), signer);
      writeFileSync(
        path.join(dir, 'harness.go'),
        `package main

import (
	"encoding/json"
	"fmt"
	"os"
)

func main() {
	var file struct {
		RequestSigning []struct {
			Secret, Method, Path, Body string
			Timestamp                  int64
		} \`json:"request_signing"\`
	}
	data, _ := os.ReadFile(os.Args[1])
	if err := json.Unmarshal(data, &file); err != nil {
		panic(err)
	}
	for _, v := range file.RequestSigning {
		_, signature := SignRequest(v.Secret, v.Method, v.Path, v.Body, v.Timestamp)
		fmt.Println(signature)
	}
}
`,
      );
      return ['go', 'run', path.join(dir, 'sign.go'), path.join(dir, 'harness.go'), VECTORS];
    },
  },
  'Node.js': {
    lang: 'js',
    setup(dir, signer) {
      writeFileSync(path.join(dir, 'sign.mjs'), signer);
      writeFileSync(
        path.join(dir, 'harness.mjs'),
        `import { readFileSync } from 'node:fs';
import { signRequest } from './sign.mjs';
for (const v of JSON.parse(readFileSync(process.argv[2], 'utf8')).request_signing) {
  console.log(signRequest(v.secret, v.method, v.path, v.body, v.timestamp)['X-Signature']);
}
`,
      );
      return [process.execPath, path.join(dir, 'harness.mjs'), VECTORS];
    },
  },
  Python: {
    lang: 'python',
    setup(dir, signer) {
      writeFileSync(path.join(dir, 'starship_signing.py'), signer);
      writeFileSync(
        path.join(dir, 'harness.py'),
        `import json, sys
from starship_signing import sign_request
with open(sys.argv[1], encoding="utf-8") as f:
    for v in json.load(f)["request_signing"]:
        print(sign_request(v["secret"], v["method"], v["path"], v["body"], v["timestamp"])["X-Signature"])
`,
      );
      return ['python3', path.join(dir, 'harness.py'), VECTORS];
    },
  },
  PHP: {
    lang: 'php',
    setup(dir, signer) {
      writeFileSync(path.join(dir, 'sign.php'), signer);
      writeFileSync(
        path.join(dir, 'harness.php'),
        `<?php
require __DIR__ . '/sign.php';
foreach (json_decode(file_get_contents($argv[1]), true)['request_signing'] as $v) {
    echo starship_sign_request($v['secret'], $v['method'], $v['path'], $v['body'], $v['timestamp'])['X-Signature'], "\\n";
}
`,
      );
      return ['php', path.join(dir, 'harness.php'), VECTORS];
    },
  },
};

function signerOf(lang: string): string {
  const blocks = codeBlocks(signing).filter((block) => block.lang === lang);
  assert.equal(blocks.length, 1, `the signing guide has exactly one ${lang} block`);
  return blocks[0]!.text;
}

/** The X-Signature lines the signer printed for the vectors, or why it could not run. */
function run(name: string, signer: string, label: string): string[] {
  const dir = path.join(work, `${label}-${name.replace(/\W/g, '')}`);
  rmSync(dir, { recursive: true, force: true });
  spawnSync('mkdir', ['-p', dir]);
  const [command, ...args] = LANGUAGES[name]!.setup(dir, signer);
  const result = spawnSync(command!, args, { cwd: dir, encoding: 'utf8', timeout: 120_000 });
  assert.equal(result.status, 0, `${name} ${label}: ${result.error?.message ?? ''}${result.stderr}`);
  return result.stdout.trim().split('\n');
}

for (const name of Object.keys(LANGUAGES)) {
  test(`the ${name} reference signer, as published, reproduces every shared vector (standard library only, 15–30 lines)`, () => {
    const signer = signerOf(LANGUAGES[name]!.lang);
    const lines = signer.trimEnd().split('\n').length;
    assert.ok(lines >= 15 && lines <= 30, `${name}: ${lines} lines`);
    assert.deepEqual(run(name, signer, 'published'), vectors.map((v) => v.x_signature));
    // The check has teeth: the same signer over SHA-512 instead of SHA-256 matches no vector.
    const mutant = run(name, signer.replaceAll('sha256', 'sha512'), 'mutant');
    assert.equal(mutant.length, vectors.length);
    mutant.forEach((line, i) => assert.notEqual(line, vectors[i]!.x_signature, `${name} mutant matched vector ${i}`));
  });
}
