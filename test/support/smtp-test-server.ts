import { AddressInfo, createServer, Server, Socket } from 'node:net';
import { simpleParser, ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';

export type SmtpBehaviour = 'accept' | 'refuse' | 'hang';

/**
 * A real SMTP server on a loopback port. `behaviour` can be switched while it runs:
 * - accept: messages are parsed with mailparser and kept in `messages`;
 * - refuse: every recipient gets a temporary 451 error;
 * - hang: connections are accepted and never greeted (the client's timeouts must fire).
 */
export class SmtpTestServer {
  readonly messages: Array<ParsedMail & { raw: string }> = [];
  behaviour: SmtpBehaviour = 'accept';
  /** A slow server: each message's final answer (250) comes this long after its data; it counts as received then. */
  acceptDelayMs = 0;
  private smtp!: SMTPServer;
  private front!: Server;
  private smtpPort = 0;
  private readonly sockets = new Set<Socket>();

  static async start(): Promise<SmtpTestServer> {
    const s = new SmtpTestServer();
    await s.listen();
    return s;
  }

  get port(): number {
    return (this.front.address() as AddressInfo).port;
  }

  get url(): string {
    return `smtp://127.0.0.1:${this.port}`;
  }

  private async listen(): Promise<void> {
    this.smtp = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS', 'AUTH'],
      logger: false,
      disableReverseLookup: true,
      onRcptTo: (_address, _session, callback) => {
        if (this.behaviour === 'refuse') {
          const err = new Error('Try again later') as Error & { responseCode: number };
          err.responseCode = 451;
          return callback(err);
        }
        callback();
      },
      onData: (stream, _session, callback) => {
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('end', () => {
          const raw = Buffer.concat(chunks).toString('utf8');
          simpleParser(raw).then(
            (parsed) => {
              const accept = () => {
                this.messages.push(Object.assign(parsed, { raw }));
                callback();
              };
              if (this.acceptDelayMs > 0) setTimeout(accept, this.acceptDelayMs);
              else accept();
            },
            (err: Error) => callback(err),
          );
        });
      },
    });
    await new Promise<void>((resolve) => this.smtp.listen(0, '127.0.0.1', () => resolve()));
    this.smtpPort = (this.smtp.server.address() as AddressInfo).port;

    // A front door that either forwards to the SMTP server or swallows the connection.
    this.front = createServer((client) => {
      this.sockets.add(client);
      client.on('close', () => this.sockets.delete(client));
      client.on('error', () => undefined);
      if (this.behaviour === 'hang') return;
      const upstream = new Socket();
      this.sockets.add(upstream);
      upstream.on('close', () => this.sockets.delete(upstream));
      upstream.on('error', () => client.destroy());
      upstream.connect(this.smtpPort, '127.0.0.1', () => {
        client.pipe(upstream);
        upstream.pipe(client);
      });
      client.on('close', () => upstream.destroy());
    });
    await new Promise<void>((resolve) => this.front.listen(0, '127.0.0.1', () => resolve()));
  }

  to(address: string): Array<ParsedMail & { raw: string }> {
    return this.messages.filter((m) => {
      const to = Array.isArray(m.to) ? m.to : m.to ? [m.to] : [];
      return to.some((t) => t.value.some((v) => v.address?.toLowerCase() === address.toLowerCase()));
    });
  }

  /** Waits until `predicate` holds for the received messages. */
  async waitFor(predicate: (messages: SmtpTestServer['messages']) => boolean, timeoutMs = 10_000): Promise<void> {
    const deadline = performance.now() + timeoutMs;
    while (!predicate(this.messages)) {
      if (performance.now() > deadline)
        throw new Error(
          `SMTP test server: condition not met within ${timeoutMs} ms (${this.messages.length} messages)`,
        );
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  async stop(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => this.front.close(() => resolve()));
    await new Promise<void>((resolve) => this.smtp.close(() => resolve()));
  }
}
