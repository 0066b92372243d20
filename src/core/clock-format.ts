// Intl is part of ECMAScript, so this stays runtime-free. Building a DateTimeFormat is costly
// (it loads time-zone data), hence one cached formatter per zone.
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat("en-US", {
      timeZone,
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
      hourCycle: "h23",
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

interface WallClock {
  year: string;
  month: string;
  day: string;
  hour: string;
  minute: string;
  second: string;
}

function wallClock(epochMs: number, timeZone: string): WallClock {
  const parts: Record<string, string> = {};
  for (const part of formatterFor(timeZone).formatToParts(epochMs)) parts[part.type] = part.value;
  return {
    year: parts.year ?? "",
    month: parts.month ?? "",
    day: parts.day ?? "",
    hour: parts.hour ?? "",
    minute: parts.minute ?? "",
    second: parts.second ?? "",
  };
}

/** `YYYY.MM.DD` of the instant in the time zone, as the original demo printed it. */
export function formatDate(epochMs: number, timeZone: string): string {
  const { year, month, day } = wallClock(epochMs, timeZone);
  return `${year}.${month}.${day}`;
}

/** `HH:MM:SS` (24-hour) of the instant in the time zone. */
export function formatTime(epochMs: number, timeZone: string): string {
  const { hour, minute, second } = wallClock(epochMs, timeZone);
  return `${hour}:${minute}:${second}`;
}

/** Whether the runtime knows this IANA time zone name. */
export function isKnownTimeZone(timeZone: string): boolean {
  try {
    formatterFor(timeZone);
    return true;
  } catch {
    return false;
  }
}
