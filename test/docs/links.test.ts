import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// Someone who clones Warden has this repository and nothing beside it: its documentation may
// link and name only files inside it.

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/** README.md, every docs/*.md, and every README.md under src/. */
function documentation(): string[] {
  const docs = readdirSync(join(ROOT, 'docs')).filter((name) => name.endsWith('.md'));
  const readmes = readdirSync(join(ROOT, 'src'), { recursive: true, encoding: 'utf8' }).filter(
    (path) => basename(path) === 'README.md',
  );
  return ['README.md', ...docs.map((name) => `docs/${name}`), ...readmes.map((path) => join('src', path))];
}

/** Folders that are not the project's own files: installed packages, builds, git's store. */
const NOT_OURS = new Set(['node_modules', '.git', 'out', 'dist', 'tmp', 'coverage', 'test-results']);

/** The names of every markdown file of the repository, for mentions of one without its folder. */
function markdownNames(dir = ROOT, names = new Set<string>()): Set<string> {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.isDirectory() && !NOT_OURS.has(entry.name)) markdownNames(join(dir, entry.name), names);
    else if (entry.isFile() && entry.name.endsWith('.md')) names.add(entry.name);
  }
  return names;
}

const MARKDOWN_NAMES = markdownNames();

function inside(path: string): boolean {
  const rel = relative(ROOT, path);
  return rel !== '' && !rel.startsWith('..') && !rel.startsWith(sep);
}

/**
 * What a markdown file (`file`, relative to the repository) links or names outside the
 * repository: `../shared`, a link whose target is not a file here, a relative path that climbs
 * out, or a markdown file that the repository does not hold.
 */
function outsideReferences(file: string, text: string): string[] {
  const here = dirname(join(ROOT, file));
  const found: string[] = [];
  if (text.includes('../shared')) found.push('mentions ../shared');
  // [text](target) and ![alt](target); a URL with a scheme or an anchor in this page is fine.
  for (const match of text.matchAll(/!?\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)) {
    const target = decodeURIComponent(match[1]!.split('#')[0]!);
    if (/^[a-z][a-z0-9+.-]*:/i.test(match[1]!) || target === '') continue;
    const path = target.startsWith('/') ? join(ROOT, target) : resolve(here, target);
    if (!inside(path) || !existsSync(path)) found.push(`links ${match[1]}, which is not a file of the repository`);
  }
  // Relative paths in the text, as written in code spans or prose.
  for (const match of text.matchAll(/(?:^|[\s(`'"])((?:\.\.\/)+[^\s)`'"]*)/g)) {
    if (!inside(resolve(here, match[1]!))) found.push(`names ${match[1]}, outside the repository`);
  }
  // A markdown file named without a link (DESIGN.md, say) must be one the repository has.
  for (const match of text.matchAll(/[\w./-]*\b([\w-]+\.md)\b/g)) {
    if (!MARKDOWN_NAMES.has(match[1]!)) found.push(`names ${match[0]}, which the repository does not hold`);
  }
  return found;
}

describe('the documentation stays inside the repository', () => {
  it('spots ../shared, links that leave the repository, and markdown files it does not have', () => {
    expect(outsideReferences('README.md', 'See `../shared/DESIGN.md`.')).toEqual(
      expect.arrayContaining(['mentions ../shared', expect.stringContaining('../shared/DESIGN.md')]),
    );
    expect(outsideReferences('README.md', '[map](../elsewhere/map.md)')).not.toEqual([]);
    expect(outsideReferences('README.md', '[map](docs/nothing-here.md)')).not.toEqual([]);
    expect(outsideReferences('README.md', 'Read NOTES-FROM-ELSEWHERE.md first.')).not.toEqual([]);
    expect(outsideReferences('src/main/models/README.md', 'imports `../roster/files.js`')).toEqual([]);
    expect(outsideReferences('README.md', '[map](docs/architecture.md#the-parts) and https://example.com')).toEqual([]);
  });

  for (const file of documentation()) {
    it(`${file} links and names only files of the repository`, () => {
      expect(outsideReferences(file, readFileSync(join(ROOT, file), 'utf8'))).toEqual([]);
    });
  }

  it('covers the README, docs/ and the folder READMEs under src/', () => {
    const files = documentation();
    expect(files).toContain('README.md');
    expect(files).toContain('docs/architecture.md');
    expect(files).toContain('docs/roster.md');
    expect(files).toContain(join('src', 'main', 'ledger', 'README.md'));
  });
});
