/**
 * Just enough MIME for the mail tests: headers (unfolded, RFC 2047 words decoded), and the
 * text and HTML parts of a multipart/alternative message with their transfer encoding undone.
 */
export interface ParsedMail {
  header(name: string): string | undefined;
  subject: string;
  text: string | undefined;
  html: string | undefined;
}

interface Entity {
  headers: Map<string, string>;
  body: string;
}

function splitEntity(raw: string): Entity {
  const normalized = raw.replace(/\r\n/g, '\n');
  const end = normalized.indexOf('\n\n');
  const head = end === -1 ? normalized : normalized.slice(0, end);
  const body = end === -1 ? '' : normalized.slice(end + 2);
  const headers = new Map<string, string>();
  for (const line of head.replace(/\n[ \t]+/g, ' ').split('\n')) {
    const colon = line.indexOf(':');
    if (colon > 0) headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
  }
  return { headers, body };
}

/** RFC 2047: adjacent encoded words join without the space between them, bytes first (a character may span two words). */
export function decodeWords(value: string): string {
  return value.replace(/(=\?[^?]+\?[BbQq]\?[^?]*\?=)(\s+(?==\?))?/g, '$1').replace(/(?:=\?[^?]+\?[BbQq]\?[^?]*\?=)+/g, (run) => {
    const bytes = [...run.matchAll(/=\?[^?]+\?([BbQq])\?([^?]*)\?=/g)].map(([, encoding, data]) =>
      encoding.toUpperCase() === 'B' ? Buffer.from(data, 'base64') : qpBytes(data.replace(/_/g, ' ')),
    );
    return Buffer.concat(bytes).toString('utf8');
  });
}

function qpBytes(data: string): Buffer {
  const bytes: number[] = [];
  for (let i = 0; i < data.length; i++) {
    if (data[i] === '=' && /^[0-9A-Fa-f]{2}$/.test(data.slice(i + 1, i + 3))) {
      bytes.push(parseInt(data.slice(i + 1, i + 3), 16));
      i += 2;
    } else {
      bytes.push(...Buffer.from(data[i], 'utf8'));
    }
  }
  return Buffer.from(bytes);
}

function decodeBody(entity: Entity): string {
  const encoding = (entity.headers.get('content-transfer-encoding') ?? '7bit').toLowerCase();
  if (encoding === 'base64') return Buffer.from(entity.body.replace(/\s+/g, ''), 'base64').toString('utf8');
  if (encoding === 'quoted-printable') return qpBytes(entity.body.replace(/=\n/g, '')).toString('utf8');
  return entity.body;
}

export function parseMail(raw: string | Buffer): ParsedMail {
  const top = splitEntity(raw.toString());
  const parts: Entity[] = [];
  const type = top.headers.get('content-type') ?? 'text/plain';
  const boundary = /boundary="?([^";]+)"?/i.exec(type)?.[1];
  if (type.toLowerCase().startsWith('multipart/') && boundary) {
    const sections = top.body.split(`--${boundary}`);
    for (const section of sections.slice(1)) {
      if (section.startsWith('--')) break;
      parts.push(splitEntity(section.replace(/^\n/, '').replace(/\n$/, '')));
    }
  } else {
    parts.push(top);
  }
  const part = (mime: string) => {
    const found = parts.find((p) => (p.headers.get('content-type') ?? 'text/plain').toLowerCase().startsWith(mime));
    return found && decodeBody(found);
  };
  return {
    header: (name) => {
      const value = top.headers.get(name.toLowerCase());
      return value === undefined ? undefined : decodeWords(value);
    },
    subject: decodeWords(top.headers.get('subject') ?? ''),
    text: part('text/plain'),
    html: part('text/html'),
  };
}
