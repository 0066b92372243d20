// One Durable Object per WebSocket connection, on the Hibernation API: the object may be evicted
// while the socket stays open, so everything it knows about the connection lives in the socket's
// attachment (https://developers.cloudflare.com/durable-objects/best-practices/websockets/).
import { DurableObject } from "cloudflare:workers";
import type { AcceptedUpgrade } from "../src/adapter/contract.ts";
import { closeAfterCoreFailure, connectionFields, logClose } from "../src/adapter/driver-policy.ts";
import { parseConfig, sessionRulesOf, type Config } from "../src/config.ts";
import { botReply } from "../src/core/bot.ts";
import { closeLogCounters, deadPeerTimeoutMs } from "../src/core/connection-end.ts";
import { chargeReplies, emptySendBudget, modelledFlowControlOf, type ModelledFlowControl, type SendBudget } from "../src/core/send-budget.ts";
import { checkIdle, nextDeadline, openSession, receiveMessage, type SessionRules, type SessionSocket, type SessionState } from "../src/core/session.ts";
import { StepClock } from "../src/core/step-clock.ts";
import { createLogger, type Logger } from "../src/log.ts";
import { addressLimitRulesOf, leaseConnection, releaseConnectionLease, type AddressLimitRules } from "./address-limit.ts";
import { countClose, countOpen } from "./analytics.ts";
import { closeReplyCode } from "./close-reply.ts";
import { readForwardedUpgrade } from "./forwarded-upgrade.ts";

/** What a socket carries through hibernation (an attachment holds at most 16 KiB). */
export interface ConnectionAttachment {
  upgrade: AcceptedUpgrade;
  session: SessionState;
  /** The replies this connection was sent, as flow control models them (workerd shows no send buffer). */
  sendBudget: SendBudget;
  /** How long flow control has stopped reading this connection in all, for the close log. */
  pausedMs: number;
  /** When our close went out; a peer that has not answered it by closeTimeoutMs later is dropped. */
  closeSentAt?: number;
  /** Set when alarm() closed a connection whose client never sent a frame (see releaseConnection). */
  releaseAfterClose?: boolean;
}

/**
 * The application-level ping that workerd answers without waking the object. Its reply is what the
 * core would answer anyway, so the contract holds whether or not the runtime intercepts it.
 */
export const AUTO_PING = "ping";

function autoPingReply(upgrade: AcceptedUpgrade, rules: SessionRules): string {
  return upgrade.route === "echo" ? AUTO_PING : botReply(AUTO_PING, { now: Date.now(), timeZone: rules.timeZone }).text;
}

/**
 * Runs a core step against `ws` with its sends and close held back until `save` has run (told whether
 * the step closes): the state the step leaves must be in the socket's attachment before the close
 * that may end the connection. Returns whether the step closed.
 */
function stepThenSave(ws: WebSocket, step: (socket: SessionSocket) => void, save: (closes: boolean) => void): boolean {
  const held: Array<() => void> = [];
  let closes = false;
  step({
    send: (data) => held.push(() => ws.send(data)),
    close: (code, reason) => {
      closes = true;
      held.push(() => ws.close(code, reason));
    },
  });
  save(closes);
  for (const call of held) call();
  return closes;
}

/** The Durable Object that serves one accepted `/ws` or `/echo` upgrade. */
export class ConnectionObject extends DurableObject<Env> {
  private readonly rules: SessionRules;
  private readonly clock = new StepClock();
  private readonly flowControl: ModelledFlowControl;
  private readonly closeTimeoutMs: number;
  private readonly addressLimit: AddressLimitRules;
  private readonly log: Logger;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    // The Worker validated the same vars before forwarding, so this cannot fail in practice.
    // A copy: Env is an interface without an index signature, and parseConfig reads a plain record.
    const config = parseConfig({ ...env });
    this.rules = this.sessionRules(config);
    this.flowControl = modelledFlowControlOf(config.maxBufferedBytes);
    this.closeTimeoutMs = deadPeerTimeoutMs(config.pingIntervalS);
    this.addressLimit = addressLimitRulesOf(config, this.closeTimeoutMs);
    this.log = createLogger({ runtime: "workers", level: config.logLevel });
  }

  /** The core's rules from the settings. (A test entry gives rules the settings would refuse, to make the core throw.) */
  protected sessionRules(config: Config): SessionRules {
    return sessionRulesOf(config);
  }

  override async fetch(request: Request): Promise<Response> {
    const upgrade = readForwardedUpgrade(request);
    if (!upgrade) return new Response("Connections are opened through the Worker\n", { status: 400 });
    const { 0: client, 1: server } = new WebSocketPair();
    this.ctx.acceptWebSocket(server);
    const now = Date.now();
    const session = openSession(upgrade.route, now, this.rules);
    server.serializeAttachment({ upgrade, session, sendBudget: emptySendBudget(now), pausedMs: 0 } satisfies ConnectionAttachment);
    // One object per connection, so the object-wide auto-response can follow this socket's route.
    this.ctx.setWebSocketAutoResponse(new WebSocketRequestResponsePair(AUTO_PING, autoPingReply(upgrade, this.rules)));
    await this.scheduleAlarm({ session });
    this.log.info("open", { ...connectionFields(upgrade), protocol: upgrade.protocol });
    countOpen(this.env, upgrade);
    const headers: HeadersInit = upgrade.protocol === undefined ? {} : { "Sec-WebSocket-Protocol": upgrade.protocol };
    return new Response(null, { status: 101, webSocket: client, headers });
  }

  override webSocketMessage(ws: WebSocket, message: string | ArrayBuffer): Promise<void> | undefined {
    const attachment = attachmentOf(ws);
    const bytesOutBefore = attachment.session.bytesOut;
    let pauseMs = 0;
    let closes: boolean;
    try {
      // Binary messages arrive as ArrayBuffer and go back to send as they are; text was already decoded by
      // workerd, which replaces invalid UTF-8 with U+FFFD instead of closing with 1007.
      closes = stepThenSave(
        ws,
        (socket) => receiveMessage(attachment.session, message, this.clock, this.rules, socket),
        (closes) => {
          const now = Date.now();
          pauseMs = chargeReplies(attachment.sendBudget, attachment.session.bytesOut - bytesOutBefore, now, this.flowControl);
          attachment.pausedMs += pauseMs;
          if (closes) attachment.closeSentAt = now;
          ws.serializeAttachment(attachment satisfies ConnectionAttachment);
        },
      );
    } catch (error) {
      return this.stepFailed(ws, attachment, error);
    }
    // Our close must be answered in time; until then the alarm waits for that. Otherwise the idle
    // alarm is not moved on every message (a storage write each): when it fires early, alarm() finds
    // the later deadline and sets it again.
    if (closes) return this.scheduleAlarm(attachment);
    if (pauseMs > 0) return this.stopReading(pauseMs);
    return undefined;
  }

  override async webSocketClose(ws: WebSocket, code: number, reason: string): Promise<void> {
    const attachment = attachmentOf(ws);
    // CLOSED already: our close went first and this is the peer's answer, the handshake is done.
    const answeredOurClose = ws.readyState === WebSocket.CLOSED;
    answerClose(ws, code, reason);
    logClose(this.log, connectionFields(attachment.upgrade), code, reason, attachment.session, attachment.pausedMs, Date.now());
    await this.ended(attachment, code, answeredOurClose ? "server" : "client");
    await this.ctx.storage.deleteAlarm();
    if (attachment.releaseAfterClose && answeredOurClose) releaseConnection(this.ctx);
  }

  // workerd dispatches either this or webSocketClose when a socket fails, so it ends the connection too.
  override async webSocketError(ws: WebSocket, error: unknown): Promise<void> {
    const attachment = attachmentOf(ws);
    this.log.warn("error", { ...connectionFields(attachment.upgrade), message: error instanceof Error ? error.message : "socket error" });
    await this.ended(attachment, 1006, "error");
  }

  /** What every way a connection ends does: count the close and give back its per-address lease. */
  private async ended(attachment: ConnectionAttachment, code: number, closedFirst: "server" | "client" | "error"): Promise<void> {
    countClose(this.env, attachment.upgrade, code, closedFirst, countersOf(attachment));
    await releaseConnectionLease(this.env, attachment.upgrade.remoteAddress, attachment.upgrade.id, this.addressLimit, this.log);
  }

  /**
   * The idle timeout, and the deadline for the peer to answer our close: a Durable Object alarm,
   * because a pending setTimeout would keep the object awake.
   */
  override async alarm(): Promise<void> {
    for (const ws of this.ctx.getWebSockets()) {
      if (ws.readyState !== WebSocket.CLOSED) await this.checkDeadlines(ws);
    }
  }

  /** One socket's part of alarm(): the deadline for the answer to our close, or the idle timeout. */
  private async checkDeadlines(ws: WebSocket): Promise<void> {
    const attachment = attachmentOf(ws);
    const { closeSentAt } = attachment;
    if (closeSentAt !== undefined) {
      if (Date.now() >= closeSentAt + this.closeTimeoutMs) return this.dropUnanswered(attachment);
      return this.scheduleAlarm(attachment);
    }
    const lastAutoResponse = this.ctx.getWebSocketAutoResponseTimestamp(ws);
    const session = withAutoResponses(attachment.session, lastAutoResponse);
    const now = Date.now();
    const silent = session.messagesIn === 0 && lastAutoResponse === null;
    let closed: boolean;
    try {
      closed = stepThenSave(
        ws,
        (socket) => checkIdle(session, now, this.rules, socket),
        (closes) => ws.serializeAttachment({ ...attachment, session, ...(closes ? { closeSentAt: now, releaseAfterClose: silent } : {}) } satisfies ConnectionAttachment),
      );
    } catch (error) {
      return this.stepFailed(ws, attachment, error);
    }
    await this.scheduleAlarm(closed ? { session, closeSentAt: now } : { session });
    // Awake anyway: renew the per-address lease of a connection that stays open.
    if (!closed) await leaseConnection(this.env, attachment.upgrade.remoteAddress, attachment.upgrade.id, this.addressLimit, this.log);
  }

  /**
   * The core threw for this connection: the drivers' one policy (1011 and one error line), and our
   * close recorded, so the alarm drops a peer that never answers it.
   */
  private stepFailed(ws: WebSocket, attachment: ConnectionAttachment, error: unknown): Promise<void> {
    // Saved before the close, as stepThenSave does: the close may end the connection.
    attachment.session.closing = true;
    attachment.closeSentAt = Date.now();
    try {
      ws.serializeAttachment(attachment satisfies ConnectionAttachment);
    } catch {
      // The state the step left cannot be kept; the close goes out all the same.
    }
    closeAfterCoreFailure(ws, attachment.session, this.log, connectionFields(attachment.upgrade), error);
    return this.scheduleAlarm(attachment);
  }

  /** Sets the alarm for what the connection waits for next: the peer's answer to our close, or its idle deadline. */
  private async scheduleAlarm({ session, closeSentAt }: Pick<ConnectionAttachment, "session" | "closeSentAt">): Promise<void> {
    const deadline = closeSentAt === undefined ? nextDeadline(session, this.rules) : closeSentAt + this.closeTimeoutMs;
    if (deadline === undefined) await this.ctx.storage.deleteAlarm();
    else await this.ctx.storage.setAlarm(deadline);
  }

  /**
   * Stops reading this connection for `ms`. While the object holds its input gate, workerd delivers
   * no event to it and so reads nothing more from the socket: TCP pushes back on the client, as on
   * the runtimes that can pause a socket. (One object per connection: no other connection waits.)
   */
  private stopReading(ms: number): Promise<void> {
    return this.ctx.blockConcurrencyWhile(() => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  }

  /**
   * A peer that has not answered our close within closeTimeoutMs: the close frame may wait behind
   * replies it does not read, and workerd would hold those for as long as the TCP connection stays
   * open. Ending the object drops the connection and frees its send queue.
   */
  private async dropUnanswered(attachment: ConnectionAttachment): Promise<void> {
    const waitedMs = Date.now() - (attachment.closeSentAt ?? 0);
    this.log.warn("close", { ...connectionFields(attachment.upgrade), reason: "close not answered", waited_ms: waitedMs, ...countersOf(attachment) });
    // Dropped without a close frame from the peer: 1006, as workerd reports a dropped connection.
    await this.ended(attachment, 1006, "server");
    await this.ctx.storage.deleteAlarm();
    // From a timer, once alarm() has returned: abort() inside it would fail the run, which the runtime
    // retries, building the object again only to find no socket.
    setTimeout(() => this.ctx.abort("close not answered"), 0);
  }
}

function attachmentOf(ws: WebSocket): ConnectionAttachment {
  return ws.deserializeAttachment() as ConnectionAttachment;
}

function countersOf({ session, pausedMs }: ConnectionAttachment) {
  return closeLogCounters(session, pausedMs, Date.now());
}

// A ping answered by the runtime is a message too: it keeps the connection from idling out.
// (The rate limiter and the byte counters do not see those; they never reach our code.)
function withAutoResponses(session: SessionState, lastAutoResponse: Date | null): SessionState {
  const at = lastAutoResponse?.getTime() ?? 0;
  return at > session.lastMessageAt ? { ...session, lastMessageAt: at } : session;
}

// When the peer's answer to our close is the first frame it ever sent, workerd holds the TCP
// connection after the handshake until the object hibernates, about 10 s later, and a WebSocket
// client sees its close only then. Any earlier client frame (even an auto-answered "ping") and the
// FIN follows at once, so only such a silent connection needs this. Ending the instance releases
// it: with one object per connection there is nothing left to serve. From a timer, once
// webSocketClose has returned: an abort() inside the event fails the event, which workerd logs
// as an uncaught exception.
function releaseConnection(ctx: DurableObjectState): void {
  if (ctx.getWebSockets().some((ws) => ws.readyState !== WebSocket.CLOSED)) return;
  setTimeout(() => ctx.abort("connection closed"), 0);
}

// workerd does not answer a peer's close frame by itself: without this the client gets no close
// frame and its TCP connection drops ten seconds later. (After our own close, e.g. `bye`, the
// peer's answer completes the handshake and the socket is already CLOSED.)
function answerClose(ws: WebSocket, code: number, reason: string): void {
  if (ws.readyState === WebSocket.CLOSED) return;
  const replyCode = closeReplyCode(code);
  const replyReason = replyCode === code ? reason : replyCode === 1002 ? "invalid close code" : "";
  try {
    ws.close(replyCode, replyReason);
  } catch {
    // A connection that dropped (workerd's 1006) has no one left to answer.
  }
}
