import { findCommand, type CommandContext } from "./commands.ts";

/** The bot's answer to one text message. */
export interface BotReply {
  text: string;
  /** True after `bye`: the server closes with 1000 once the reply is sent. */
  closesConnection: boolean;
  /** True when the reply is {@link ECHO_PREFIX} and the message as it came (no command matched). */
  echoesMessage: boolean;
}

/** What the bot puts before a message that is not a command. */
export const ECHO_PREFIX = "You have entered: ";

/** The reply of the bot on `/ws` to a text message. */
export function botReply(text: string, context: CommandContext): BotReply {
  const command = findCommand(text);
  if (!command) return { text: `${ECHO_PREFIX}${text}`, closesConnection: false, echoesMessage: true };
  return { text: command.reply(context), closesConnection: command.closesConnection === true, echoesMessage: false };
}
