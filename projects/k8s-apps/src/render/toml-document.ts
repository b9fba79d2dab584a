// A TOML writer for the subset a server config needs (attic reads TOML): top-level keys, then
// tables of scalars and string lists. Values are escaped, never spliced into a template.
export type TomlScalar = string | number | boolean | string[];
export type TomlDocument = Record<string, TomlScalar | Record<string, TomlScalar>>;

const BARE_KEY = /^[A-Za-z0-9_-]+$/;

function tomlKey(key: string): string {
  return BARE_KEY.test(key) ? key : JSON.stringify(key);
}

function tomlValue(value: TomlScalar, at: string): string {
  if (Array.isArray(value)) return `[${value.map((v) => tomlValue(v, at)).join(', ')}]`;
  if (typeof value === 'number' && !Number.isInteger(value))
    throw new Error(`${at}: only integers are written, not ${value}`);
  // A JSON string is a valid TOML basic string: the same quotes and the same escapes.
  return typeof value === 'string' ? JSON.stringify(value) : String(value);
}

export function toToml(document: TomlDocument): string {
  const lines: string[] = [];
  const tables: [string, Record<string, TomlScalar>][] = [];
  for (const [key, value] of Object.entries(document)) {
    if (typeof value === 'object' && !Array.isArray(value)) tables.push([key, value]);
    else lines.push(`${tomlKey(key)} = ${tomlValue(value, key)}`);
  }
  for (const [table, entries] of tables) {
    lines.push('', `[${tomlKey(table)}]`);
    for (const [key, value] of Object.entries(entries))
      lines.push(`${tomlKey(key)} = ${tomlValue(value, `${table}.${key}`)}`);
  }
  return `${lines.join('\n')}\n`;
}
