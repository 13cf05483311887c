import pg from 'pg';
process.on('uncaughtException', (e) => { console.log('UNCAUGHT:', (e as Error).message); });
const admin = 'postgres://postgres@127.0.0.1:5432/postgres';
let hits = 0;
for (let i = 0; i < 60; i++) {
  const name = `race_${process.pid}_${i}`;
  const a = new pg.Client({ connectionString: admin }); await a.connect(); await a.query(`CREATE DATABASE ${name}`); await a.end();
  const pool = new pg.Pool({ connectionString: `postgres://postgres@127.0.0.1:5432/${name}`, max: 10 });
  await Promise.all(Array.from({ length: 8 }, () => pool.query('select pg_sleep(0.01)')));
  await pool.end();
  const b = new pg.Client({ connectionString: admin }); await b.connect(); await b.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`); await b.end();
}
await new Promise((r) => setTimeout(r, 200));
