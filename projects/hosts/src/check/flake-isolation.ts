// A flake inside a git repository sees only tracked files, and dist/ is ignored: a flake that
// reads dist/ works from a plain directory and fails for real. nix-instantiate checks cannot see
// that, so the sources are read here: every path a .nix file names must stay inside the flake's
// folder and none may name dist/; hosts.json arrives only as the `render` input.
import { dirname, relative, resolve, sep } from 'node:path';

export interface NixSource {
  /** Absolute path of the .nix file. */
  path: string;
  text: string;
}

interface Pieces {
  /** Nix code outside strings and comments (interpolations included). */
  code: string[];
  /** The literal parts of strings. */
  strings: string[];
}

/** Splits Nix text into code and string parts, dropping comments; `${…}` inside strings is code. */
export function nixPieces(text: string): Pieces {
  const code: string[] = [];
  const strings: string[] = [];
  let i = 0;
  const readCode = (untilBrace: boolean): void => {
    let depth = 0;
    let start = i;
    const flush = () => code.push(text.slice(start, i));
    while (i < text.length) {
      const c = text[i]!;
      if (c === '#') {
        flush();
        while (i < text.length && text[i] !== '\n') i++;
        start = i;
      } else if (c === '/' && text[i + 1] === '*') {
        flush();
        const end = text.indexOf('*/', i + 2);
        i = end < 0 ? text.length : end + 2;
        start = i;
      } else if (c === '"' || (c === "'" && text[i + 1] === "'")) {
        flush();
        readString(c === '"' ? '"' : "''");
        start = i;
      } else if (untilBrace && c === '{') {
        depth++;
        i++;
      } else if (untilBrace && c === '}') {
        if (depth === 0) {
          flush();
          i++;
          return;
        }
        depth--;
        i++;
      } else i++;
    }
    flush();
  };
  const readString = (quote: '"' | "''"): void => {
    i += quote.length;
    let start = i;
    while (i < text.length) {
      if (quote === '"' && text[i] === '\\') i += 2;
      else if (quote === "''" && text.startsWith("'''", i)) i += 3;
      else if (text.startsWith(quote, i)) {
        strings.push(text.slice(start, i));
        i += quote.length;
        return;
      } else if (text.startsWith('${', i)) {
        strings.push(text.slice(start, i));
        i += 2;
        readCode(true);
        start = i;
      } else i++;
    }
    strings.push(text.slice(start));
  };
  readCode(false);
  return { code, strings };
}

const PATH_LITERAL = /(?<![\w.\-/])(~?\.{0,2}\/[\w.+\-/]*[\w+-]|\.\.?(?=[\s;)\]}]))/g;
const SEARCH_PATH = /<[\w.+\-/]+>/g;
const NAMES_DIST = /(^|[^\w.-])dist(\/|$)/;

/** Sentences naming each way the sources could reach outside the flake's folder, or dist/. */
export function flakeIsolationProblems(root: string, sources: readonly NixSource[]): string[] {
  const problems: string[] = [];
  for (const source of sources) {
    const shown = relative(root, source.path);
    const { code, strings } = nixPieces(source.text);
    const inside = (target: string) => {
      const rel = relative(root, resolve(dirname(source.path), target));
      return rel === '' || (!rel.startsWith('..') && !rel.startsWith(sep) && !rel.startsWith('/'));
    };
    for (const part of code) {
      for (const [literal] of part.matchAll(PATH_LITERAL)) {
        if (literal.startsWith('/') || literal.startsWith('~'))
          problems.push(`${shown} names the absolute path ${literal}, outside the flake`);
        else if (!inside(literal)) problems.push(`${shown} names ${literal}, which leaves the flake's folder`);
        if (NAMES_DIST.test(literal)) problems.push(`${shown} names ${literal}, under dist/`);
      }
      for (const [search] of part.matchAll(SEARCH_PATH))
        if (!/^<[^>]*\s/.test(search))
          problems.push(`${shown} uses the search path ${search}, which a flake cannot see`);
      if (/builtins\s*\.\s*getEnv/.test(part))
        problems.push(`${shown} reads the environment (builtins.getEnv), which a flake cannot see`);
    }
    for (const text of strings) {
      if (NAMES_DIST.test(text)) problems.push(`${shown} has a string naming dist/ ("${text.slice(0, 60)}")`);
      if (/(^|\/)\.\.(\/|$)/.test(text))
        problems.push(`${shown} has a string that climbs out with .. ("${text.slice(0, 60)}")`);
      const input = /^path:(.*)$/.exec(text.trim());
      if (input && (input[1]!.startsWith('/') || !inside(input[1]!)))
        problems.push(`${shown} has the input ${text.trim()}, outside the flake's folder`);
    }
  }
  return problems;
}
