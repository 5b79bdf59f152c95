import express from 'express';

/** The baseline: a bare express 5 JSON echo, the fastest a JSON-over-HTTP turn could be here. */
const app = express();
app.use(express.json({ limit: '64kb' }));
app.post('/echo', (req, res) => {
  res.json({ echo: req.body as unknown });
});
const server = app.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => {
  const address = server.address();
  process.stdout.write(`listening ${typeof address === 'object' && address ? address.port : ''}\n`);
});
