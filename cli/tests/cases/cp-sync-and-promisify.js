// The same commands three ways: execSync (blocks), util.promisify(exec) with await, and
// spawnSync's result object; failures as thrown errors and rejected promises.
const { execSync, spawnSync, exec } = require('child_process');
const util = require('util');
const execP = util.promisify(exec);

console.log('execSync:', execSync('echo hello && printf "%s-%s\\n" a b').toString());
try {
  execSync('echo partial; exit 3', { stdio: 'pipe' });
} catch (e) {
  console.log('execSync threw:', e.status, e.signal, JSON.stringify(String(e.stdout)), e.message);
}
const r = spawnSync('wc', ['-l'], { input: 'one\ntwo\nthree\n', encoding: 'utf8' });
console.log('spawnSync:', r.status, r.signal, JSON.stringify(r.stdout), JSON.stringify(r.stderr));
const missing = spawnSync('no-such-program');
console.log('spawnSync missing:', missing.status, missing.error.code, missing.error.syscall);

(async () => {
  const { stdout, stderr } = await execP('echo out; echo err >&2');
  console.log('promisified:', JSON.stringify(stdout), JSON.stringify(stderr));
  try {
    await execP('printf "x\\ny\\n" | grep z');
  } catch (e) {
    console.log('rejected:', e.code, JSON.stringify(e.stdout), JSON.stringify(e.stderr));
  }
})();
console.log('sync calls are done before this line; the promisified ones after');
