import { findCommand, type CommandContext } from "./commands.ts";

/** The bot's answer to one text message. */
export interface BotReply {
  text: string;
  /** True after `bye`: the server closes with 1000 once the reply is sent. */
  closesConnection: boolean;
}

/** The reply of the bot on `/ws` to a text message. */
export function botReply(text: string, context: CommandContext): BotReply {
  const command = findCommand(text);
  if (!command) return { text: `You have entered: ${text}`, closesConnection: false };
  return { text: command.reply(context), closesConnection: command.closesConnection === true };
}
