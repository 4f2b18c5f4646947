// concept: a child that listens for SIGTERM runs its listener instead of dying; kill() still reports true
const { fork } = require('child_process');
if (process.argv[2] === 'child') {
  process.on('SIGTERM', (s) => { process.send('child got ' + s, () => process.exit(3)); });
  process.send('ready');
  setInterval(() => {}, 1000);
} else {
  const c = fork(__filename, ['child']);
  c.on('message', (m) => {
    if (m === 'ready') console.log('kill', c.kill());
    else console.log(m);
  });
  c.on('exit', (code, s) => console.log('exit', code, s, c.killed));
}
