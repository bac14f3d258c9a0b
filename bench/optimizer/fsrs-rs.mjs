// The fsrs-rs half of the optimizer benchmark (see main.go and run.sh).
//
//   node fsrs-rs.mjs fit DIR        fit DIR/items.json with fsrs-rs, add the wall time to DIR/rs.json
//   node fsrs-rs.mjs evaluate DIR   score every fit in DIR with fsrs-rs's evaluator
//
// fsrs-rs comes from the npm package @open-spaced-repetition/binding,
// installed by run.sh into bench/out/node (NODE_PATH points there).
import { createRequire } from 'node:module';
import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';

const require = createRequire(join(process.env.NODE_PATH || '.', 'x.js'));
const { computeParameters, FSRSBinding, FSRSBindingItem, FSRSBindingReview } =
  require('@open-spaced-repetition/binding');

const [cmd, dir] = process.argv.slice(2);
const read = (name) => JSON.parse(readFileSync(join(dir, name), 'utf8'));

function items(name) {
  return read(name).map(
    (steps) => new FSRSBindingItem(steps.map(([r, dt]) => new FSRSBindingReview(r, dt))),
  );
}

const rsPath = join(dir, 'rs.json');
const rs = existsSync(rsPath) ? read('rs.json') : { params: [], ms: [], eval: {} };

if (cmd === 'fit') {
  const train = items('items.json');
  const t0 = process.hrtime.bigint();
  // timeout is how often the binding polls training progress; the
  // promise waits for the poller, so the default 500 ms would be timed
  // too. 1 ms keeps that out of fsrs-rs's figure.
  const params = await computeParameters(train, { enableShortTerm: true, timeout: 1 });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  rs.params = params;
  rs.ms.push(ms);
} else if (cmd === 'evaluate') {
  const sets = { items: items('items.json'), held: items('held.json') };
  const fits = {
    'fsrs-rs': rs.params,
    srs: read('srs.json').params,
    'srs-peritem': read('srs-peritem.json').params,
    truth: read('truth.json').params,
    defaults: null,
  };
  for (const [name, params] of Object.entries(fits)) {
    const f = params ? new FSRSBinding(params) : new FSRSBinding();
    rs.eval[name] = {};
    for (const [set, its] of Object.entries(sets)) {
      rs.eval[name][set] = f.evaluate(its);
    }
  }
} else {
  console.error('usage: node fsrs-rs.mjs fit|evaluate DIR');
  process.exit(2);
}
writeFileSync(rsPath, JSON.stringify(rs));
