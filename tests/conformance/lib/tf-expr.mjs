// Minimal scanner for the Terraform expressions embedded in JSON strings.
//
// In Terraform JSON syntax most string values are templates: "${...}" holds an
// expression and "%{...}" a directive ("$${" and "%%{" are escapes). We do not
// evaluate anything; we only find the references ("traversals") an expression
// makes, e.g. aws_vpc.main.id, data.aws_region.current.name, var.x, local.y,
// aws_subnet.private[0].id, so the validator can check they are declared.
//
// A traversal is { root: "aws_vpc", parts: ["main", "id"] } where an index
// ("[0]", "["k"]", legacy ".0") appears as "[]" and a splat as "*".
// Function calls (jsonencode(...), provider::aws::arn_parse(...)), object keys,
// keywords and for-expression variables are not traversals.

const ID_START = /[A-Za-z_]/;
const ID_CHAR = /[A-Za-z0-9_-]/; // HCL identifiers may contain dashes

// Index of the "}" closing a template sequence whose body starts at `start`
// (just after "${" or "%{"), or -1 if unterminated.
function closeBrace(s, start) {
  let depth = 0;
  for (let k = start; k < s.length; k++) {
    const c = s[k];
    if (c === '"') {
      k = skipString(s, k);
      if (k < 0) return -1;
    } else if (c === '{') depth++;
    else if (c === '}') {
      if (depth === 0) return k;
      depth--;
    }
  }
  return -1;
}

// Index of the closing quote of the string literal starting at s[k] === '"', or -1.
function skipString(s, k) {
  for (k++; k < s.length; k++) {
    const c = s[k];
    if (c === '\\') k++;
    else if (c === '"') return k;
    else if ((c === '$' || c === '%') && s[k + 1] === '{') {
      if (s[k - 1] === c) continue; // $${ / %%{ escape
      const end = closeBrace(s, k + 2);
      if (end < 0) return -1;
      k = end;
    }
  }
  return -1;
}

// Bodies of the "${...}" / "%{...}" sequences of a template string.
// Returns { exprs: [{ text, directive }], error?: string }.
export function templateExpressions(str) {
  const exprs = [];
  for (let i = 0; i < str.length; i++) {
    const c = str[i];
    if ((c === '$' || c === '%') && str[i + 1] === c && str[i + 2] === '{') {
      i += 2; // escaped
      continue;
    }
    if ((c === '$' || c === '%') && str[i + 1] === '{') {
      const end = closeBrace(str, i + 2);
      if (end < 0) return { exprs, error: `unterminated template sequence '${str.slice(i, i + 20)}'` };
      exprs.push({ text: str.slice(i + 2, end), directive: c === '%' });
      i = end;
    }
  }
  return { exprs };
}

// Index of the "]" matching the "[" at s[k], string-aware, or -1.
function closeBracket(s, k) {
  let depth = 0;
  for (; k < s.length; k++) {
    const c = s[k];
    if (c === '"') {
      k = skipString(s, k);
      if (k < 0) return -1;
    } else if (c === '[' || c === '(' || c === '{') depth++;
    else if (c === ']' || c === ')' || c === '}') {
      depth--;
      if (depth === 0) return k;
    }
  }
  return -1;
}

function readIdent(s, i) {
  let j = i;
  while (j < s.length && ID_CHAR.test(s[j])) j++;
  return j;
}

function nextNonSpace(s, i) {
  while (i < s.length && /\s/.test(s[i])) i++;
  return i;
}

// Collect traversals of one expression into `out`; for-expression variables go
// into `scope` (shared by the caller across the expressions of one string so
// that "%{for x in ...}${x.name}%{endfor}" works).
export function expressionReferences(expr, out = [], scope = new Set()) {
  const s = expr;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c === '"') {
      const end = skipString(s, i);
      const body = s.slice(i + 1, end < 0 ? s.length : end);
      for (const e of templateExpressions(body).exprs) expressionReferences(e.text, out, scope);
      if (end < 0) return out;
      i = end;
      continue;
    }
    if (c === '<' && s.startsWith('<<', i)) {
      // heredoc: scan its template text like a string
      const m = s.slice(i).match(/^<<-?([A-Za-z_][A-Za-z0-9_]*)\r?\n([\s\S]*?)\n\s*\1/);
      if (m) {
        for (const e of templateExpressions(m[2]).exprs) expressionReferences(e.text, out, scope);
        i += m[0].length - 1;
        continue;
      }
    }
    if (!ID_START.test(c) || (i > 0 && (ID_CHAR.test(s[i - 1]) || /[0-9.]/.test(s[i - 1])))) continue;
    let j = readIdent(s, i);
    const root = s.slice(i, j);
    const after = nextNonSpace(s, j);
    if (s[after] === '(' || s.startsWith('::', after)) {
      // function call or provider-defined function
      if (s.startsWith('::', after)) {
        j = after;
        while (s.startsWith('::', j)) j = readIdent(s, j + 2);
      }
      i = j - 1;
      continue;
    }
    if (root === 'for') {
      // for x in ... / for k, v in ...
      let k = nextNonSpace(s, j);
      while (k < s.length) {
        const e = readIdent(s, k);
        const name = s.slice(k, e);
        if (!name || name === 'in') break;
        scope.add(name);
        k = nextNonSpace(s, e);
        if (s[k] === ',') k = nextNonSpace(s, k + 1);
      }
      i = k - 1;
      continue;
    }
    const parts = [];
    for (;;) {
      if (s[j] === '.' && ID_START.test(s[j + 1] ?? '')) {
        const e = readIdent(s, j + 1);
        parts.push(s.slice(j + 1, e));
        j = e;
      } else if (s[j] === '.' && /[0-9]/.test(s[j + 1] ?? '')) {
        j++;
        while (/[0-9]/.test(s[j] ?? '')) j++;
        parts.push('[]');
      } else if (s[j] === '.' && s[j + 1] === '*') {
        parts.push('*');
        j += 2;
      } else if (s[j] === '[') {
        const end = closeBracket(s, j);
        if (end < 0) break;
        const inner = s.slice(j + 1, end);
        if (inner.trim() === '*') parts.push('*');
        else {
          expressionReferences(inner, out, scope);
          parts.push('[]');
        }
        j = end + 1;
      } else break;
    }
    if (!scope.has(root)) out.push({ root, parts, text: s.slice(i, j) });
    i = j - 1;
  }
  return out;
}

// All traversals in a JSON string value treated as a template.
export function stringReferences(str) {
  const { exprs, error } = templateExpressions(str);
  const out = [];
  const scope = new Set();
  for (const e of exprs) expressionReferences(e.text, out, scope);
  return { refs: out, error };
}

// Is a version (e.g. "5.100.0") allowed by a Terraform version constraint
// string (e.g. "~> 5.0, != 5.1.0")? Unknown syntax counts as allowed.
export function versionSatisfies(version, constraint) {
  const v = version.split('.').map(Number);
  const cmp = (a, b) => {
    for (let i = 0; i < Math.max(a.length, b.length); i++) {
      const d = (a[i] ?? 0) - (b[i] ?? 0);
      if (d) return Math.sign(d);
    }
    return 0;
  };
  for (const part of String(constraint).split(',')) {
    const m = part.trim().match(/^(~>|>=|<=|!=|=|>|<)?\s*v?(\d+(?:\.\d+){0,2})$/);
    if (!m) continue;
    const op = m[1] ?? '=';
    const w = m[2].split('.').map(Number);
    const c = cmp(v, w);
    let ok;
    switch (op) {
      case '=': ok = c === 0; break;
      case '!=': ok = c !== 0; break;
      case '>': ok = c > 0; break;
      case '>=': ok = c >= 0; break;
      case '<': ok = c < 0; break;
      case '<=': ok = c <= 0; break;
      case '~>': {
        // ~> 5.0 means >= 5.0, < 6; ~> 5.1.2 means >= 5.1.2, < 5.2; ~> 5 means >= 5, < 6
        const upper = w.length === 1 ? [w[0] + 1] : [...w.slice(0, -2), w[w.length - 2] + 1];
        ok = c >= 0 && cmp(v, upper) < 0;
        break;
      }
    }
    if (!ok) return false;
  }
  return true;
}
