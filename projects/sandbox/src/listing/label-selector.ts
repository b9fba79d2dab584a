// Hetzner's label selector language, parsed for real (not split on commas) so that
// `k in (a,b),!x` and every malformed variant is judged the way the API judges it.

export type Requirement =
  | { op: 'exists'; key: string }
  | { op: 'absent'; key: string }
  | { op: 'equals'; key: string; value: string }
  | { op: 'differs'; key: string; value: string }
  | { op: 'in'; key: string; values: string[] }
  | { op: 'notin'; key: string; values: string[] };

export type LabelSelector = Requirement[];

export class LabelSelectorError extends Error {}

const KEY_CHAR = /[A-Za-z0-9._/-]/;
const VALUE_CHAR = /[A-Za-z0-9._-]/;
const NAME = /^[A-Za-z0-9]([A-Za-z0-9._-]{0,61}[A-Za-z0-9])?$/;
const DNS_LABEL = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;

/** Parses a selector; an empty or blank selector matches everything. Throws LabelSelectorError naming the problem. */
export function parseLabelSelector(text: string): LabelSelector {
  const parser = new Parser(text);
  return parser.selector();
}

export function matchesSelector(labels: Readonly<Record<string, string>>, selector: LabelSelector): boolean {
  return selector.every((r) => matchesRequirement(labels, r));
}

function matchesRequirement(labels: Readonly<Record<string, string>>, r: Requirement): boolean {
  const has = Object.hasOwn(labels, r.key);
  const value = has ? labels[r.key] : undefined;
  switch (r.op) {
    case 'exists':
      return has;
    case 'absent':
      return !has;
    case 'equals':
      return has && value === r.value;
    // Like Kubernetes: a resource without the key satisfies `!=` and `notin`.
    case 'differs':
      return !has || value !== r.value;
    case 'in':
      return has && r.values.includes(value!);
    case 'notin':
      return !has || !r.values.includes(value!);
  }
}

/** Whether a label key is valid: an optional DNS-subdomain prefix and `/`, then a name of at most 63 characters. */
export function labelKeyProblem(key: string): string | undefined {
  const slash = key.lastIndexOf('/');
  const name = slash >= 0 ? key.slice(slash + 1) : key;
  if (!NAME.test(name))
    return `label key "${key}" must be at most 63 characters of [a-zA-Z0-9._-], beginning and ending alphanumerically`;
  if (slash >= 0) {
    const prefix = key.slice(0, slash);
    if (prefix.length > 253 || !prefix.split('.').every((l) => DNS_LABEL.test(l)))
      return `label key prefix "${prefix}" must be a DNS subdomain`;
    if (prefix === 'hetzner.cloud') return 'the label key prefix "hetzner.cloud/" is reserved';
  }
  return undefined;
}

export function labelValueProblem(value: string): string | undefined {
  if (value === '' || NAME.test(value)) return undefined;
  return `label value "${value}" must be empty or at most 63 characters of [a-zA-Z0-9._-], beginning and ending alphanumerically`;
}

class Parser {
  private pos = 0;
  constructor(private readonly text: string) {}

  selector(): LabelSelector {
    this.skipSpace();
    if (this.atEnd()) return [];
    const requirements: Requirement[] = [this.requirement()];
    for (;;) {
      this.skipSpace();
      if (this.atEnd()) return requirements;
      this.expect(',');
      requirements.push(this.requirement());
    }
  }

  private requirement(): Requirement {
    this.skipSpace();
    if (this.peek() === '!') {
      this.pos++;
      this.skipSpace();
      return { op: 'absent', key: this.key() };
    }
    const key = this.key();
    this.skipSpace();
    if (this.atEnd() || this.peek() === ',') return { op: 'exists', key };
    if (this.text.startsWith('==', this.pos)) {
      this.pos += 2;
      return { op: 'equals', key, value: this.value() };
    }
    if (this.text.startsWith('!=', this.pos)) {
      this.pos += 2;
      return { op: 'differs', key, value: this.value() };
    }
    if (this.peek() === '=') {
      this.pos++;
      return { op: 'equals', key, value: this.value() };
    }
    const word = this.word();
    if (word === 'in' || word === 'notin') return { op: word, key, values: this.valueSet() };
    throw this.error(word ? `unknown operator "${word}"` : 'expected an operator (=, ==, !=, in, notin) or a comma');
  }

  private key(): string {
    const start = this.pos;
    while (!this.atEnd() && KEY_CHAR.test(this.peek())) this.pos++;
    const key = this.text.slice(start, this.pos);
    if (!key) throw this.error('expected a label key');
    const problem = labelKeyProblem(key);
    if (problem) throw this.error(problem);
    return key;
  }

  private value(): string {
    this.skipSpace();
    const start = this.pos;
    while (!this.atEnd() && VALUE_CHAR.test(this.peek())) this.pos++;
    const value = this.text.slice(start, this.pos);
    const problem = labelValueProblem(value);
    if (problem) throw this.error(problem);
    return value;
  }

  private valueSet(): string[] {
    this.skipSpace();
    this.expect('(');
    const values: string[] = [];
    for (;;) {
      const value = this.value();
      if (!value) throw this.error('expected a value inside the parentheses');
      values.push(value);
      this.skipSpace();
      if (this.peek() === ')') {
        this.pos++;
        return values;
      }
      this.expect(',');
    }
  }

  private word(): string {
    const start = this.pos;
    while (!this.atEnd() && /[a-z]/.test(this.peek())) this.pos++;
    return this.text.slice(start, this.pos);
  }

  private expect(char: string): void {
    if (this.peek() !== char) throw this.error(`expected "${char}"`);
    this.pos++;
  }

  private skipSpace(): void {
    while (!this.atEnd() && /\s/.test(this.peek())) this.pos++;
  }

  private peek(): string {
    return this.text[this.pos] ?? '';
  }

  private atEnd(): boolean {
    return this.pos >= this.text.length;
  }

  private error(message: string): LabelSelectorError {
    const where = this.atEnd() ? 'at the end' : `at position ${this.pos + 1}`;
    return new LabelSelectorError(`invalid label selector "${this.text}": ${message} ${where}`);
  }
}
