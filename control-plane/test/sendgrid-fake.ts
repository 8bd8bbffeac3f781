import { createServer, type Server } from 'node:http';

export type SendGridMail = {
  personalizations: { to: { email: string; name?: string }[] }[];
  from: { email: string; name?: string };
  subject: string;
  content: { type: string; value: string }[];
};

/**
 * SendGrid's v3 Mail Send API on a local port, as documented: `POST /v3/mail/send` with a Bearer
 * API key and a JSON body; 202 and an empty body when accepted, 401 with an `errors` array for a
 * bad key, 400 for a body without personalizations/from/subject/content.
 */
export async function startSendGridFake(apiKey: string) {
  const received: SendGridMail[] = [];
  const server: Server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const json = (status: number, body: unknown) =>
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    if (req.method !== 'POST' || req.url !== '/v3/mail/send')
      return json(404, { errors: [{ message: 'not found' }] });
    if (req.headers.authorization !== `Bearer ${apiKey}`) {
      return json(401, {
        errors: [
          {
            message: 'The provided authorization grant is invalid, expired, or revoked',
            field: null,
            help: null,
          },
        ],
      });
    }
    const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Partial<SendGridMail>;
    if (!body.personalizations?.length || !body.from?.email || !body.subject || !body.content?.length) {
      return json(400, { errors: [{ message: 'Bad Request', field: null, help: null }] });
    }
    received.push(body as SendGridMail);
    res.writeHead(202).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    received,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
