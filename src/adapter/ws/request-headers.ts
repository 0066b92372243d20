// The headers of a request on node:http as a Fetch `Headers`, read straight from the raw header lines
// node:http has already parsed: a lookup scans them, joining repeated lines as Headers does. Building a
// real Headers per request copies every line (on Deno through WebIDL conversions), garbage that a
// burst of handshakes promotes to the old generation, where an idle process keeps it. Anything but a
// lookup (a change, an iteration) works on a real Headers made from the lines at that moment.

// RFC 9110 §5.1 token, and a field value without NUL, CR or LF: what the Headers constructor accepts.
const validName = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
const invalidValue = /[\0\r\n]/;

/** True when every raw header line is one a Fetch Headers would accept. */
export function validHeaderLines(rawHeaders: readonly string[]): boolean {
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    if (!validName.test(rawHeaders[i]!) || invalidValue.test(rawHeaders[i + 1]!)) return false;
  }
  return true;
}

const isHttpWhitespace = (code: number) => code === 9 || code === 10 || code === 13 || code === 32;

/** A header value without its leading and trailing whitespace, as Headers normalises it. */
function normalised(value: string): string {
  let start = 0;
  let end = value.length;
  while (start < end && isHttpWhitespace(value.charCodeAt(start))) start++;
  while (end > start && isHttpWhitespace(value.charCodeAt(end - 1))) end--;
  return start === 0 && end === value.length ? value : value.slice(start, end);
}

/** Headers over node:http's raw header lines (name, value, name, value, ...), checked by {@link validHeaderLines}. */
class RawLineHeaders {
  readonly #lines: readonly string[];
  #real: Headers | undefined;

  constructor(lines: readonly string[]) {
    this.#lines = lines;
  }

  get(name: string): string | null {
    const wanted = name.toLowerCase();
    // Runtimes join repeated Cookie lines each their own way: theirs decides.
    if (this.#real || wanted === "cookie") return this.#headers.get(name);
    let value: string | null = null;
    for (let i = 0; i + 1 < this.#lines.length; i += 2) {
      const line = this.#lines[i]!;
      if (line.length !== wanted.length || line.toLowerCase() !== wanted) continue;
      const each = normalised(this.#lines[i + 1]!);
      value = value === null ? each : `${value}, ${each}`;
    }
    return value;
  }

  has(name: string): boolean {
    return this.get(name) !== null;
  }

  /** The real Headers, made from the lines on first need. */
  get #headers(): Headers {
    if (!this.#real) {
      const real = new Headers();
      for (let i = 0; i + 1 < this.#lines.length; i += 2) real.append(this.#lines[i]!, this.#lines[i + 1]!);
      this.#real = real;
    }
    return this.#real;
  }

  append(name: string, value: string): void {
    this.#headers.append(name, value);
  }
  set(name: string, value: string): void {
    this.#headers.set(name, value);
  }
  delete(name: string): void {
    this.#headers.delete(name);
  }
  getSetCookie(): string[] {
    return this.#headers.getSetCookie();
  }
  forEach(callback: (value: string, name: string, headers: Headers) => void, thisArg?: unknown): void {
    this.#headers.forEach((value, name) => callback.call(thisArg, value, name, this as unknown as Headers));
  }
  entries(): ReturnType<Headers["entries"]> {
    return this.#headers.entries();
  }
  keys(): ReturnType<Headers["keys"]> {
    return this.#headers.keys();
  }
  values(): ReturnType<Headers["values"]> {
    return this.#headers.values();
  }
  [Symbol.iterator](): ReturnType<Headers["entries"]> {
    return this.#headers.entries();
  }
}

// `instanceof Headers` holds, as middleware may check; every member is defined above.
Object.setPrototypeOf(RawLineHeaders.prototype, Headers.prototype);

/** The headers of `rawHeaders` as a Headers, or undefined when a line is one Headers would refuse. */
export function headersOfLines(rawHeaders: readonly string[]): Headers | undefined {
  return validHeaderLines(rawHeaders) ? (new RawLineHeaders(rawHeaders) as unknown as Headers) : undefined;
}
