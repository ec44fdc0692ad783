import { ChildProcess, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import { AddressInfo, createServer, Socket } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { ImapFlow } from 'imapflow';

const DOVECOT = '/usr/sbin/dovecot';
const PASSWORD = 'replies-secret';

/**
 * A real IMAP server for the tests: Debian's dovecot (package dovecot-imapd, installed by
 * `.ci/run`), started on a free loopback port with a configuration of its own in a temporary
 * folder, one Maildir per user, any user name and one password. Mail arrives with IMAP APPEND,
 * as a mail server's delivery would leave it. Needs root (dovecot's master drops privileges to
 * its own users); without dovecot, {@link ImapTestServer.available} is false and CI fails rather
 * than skips (see the spec).
 */
export class ImapTestServer {
  private process!: ChildProcess;
  private dir!: string;
  port = 0;

  static available(): boolean {
    return fs.existsSync(DOVECOT) && process.getuid?.() === 0;
  }

  static async start(): Promise<ImapTestServer> {
    const s = new ImapTestServer();
    await s.run();
    return s;
  }

  /** REPLIES_IMAP_URL for `user`'s INBOX. */
  url(user: string): string {
    return `imap://${encodeURIComponent(user)}:${PASSWORD}@127.0.0.1:${this.port}/INBOX`;
  }

  /** Puts a message in `user`'s INBOX, unseen. */
  async deliver(user: string, raw: string | Buffer): Promise<void> {
    await this.with(user, (c) => c.append('INBOX', raw, []).then(() => undefined));
  }

  /** How many messages `user`'s INBOX holds, and how many are unseen. */
  async counts(user: string): Promise<{ messages: number; unseen: number }> {
    return this.with(user, async (c) => {
      const status = await c.status('INBOX', { messages: true, unseen: true });
      if (!status) throw new Error('no status for INBOX');
      return { messages: status.messages ?? 0, unseen: status.unseen ?? 0 };
    });
  }

  async stop(): Promise<void> {
    if (this.process && this.process.exitCode === null) {
      const exited = new Promise((resolve) => this.process.once('exit', resolve));
      this.process.kill('SIGTERM');
      await exited;
    }
    fs.rmSync(this.dir, { recursive: true, force: true });
  }

  private async with<T>(user: string, work: (c: ImapFlow) => Promise<T>): Promise<T> {
    const client = new ImapFlow({
      host: '127.0.0.1',
      port: this.port,
      secure: false,
      auth: { user, pass: PASSWORD },
      logger: false,
    });
    await client.connect();
    try {
      return await work(client);
    } finally {
      await client.logout();
    }
  }

  private async run(): Promise<void> {
    this.port = await freePort();
    this.dir = fs.mkdtempSync(path.join(os.tmpdir(), 'thresholds-imap-'));
    fs.chmodSync(this.dir, 0o755);
    const mail = path.join(this.dir, 'mail');
    fs.mkdirSync(mail, { mode: 0o777 });
    fs.chmodSync(mail, 0o777);
    const config = path.join(this.dir, 'dovecot.conf');
    fs.writeFileSync(
      config,
      [
        'protocols = imap',
        'listen = 127.0.0.1',
        `base_dir = ${this.dir}/run`,
        `state_dir = ${this.dir}/state`,
        `log_path = ${this.dir}/dovecot.log`,
        'ssl = no',
        'disable_plaintext_auth = no',
        'auth_mechanisms = plain login',
        `mail_location = maildir:${mail}/%u`,
        'default_internal_user = dovecot',
        'default_internal_group = dovecot',
        'default_login_user = dovenull',
        'first_valid_uid = 1',
        `passdb {\n  driver = static\n  args = password=${PASSWORD}\n}`,
        `userdb {\n  driver = static\n  args = uid=dovecot gid=dovecot home=${mail}/%u\n}`,
        `service imap-login {\n  inet_listener imap {\n    address = 127.0.0.1\n    port = ${this.port}\n  }\n  inet_listener imaps {\n    port = 0\n  }\n}`,
        '',
      ].join('\n'),
    );
    fs.mkdirSync(path.join(this.dir, 'state'));
    this.process = spawn(DOVECOT, ['-F', '-c', config], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    this.process.stderr!.on('data', (c: Buffer) => (stderr += c.toString()));
    // Up to 15 seconds (150 tries, 100 ms apart) for dovecot to listen.
    for (let tries = 0; !(await accepts(this.port)); tries++) {
      if (this.process.exitCode !== null || tries >= 150)
        throw new Error(`dovecot did not start: ${stderr}${readIfThere(path.join(this.dir, 'dovecot.log'))}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

function readIfThere(file: string): string {
  return fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = new Socket();
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
    socket.connect(port, '127.0.0.1');
  });
}
