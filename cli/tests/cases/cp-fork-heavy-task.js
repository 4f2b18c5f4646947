// Seed: "fork() ... Offloading a heavy Node.js task to a separate process", parent.js and
// heavy-task.js made into one file that forks itself.
const { fork } = require('child_process');

if (process.argv[2] === 'heavy-task') {
  // heavy-task.js
  process.on('message', (msg) => {
    if (msg.start) {
      let sum = 0;
      for (let i = 0; i < 1e6; i++) sum += i;
      process.send({ sum }, () => process.exit(0));
    }
  });
} else {
  // parent.js
  const child = fork(__filename, ['heavy-task']);
  child.send({ start: true });
  child.on('message', (msg) => console.log('Result:', msg));
  child.on('close', (code) => console.log('heavy task done, code', code));
  console.log('the parent is not blocked');
  setTimeout(() => console.log('a timer of the parent ran while the child worked'), 0);
}
