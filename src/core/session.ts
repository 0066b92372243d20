// The per-connection state machine. State is plain data (JSON-safe), so a Durable Object can keep it in
// a socket attachment across hibernation and a Node or Deno process can keep it on the connection.
// A message advances the state in place and the reply goes straight to the socket the adapter hands
// in: no event, step or action object per message. Each of those is garbage and time on the path of
// every message, which shows in tail latency when many connections are busy (docs/benchmarks.md).
import { botReply, ECHO_PREFIX } from "./bot.ts";
import { CloseCode } from "./close-codes.ts";
import { fullBucketTokens, takeToken, type TokenBucket } from "./rate-limit.ts";
import type { StepClock } from "./step-clock.ts";
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
  /**
   * When the last message came, for the idle timeout (its one reader). Updated only while an idle
   * timeout is on: without one, nothing reads it.
   */
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

/** A message as the WebSocket API has it: a string is a text message, bytes a binary one. */
export type Message = string | Bytes;

/** What a session asks of its socket. ws's, Bun's, Deno's and workerd's WebSocket all fit as they are. */
export interface SessionSocket {
  /** A string goes out as a text frame, bytes as a binary frame. */
  send(data: Message): void;
  /**
   * Sends bytes that are valid UTF-8 as a text frame, as they are: where a runtime hands text over
   * as bytes (the ws stack), its socket has this, so an echo needs no decode and no encode.
   */
  sendTextBytes?(data: Bytes): void;
  close(code: number, reason: string): void;
}

/** The state of a connection that has just opened. Nothing is sent on open. */
export function openSession(route: Route, now: number, rules: SessionRules): SessionState {
  return {
    route,
    openedAt: now,
    lastMessageAt: now,
    // The bucket's fields written out, not spread from a bucket object: a spread builds a second object
    // and leaves this one with its fields out of line, for as long as the connection lives.
    tokens: fullBucketTokens(rules.rateLimit),
    refilledAt: now,
    messagesIn: 0,
    bytesIn: 0,
    messagesOut: 0,
    bytesOut: 0,
    closing: false,
  };
}

/** Epoch milliseconds at which checkIdle would close this session, or undefined if never. */
export function nextDeadline(state: SessionState, rules: SessionRules): number | undefined {
  if (state.closing || rules.idleTimeoutMs <= 0) return undefined;
  return state.lastMessageAt + rules.idleTimeoutMs;
}

function close(state: SessionState, socket: SessionSocket, code: number, reason: string): void {
  state.closing = true;
  socket.close(code, reason);
}

function send(state: SessionState, socket: SessionSocket, data: Message, bytes: number): void {
  state.messagesOut += 1;
  state.bytesOut += bytes;
  socket.send(data);
}

function sendTextBytes(state: SessionState, socket: SessionSocket, data: Bytes, bytes: number): void {
  state.messagesOut += 1;
  state.bytesOut += bytes;
  if (socket.sendTextBytes) socket.sendTextBytes(data);
  else socket.send(utf8.decode(data));
}

// The runtime has checked a text frame's UTF-8 already, so decoding cannot fail.
const utf8 = new TextDecoder();
const echoPrefixBytes = new TextEncoder().encode(ECHO_PREFIX);

function withEchoPrefix(message: Bytes): Uint8Array<ArrayBuffer> {
  const bytes = message instanceof Uint8Array ? message : new Uint8Array(message);
  const reply = new Uint8Array(echoPrefixBytes.byteLength + bytes.byteLength);
  reply.set(echoPrefixBytes);
  reply.set(bytes, echoPrefixBytes.byteLength);
  return reply;
}

/**
 * Advances `state` (in place) by one received message and asks `socket` for the reply, the close, or
 * both. `clock` reads the time at most once, and only when a rule or a reply asks for it. `textBytes`
 * says that bytes came in a text frame whose UTF-8 the runtime has checked (ws hands text over so):
 * the echo sends them back as text, without a decode and an encode.
 */
export function receiveMessage(state: SessionState, message: Message, clock: StepClock, rules: SessionRules, socket: SessionSocket, textBytes = false): void {
  if (state.closing) return;
  clock.startStep();

  const size = typeof message === "string" ? utf8ByteLength(message) : message.byteLength;
  // Without an idle timeout lastMessageAt is not even touched: a double field is a heap box of its
  // own, and with 1,000 connections taking turns each object a message touches is likely a cache miss.
  if (rules.idleTimeoutMs > 0) state.lastMessageAt = clock.now();
  const isText = textBytes || typeof message === "string";
  state.messagesIn += 1;
  state.bytesIn += size;
  // Every runtime's own payload limit (ws, Bun, workerd) stops big messages before this; the core is
  // the limit of last resort.
  if (size > rules.maxMessageBytes) return close(state, socket, CloseCode.messageTooBig, "message too big");

  if (rules.rateLimit > 0 && !takeToken(state, rules.rateLimit, clock.now())) return close(state, socket, CloseCode.policyViolation, "rate limit");

  // Binary is echoed on both routes, text on /echo: the same object goes back as the frame type it
  // came in, so its size is known.
  if (!isText || state.route === "echo") return textBytes && typeof message !== "string" ? sendTextBytes(state, socket, message, size) : send(state, socket, message, size);
  const text = typeof message === "string" ? message : utf8.decode(message);
  const reply = botReply(text, { now: clock.now(), timeZone: rules.timeZone });
  // Text that came as bytes goes back as bytes behind the prefix: the reply string would be flattened
  // and encoded again, garbage the size of the message for every message.
  if (reply.echoesMessage && typeof message !== "string" && socket.sendTextBytes) sendTextBytes(state, socket, withEchoPrefix(message), echoPrefixBytes.byteLength + size);
  else send(state, socket, reply.text, utf8ByteLength(reply.text));
  if (reply.closesConnection) close(state, socket, CloseCode.normal, "bye");
}

/** The timer's side: closes the session through `socket` once its idle deadline has passed at `now`. */
export function checkIdle(state: SessionState, now: number, rules: SessionRules, socket: SessionSocket): void {
  const deadline = nextDeadline(state, rules);
  if (deadline !== undefined && now >= deadline) close(state, socket, CloseCode.normal, "idle timeout");
}
