// Seed: "Child Process IPC ... child.send({ action: 'start' }) / process.on('message') ...
// process.send({ result: 'done' })", parent.js and child.js in one file.
const { fork } = require('child_process');

if (process.argv[2] === 'child') {
  // child.js
  process.on('message', (msg) => {
    console.log('Received from parent:', msg);
    process.send({ result: 'done' });
  });
  process.on('disconnect', () => console.log('child: parent disconnected'));
} else {
  // parent.js
  const child = fork(__filename, ['child']);

  child.send({ action: 'start' });

  child.on('message', (msg) => {
    console.log('Received from child:', msg);
    child.disconnect();
  });
  child.on('exit', (code, signal) => console.log('child exited', code, signal, child.connected));
}
