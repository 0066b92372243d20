// The per-connection state machine: (state, event, clock) -> { state, actions }.
// State is plain data (JSON-safe), so a Durable Object can keep it in a socket attachment across
// hibernation and a Node or Deno process can keep it in a closure; effects are left to adapters.
import { botReply } from "./bot.ts";
import { CloseCode } from "./close-codes.ts";
import { fullBucket, takeToken, type TokenBucket } from "./rate-limit.ts";
import { utf8ByteLength } from "./utf8.ts";

/** Which service a connection talks to: the chat bot on `/ws` or the byte-exact echo on `/echo`. */
export type Route = "bot" | "echo";

/** Limits and settings that apply to every session of a server. */
export interface SessionRules {
  /** Largest message accepted, in bytes; larger closes with 1009. */
  maxMessageBytes: number;
  /** Sustained messages per second (burst 2x); 0 turns the limit off. */
  rateLimit: number;
  /** Milliseconds without a message before the server closes; 0 turns it off. */
  idleTimeoutMs: number;
  /** IANA zone for the bot's `date` and `time`. */
  timeZone: string;
}

/**
 * The serialisable state of one connection. Flat (the rate limit's bucket is two fields of it, not an
 * object of its own): a process holding 10,000 idle connections holds one object per connection here.
 */
export interface SessionState extends TokenBucket {
  route: Route;
  openedAt: number;
  /** When the last message came; kept only while an idle timeout applies, its one reader. */
  lastMessageAt: number;
  messagesIn: number;
  bytesIn: number;
  messagesOut: number;
  bytesOut: number;
  /** Set once the session has asked to close; later messages are ignored. */
  closing: boolean;
}

/**
 * A binary message's bytes as the runtime delivered them: Deno and workerd give an ArrayBuffer, Node
 * and Bun a Buffer. The core reads only `byteLength`, so the same object goes back to the runtime's
 * send, without a view or a copy per message.
 */
export type Bytes = ArrayBuffer | Uint8Array<ArrayBuffer>;

/** Something that happened to a connection. */
export type SessionEvent =
  | { kind: "text"; text: string }
  | { kind: "binary"; data: Bytes }
  /** A timer fired: the adapter asks whether a deadline (idle timeout) has passed. */
  | { kind: "tick" };

/** Something the adapter must do on the socket, in order. */
export type SessionAction =
  | { kind: "sendText"; text: string }
  | { kind: "sendBinary"; data: Bytes }
  | { kind: "close"; code: number; reason: string };

/**
 * Where a step reads the time (epoch milliseconds). A function, because most steps never call it: an
 * echo with no idle timeout and no rate limit needs no time, and reading the clock costs as much as the
 * rest of such a step (~40 ns in V8 and JSC, on the path of every message).
 */
export type Clock = () => number;

/** The outcome of one step. */
export interface SessionStep {
  state: SessionState;
  actions: SessionAction[];
}

/** The state of a connection that has just opened. Nothing is sent on open. */
export function openSession(route: Route, now: number, rules: SessionRules): SessionState {
  return {
    route,
    openedAt: now,
    lastMessageAt: now,
    ...fullBucket(rules.rateLimit, now),
    messagesIn: 0,
    bytesIn: 0,
    messagesOut: 0,
    bytesOut: 0,
    closing: false,
  };
}

/** Epoch milliseconds at which a `tick` would close this session, or undefined if never. */
export function nextDeadline(state: SessionState, rules: SessionRules): number | undefined {
  if (state.closing || rules.idleTimeoutMs <= 0) return undefined;
  return state.lastMessageAt + rules.idleTimeoutMs;
}

function close(state: SessionState, code: number, reason: string): SessionStep {
  return { state: { ...state, closing: true }, actions: [{ kind: "close", code, reason }] };
}

function replyTo(state: SessionState, event: SessionEvent & { kind: "text" | "binary" }, now: number, rules: SessionRules): SessionAction[] {
  if (event.kind === "binary") return [{ kind: "sendBinary", data: event.data }];
  if (state.route === "echo") return [{ kind: "sendText", text: event.text }];
  const reply = botReply(event.text, { now, timeZone: rules.timeZone });
  const actions: SessionAction[] = [{ kind: "sendText", text: reply.text }];
  if (reply.closesConnection) actions.push({ kind: "close", code: CloseCode.normal, reason: "bye" });
  return actions;
}

function bytesOf(action: SessionAction): number {
  if (action.kind === "sendText") return utf8ByteLength(action.text);
  if (action.kind === "sendBinary") return action.data.byteLength;
  return 0;
}

/** Whether a message step reads the time: the idle timeout, the rate limit and the bot's replies do. */
function needsTime(state: SessionState, event: SessionEvent, rules: SessionRules): boolean {
  return rules.idleTimeoutMs > 0 || rules.rateLimit > 0 || (state.route === "bot" && event.kind === "text");
}

/**
 * `state` after one more message of `size` bytes, as a new object: the caller's state is never changed.
 * Every field spelled out rather than `{ ...state }`: V8 builds a literal of known shape in a third of
 * the time of a spread copy, and this runs once per message.
 */
function received(state: SessionState, size: number, lastMessageAt: number): SessionState {
  return {
    route: state.route,
    openedAt: state.openedAt,
    lastMessageAt,
    tokens: state.tokens,
    refilledAt: state.refilledAt,
    messagesIn: state.messagesIn + 1,
    bytesIn: state.bytesIn + size,
    messagesOut: state.messagesOut,
    bytesOut: state.bytesOut,
    closing: state.closing,
  };
}

/** Advances a session by one event; `clock` is read only when a rule or a reply needs the time. */
export function stepSession(state: SessionState, event: SessionEvent, clock: Clock, rules: SessionRules): SessionStep {
  if (state.closing) return { state, actions: [] };

  if (event.kind === "tick") {
    const deadline = nextDeadline(state, rules);
    if (deadline !== undefined && clock() >= deadline) return close(state, CloseCode.normal, "idle timeout");
    return { state, actions: [] };
  }

  const size = event.kind === "binary" ? event.data.byteLength : utf8ByteLength(event.text);
  // The clock is read at most once a step, and not at all when nothing needs it: the step then runs at
  // the time of the last message, which no rule reads.
  const now = needsTime(state, event, rules) ? clock() : state.lastMessageAt;
  const next = received(state, size, now);
  // Runtimes with a native payload limit (ws, Bun, workerd) stop big messages before this;
  // Deno has none, so the core is the limit of last resort.
  if (size > rules.maxMessageBytes) return close(next, CloseCode.messageTooBig, "message too big");

  if (rules.rateLimit > 0) {
    const { bucket, allowed } = takeToken(state, rules.rateLimit, now);
    next.tokens = bucket.tokens;
    next.refilledAt = bucket.refilledAt;
    if (!allowed) return close(next, CloseCode.policyViolation, "rate limit");
  }

  const actions = replyTo(next, event, now, rules);
  for (const action of actions) {
    if (action.kind === "close") next.closing = true;
    else {
      next.messagesOut += 1;
      next.bytesOut += bytesOf(action);
    }
  }
  return { state: next, actions };
}
