/**
 * The signing guide's reference signers (Go, Node.js, Python, PHP), exactly as published, run by their own
 * toolchains against every shared request-signing vector (testdata/signing-vectors.json, kept equal to
 * ../shared/vectors/signing.json). A harness per language, appended beside the published code, prints
 * one X-Signature per vector; a signer that is wrong in any byte fails, as the sha512 mutant shows.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
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
  /** Where the published signer is saved, and the harness beside it that prints one X-Signature per vector. */
  signerFile: string;
  harnessFile: string;
  harness: string;
  /** The command that runs the harness (files are absolute paths). */
  command(files: { signer: string; harness: string }): string[];
}

const LANGUAGES: Record<string, Language> = {
  Go: {
    lang: 'go',
    signerFile: 'sign.go',
    harnessFile: 'harness.go',
    harness: `package main

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
    command: ({ signer, harness }) => ['go', 'run', signer, harness, VECTORS],
  },
  'Node.js': {
    lang: 'js',
    signerFile: 'sign.mjs',
    harnessFile: 'harness.mjs',
    harness: `import { readFileSync } from 'node:fs';
import { signRequest } from './sign.mjs';
for (const v of JSON.parse(readFileSync(process.argv[2], 'utf8')).request_signing) {
  console.log(signRequest(v.secret, v.method, v.path, v.body, v.timestamp)['X-Signature']);
}
`,
    command: ({ harness }) => [process.execPath, harness, VECTORS],
  },
  Python: {
    lang: 'python',
    signerFile: 'starship_signing.py',
    harnessFile: 'harness.py',
    harness: `import json, sys
from starship_signing import sign_request
with open(sys.argv[1], encoding="utf-8") as f:
    for v in json.load(f)["request_signing"]:
        print(sign_request(v["secret"], v["method"], v["path"], v["body"], v["timestamp"])["X-Signature"])
`,
    command: ({ harness }) => ['python3', harness, VECTORS],
  },
  PHP: {
    lang: 'php',
    signerFile: 'sign.php',
    harnessFile: 'harness.php',
    harness: `<?php
require __DIR__ . '/sign.php';
foreach (json_decode(file_get_contents($argv[1]), true)['request_signing'] as $v) {
    echo starship_sign_request($v['secret'], $v['method'], $v['path'], $v['body'], $v['timestamp'])['X-Signature'], "\\n";
}
`,
    command: ({ harness }) => ['php', harness, VECTORS],
  },
};

function signerOf(lang: string): string {
  const blocks = codeBlocks(signing).filter((block) => block.lang === lang);
  assert.equal(blocks.length, 1, `the signing guide has exactly one ${lang} block`);
  return blocks[0]!.text;
}

/** The X-Signature lines the signer printed for the vectors, or why it could not run. */
function run(name: string, signer: string, label: string): string[] {
  const language = LANGUAGES[name]!;
  const dir = path.join(work, `${label}-${name.replace(/\W/g, '')}`);
  mkdirSync(dir, { recursive: true });
  const files = { signer: path.join(dir, language.signerFile), harness: path.join(dir, language.harnessFile) };
  writeFileSync(files.signer, signer);
  writeFileSync(files.harness, language.harness);
  const [command, ...args] = language.command(files);
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
