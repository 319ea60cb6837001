// Shared helpers: problem collection, output format, "did you mean" hints.

// Collects problems for one input file. Output format (one line each):
//   FILE: Resources.X.Properties.Y: message
export class Reporter {
  constructor(file) {
    this.file = file;
    this.problems = [];
  }

  add(path, message) {
    this.problems.push({ path, message });
  }

  lines() {
    return this.problems.map((p) => `${this.file}: ${p.path || '(file)'}: ${p.message}`);
  }
}

// A throw-away reporter used to try alternatives (e.g. union members).
export class ScratchReporter extends Reporter {
  constructor() {
    super('');
  }
}

// Path building: join('Resources', 'X') -> "Resources.X"; index -> "Foo[3]".
export function join(path, key) {
  if (typeof key === 'number') return `${path}[${key}]`;
  return path ? `${path}.${key}` : String(key);
}

function levenshtein(a, b) {
  if (a === b) return 0;
  const prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0];
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = prev[j];
      prev[j] = Math.min(prev[j] + 1, prev[j - 1] + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = tmp;
    }
  }
  return prev[b.length];
}

// " (did you mean 'X'?)" for the closest candidate, or "" if nothing is close.
export function suggest(name, candidates) {
  const lower = String(name).toLowerCase();
  let best = null;
  let bestDist = Infinity;
  for (const c of candidates) {
    const d = c.toLowerCase() === lower ? 0 : levenshtein(lower, c.toLowerCase());
    if (d < bestDist) {
      best = c;
      bestDist = d;
    }
  }
  const limit = Math.max(1, Math.min(3, Math.floor(String(name).length / 4)));
  return best !== null && bestDist <= limit ? ` (did you mean '${best}'?)` : '';
}

export const isPlainObject = (v) => v !== null && typeof v === 'object' && !Array.isArray(v);

export function describe(v) {
  if (v === null) return 'null';
  if (Array.isArray(v)) return `a list of ${v.length} element${v.length === 1 ? '' : 's'}`;
  if (typeof v === 'object') return 'an object';
  return `${typeof v} ${JSON.stringify(v)}`;
}

// Shared command-line handling: returns the list of files, exits on --help.
export function parseArgs(argv, usage, flags = {}) {
  const files = [];
  const options = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '-h' || a === '--help') {
      console.log(usage);
      process.exit(0);
    } else if (a in flags) {
      if (i + 1 >= argv.length) {
        console.error(`${a} needs a value\n${usage}`);
        process.exit(2);
      }
      options[flags[a]] = argv[++i];
    } else if (a.startsWith('--')) {
      console.error(`unknown option ${a}\n${usage}`);
      process.exit(2);
    } else {
      files.push(a);
    }
  }
  if (files.length === 0) {
    console.error(usage);
    process.exit(2);
  }
  return { files, options };
}
