// The kernel log: printk's ring buffer (kernel/printk/printk.c). Records keep their level,
// sequence number and timestamp; readers format them as syslog(2) (`<6>[    0.000123] text`),
// dmesg (`[    0.000123] text`) or /dev/kmsg (`6,12,123,-;text`) does.

export const KERN_EMERG = 0, KERN_ALERT = 1, KERN_CRIT = 2, KERN_ERR = 3;
export const KERN_WARNING = 4, KERN_NOTICE = 5, KERN_INFO = 6, KERN_DEBUG = 7;

/** CONFIG_LOG_BUF_SHIFT=17: a 128 KiB buffer, what syslog(SYSLOG_ACTION_SIZE_BUFFER) reports. */
export const LOG_BUF_LEN = 1 << 17;

export interface LogRecord {
  seq: number;
  level: number;
  /** Microseconds since boot. */
  usec: bigint;
  text: string;
}

export class Printk {
  private recs: LogRecord[] = [];
  private bytes = 0;
  private nextSeq = 0;
  /** syslog(2)'s clear mark: READ_ALL starts after it (SYSLOG_ACTION_CLEAR moves it). */
  private clearSeq = 0;

  /** `now` gives microseconds since boot (the kernel clock). */
  constructor(private readonly now: () => bigint) {}

  /** printk(level, text): one record per line, like the kernel splits multi-line messages. */
  printk(level: number, text: string): void {
    for (const line of text.replace(/\n$/, "").split("\n")) {
      const rec = { seq: this.nextSeq++, level, usec: this.now(), text: line };
      this.recs.push(rec);
      this.bytes += recordSize(rec);
    }
    while (this.bytes > LOG_BUF_LEN && this.recs.length > 1) this.bytes -= recordSize(this.recs.shift()!);
  }

  /** The records still in the buffer, oldest first. */
  records(): readonly LogRecord[] {
    return this.recs;
  }

  /** Records after the syslog clear mark (what READ_ALL and dmesg show). */
  sinceClear(): readonly LogRecord[] {
    return this.recs.filter((r) => r.seq >= this.clearSeq);
  }

  /** SYSLOG_ACTION_CLEAR. */
  clear(): void {
    this.clearSeq = this.nextSeq;
  }

  /** The sequence number the next record will get. */
  get next(): number {
    return this.nextSeq;
  }
}

function recordSize(r: LogRecord): number {
  return r.text.length + 16; // the kernel's record header is 16 bytes
}

/** `[    0.000123]`: seconds padded to 5, microseconds to 6 digits. */
export function timestamp(usec: bigint): string {
  const s = (usec / 1_000_000n).toString().padStart(5);
  const us = (usec % 1_000_000n).toString().padStart(6, "0");
  return `[${s}.${us}]`;
}

/** A record as syslog(2) READ_ALL returns it: `<level>[timestamp] text\n`. */
export function formatSyslog(r: LogRecord): string {
  return `<${r.level}>${timestamp(r.usec)} ${r.text}\n`;
}

/** A record as dmesg prints it. */
export function formatDmesg(r: LogRecord): string {
  return `${timestamp(r.usec)} ${r.text}\n`;
}
