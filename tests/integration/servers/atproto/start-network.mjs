// Bluesky's reference stack for socialkit's integration tests, from @atproto/dev-env:
// PLC (in memory), PDS (SQLite) on 2583, AppView (PostgreSQL + Redis) on 2584, ozone on 2587.
// No seed data; no invite codes. Prints READY once every service listens.
// Environment: DB_POSTGRES_URL, REDIS_HOST (host:port), as dev-env reads them.
import net from 'node:net'

// dev-env's servers listen on every interface; keep them on this machine.
const listen = net.Server.prototype.listen
net.Server.prototype.listen = function (...args) {
  const [first] = args
  if (typeof first === 'number' && (args.length === 1 || typeof args[1] === 'function')) {
    args.splice(1, 0, '127.0.0.1')
  } else if (first && typeof first === 'object' && first.port !== undefined && !first.host) {
    args[0] = { ...first, host: '127.0.0.1' }
  }
  return listen.apply(this, args)
}

const { TestNetwork } = await import('@atproto/dev-env')
const started = Date.now()
const network = await TestNetwork.create({
  dbPostgresSchema: 'socialkit_it',
  plc: { port: 2582 },
  pds: { port: 2583, hostname: 'localhost', inviteRequired: false },
  bsky: { port: 2584, publicUrl: 'http://localhost:2584' },
  ozone: { port: 2587, chatUrl: 'http://localhost:2590', chatDid: 'did:example:chat' },
})
console.log(`READY in ${Date.now() - started} ms: plc ${network.plc.url} pds ${network.pds.url} appview ${network.bsky.url}`)

const stop = async () => { await network.close(); process.exit(0) }
process.on('SIGTERM', stop)
process.on('SIGINT', stop)
