/**
 * Attachments atende keeps (stored with their message) but never forwards, to agents or to
 * customers: a help desk that relays files between strangers must not be the way malware or a
 * phishing payload reaches an inbox with our name on it. Agents are told such a file exists
 * (the notification's attachment list says why it was left out) and can fetch it deliberately
 * with `atende attachments get`.
 *
 * A file is dangerous by its *last* extension (`invoice.pdf.exe` runs as an .exe, and
 * `report.exe.pdf` opens as a PDF) or by its declared content type: either is enough, since a
 * sender controls both and mail clients act on one or the other.
 */

/** Extensions that run code when opened on Windows, macOS or a desktop with a default handler. */
const EXECUTABLE_EXTENSIONS = [
  // Windows programs and installers.
  'exe',
  'com',
  'scr',
  'pif',
  'msi',
  'msp',
  'mst',
  'dll',
  'cpl',
  'sys',
  'drv',
  'ocx',
  'appx',
  'msix',
  'appref-ms',
  // Scripts run by a shell or an interpreter Windows ships (cmd, Windows Script Host, PowerShell, HTML applications).
  'bat',
  'cmd',
  'js',
  'jse',
  'vbs',
  'vbe',
  'wsf',
  'wsh',
  'wsc',
  'ws',
  'ps1',
  'ps1xml',
  'ps2',
  'psm1',
  'psd1',
  'hta',
  'sct',
  'msh',
  'msh1',
  'msh2',
  'mshxml',
  // Java archives, shortcuts and settings that point at or change what runs.
  'jar',
  'lnk',
  'url',
  'scf',
  'reg',
  'inf',
  'gadget',
  'application',
  'settingcontent-ms',
  'library-ms',
  // Disk images: Windows mounts them on a double click and what they hold escapes Mark-of-the-Web.
  'iso',
  'img',
  'vhd',
  'vhdx',
  'dmg',
  // Unix and macOS: shell scripts, packages and application bundles.
  'sh',
  'bash',
  'command',
  'app',
  'pkg',
  'deb',
  'rpm',
  'run',
  'apk',
  // Help files and control panel items that can carry scripts.
  'chm',
  'hlp',
  'mde',
  'mdb',
  'accde',
  'ade',
  'adp',
] as const;

/** Office documents whose format allows macros (the "m" formats): the classic carrier of droppers. */
const MACRO_DOCUMENT_EXTENSIONS = [
  'docm',
  'dotm',
  'xlsm',
  'xltm',
  'xlam',
  'xlsb',
  'pptm',
  'potm',
  'ppam',
  'ppsm',
  'sldm',
  'xll',
  'wll',
] as const;

/**
 * A mail inside a mail (a forwarded `.eml`, Outlook's `.msg`): atende does not look inside it,
 * and the program it holds opens from the agent's inbox as if it had been attached directly.
 */
const FORWARDED_MAIL_EXTENSIONS = ['eml', 'msg'] as const;

/** Declared content types for the same things (exact, lower-case). */
const DANGEROUS_CONTENT_TYPES = new Set([
  'application/x-msdownload',
  'application/x-msdos-program',
  'application/x-ms-installer',
  'application/x-msi',
  'application/x-ms-shortcut',
  'application/x-dosexec',
  'application/x-executable',
  'application/x-sh',
  'application/x-bat',
  'application/x-javascript',
  'application/javascript',
  'text/javascript',
  'application/x-vbscript',
  'text/vbscript',
  'application/hta',
  'application/x-java-archive',
  'application/java-archive',
  'application/x-iso9660-image',
  'application/x-apple-diskimage',
  'application/vnd.microsoft.portable-executable',
  // Forwarded mail: RFC 5322 (message/rfc822), RFC 6532 (message/global) and Outlook's own.
  'message/rfc822',
  'message/global',
  'application/vnd.ms-outlook',
]);

/** Office's macro-enabled types all say so: `application/vnd.ms-word.document.macroEnabled.12` … */
const MACRO_ENABLED_TYPE = /macroenabled/i;

const DANGEROUS_EXTENSIONS: ReadonlySet<string> = new Set([
  ...EXECUTABLE_EXTENSIONS,
  ...MACRO_DOCUMENT_EXTENSIONS,
  ...FORWARDED_MAIL_EXTENSIONS,
]);

/** The last extension, lower-case, without trailing dots or blanks (Windows drops them: `run.exe. ` runs). */
export const lastExtension = (filename: string | null): string | null => {
  if (filename === null) return null;
  const trimmed = filename.replace(/[.\s]+$/u, '');
  const dot = trimmed.lastIndexOf('.');
  return dot < 0 ? null : trimmed.slice(dot + 1).toLowerCase();
};

/**
 * The name as a mail client may save it: the last part after a path separator, without what
 * shows nothing (zero-width and bidi characters) or cannot be in a Windows name (`:*?"<>|`,
 * controls), which clients drop. `setup.exe/`, `setup.exe:`, `setup.exe\u202e` and `setup.e\u200bxe`
 * were forwarded as harmless names and can be saved as `setup.exe`.
 */
const savedName = (filename: string): string =>
  (
    filename
      .split(/[/\\]+/u)
      .filter((part) => part.trim() !== '')
      .at(-1) ?? ''
  ).replace(/[\p{Cf}\p{Cc}:*?"<>|]+/gu, '');

const isDangerousName = (filename: string | null): boolean =>
  filename !== null &&
  [lastExtension(filename), lastExtension(savedName(filename))].some(
    (extension) => extension !== null && DANGEROUS_EXTENSIONS.has(extension),
  );

/** Whether a file is kept but never forwarded, by its last extension (as written or as saved) or its declared type. */
export const isDangerousAttachment = (file: {
  readonly filename: string | null;
  readonly contentType: string;
}): boolean => {
  if (isDangerousName(file.filename)) return true;
  const type = file.contentType.trim().toLowerCase().split(';')[0]!.trim();
  return DANGEROUS_CONTENT_TYPES.has(type) || MACRO_ENABLED_TYPE.test(type);
};
