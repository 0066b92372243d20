// The time of one step of a session, read from the system clock only when something asks for it, and
// then once. Lazily, so a rule that needs the time simply asks: no list of the rules that read it to
// keep in step, and a step that needs no time (an echo with no idle timeout and no rate limit) does
// not pay for reading the clock, which costs about as much as the rest of such a step.

/** One per driver (a process, a Durable Object), reused by every step: nothing is allocated per message. */
export class StepClock {
  readonly #read: () => number;
  #now = 0;
  #known = false;

  /** `read` gives epoch milliseconds (Date.now; a fixed time in tests). */
  constructor(read: () => number = () => Date.now()) {
    this.#read = read;
  }

  /** Starts a step: the next {@link now} reads the clock again. */
  startStep(): void {
    this.#known = false;
  }

  /** The time of the current step, read on its first call. */
  now(): number {
    if (!this.#known) {
      this.#now = this.#read();
      this.#known = true;
    }
    return this.#now;
  }
}
