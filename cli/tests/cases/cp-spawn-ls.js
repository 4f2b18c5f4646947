// Seed: "spawn() ... streams the output back", `spawn('ls', ['-lh', '/usr'])` with a 'data'
// listener. /usr differs between machines, so the program lists a folder it makes itself.
const fs = require('fs');
const path = require('path');
const { spawn } = require('child_process');

const dir = path.join(__dirname, 'listing');
fs.mkdirSync(dir, { recursive: true });
for (const name of ['notes.txt', 'app.js', 'data.json']) {
  fs.writeFileSync(path.join(dir, name), name + '\n');
}

const child = spawn('ls', [dir]);
let received = '';
child.stdout.on('data', (data) => {
  received += data;
});
child.stderr.on('data', (data) => console.log(`stderr: ${data}`));
child.on('exit', (code, signal) => console.log('exit', code, signal));
child.on('close', (code) => {
  console.log(`Received: ${received}`);
  console.log(`child process exited with code ${code}`);
  // The same program on a folder that does not exist.
  const bad = spawn('ls', [path.join(dir, 'missing')]);
  let err = '';
  bad.stderr.on('data', (d) => (err += d));
  bad.on('close', (code) => console.log('ls missing:', code, err.includes('No such file or directory')));
});
console.log('spawned:', typeof child.pid);
