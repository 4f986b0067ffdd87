// Which SQL statements may change given columns. On SQLite every statement of this process goes
// through one prepare (statements.ts), so an in-memory copy of some rows (watched-cache.ts: Beak
// Keys, bond counts) can be dropped as a statement that could change them runs, whoever wrote it
// and however — Kysely, raw `sql`, a migration. Foreign-key cascades start from a watched parent
// here (`ducklings`), so the statement that triggers one is itself counted. Reading the SQL
// text rather than trusting callers to say "I changed a key" means a new code path cannot
// forget. The reading is conservative: what it cannot parse with certainty counts as a change;
// only the exact shapes below are cleared as harmless.

/** Table → the columns whose change matters (every other column may change freely). */
export type Watched = Readonly<Record<string, readonly string[]>>;

const WRITE = /\b(?:insert|update|delete|replace|alter|drop|create)\b/i;
const INSERT = /^\s*insert\s+into\s+("?)(\w+)\1[\s(]/i;
const UPDATE = /\bupdate\s+(?:or\s+\w+\s+)?("?)(\w+)\1(?:\s+as\s+"?\w+"?)?\s+set\s/i;
const DML = /\b(?:insert|update|delete|replace)\b/gi;
const CLAUSE_END = /^(?:where|from|returning|order|limit)\b/i;
const ASSIGNED = /^\s*"?(\w+)"?\s*=(?!=)/;

/**
 * True when running `sql` may change one of the watched columns. With `inserts`, adding a row to
 * a watched table counts too (for counts; a lookup by unique key cannot see a new row change).
 */
export function mayChange(sql: string, watched: Watched, inserts = false): boolean {
  if (!WRITE.test(sql)) return false; // reads, pragmas, transaction control
  const mentioned = Object.keys(watched).some((t) => new RegExp(`(?:^|[^\\w])"?${t}"?(?:[^\\w]|$)`, 'i').test(sql));
  if (!mentioned) return false;

  const insert = INSERT.exec(sql);
  if (insert) {
    // New rows have new ids: they cannot alter a row already read. An upsert or a replace can.
    return !!watched[insert[2]!] && (inserts || /\b(?:on\s+conflict|replace)\b/i.test(sql));
  }
  const update = UPDATE.exec(sql);
  if (update && (sql.match(DML) ?? []).length === 1) {
    const columns = watched[update[2]!];
    if (!columns) return false; // another table's rows; the watched ones are only read
    const assigned = assignedColumns(sql, update.index + update[0].length);
    return assigned === null || assigned.some((c) => columns.includes(c));
  }
  return true; // delete, drop, alter, create, or a shape not recognised above
}

/** Column names of a SET clause starting at `from`, or null when one is not a plain `col = …`. */
function assignedColumns(sql: string, from: number): string[] | null {
  const parts: string[] = [];
  let depth = 0, quote = '', start = from;
  for (let i = from; i <= sql.length; i++) {
    const c = sql[i];
    if (quote) { if (c === quote) quote = ''; continue; }
    if (c === "'" || c === '"') { quote = c; continue; }
    if (c === '(') depth++;
    else if (c === ')') depth--;
    const atWord = i === sql.length || (depth === 0 && /\s/.test(sql[i - 1] ?? '') && CLAUSE_END.test(sql.slice(i, i + 10)));
    if (atWord || (depth === 0 && c === ',')) {
      parts.push(sql.slice(start, i));
      start = i + 1;
      if (atWord) break;
    }
  }
  const names: string[] = [];
  for (const part of parts) {
    const m = ASSIGNED.exec(part);
    if (!m) return null;
    names.push(m[1]!.toLowerCase());
  }
  return names.length ? names : null;
}
