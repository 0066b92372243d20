import { formatDate, formatTime } from "./clock-format.ts";

/** What a command needs to know about the moment it runs. */
export interface CommandContext {
  /** Epoch milliseconds. */
  now: number;
  /** IANA zone for `date` and `time`. */
  timeZone: string;
}

/** A bot command: its reply, and whether the server ends the conversation after it. */
export interface Command {
  reply: (context: CommandContext) => string;
  closesConnection?: boolean;
}

// The replies are the original PHP demo's, word for word. Adding a command is adding a row.
const table = {
  hello: { reply: () => "hello human" },
  hi: { reply: () => "zup human" },
  name: { reply: () => "my name is Multivac, silly I know" },
  age: { reply: () => "I am older than time itself" },
  date: { reply: ({ now, timeZone }) => `today is ${formatDate(now, timeZone)}` },
  time: { reply: ({ now, timeZone }) => `server time is ${formatTime(now, timeZone)}` },
  thanks: { reply: () => "you're welcome" },
  bye: { reply: () => "bye", closesConnection: true },
  help: { reply: () => `commands: ${commandNames.join(", ")}` },
} satisfies Record<string, Command>;

/** The command words, in the order `help` lists them. */
export const commandNames: readonly string[] = Object.keys(table);

/** The command a message asks for: trimmed and case-insensitive, or undefined for plain text. */
export function findCommand(text: string): Command | undefined {
  const word = text.trim().toLowerCase();
  return Object.hasOwn(table, word) ? table[word as keyof typeof table] : undefined;
}
