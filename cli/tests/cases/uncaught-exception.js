// process.on('uncaughtException') keeps the process alive; later timers still run.
process.on('uncaughtException', (err, origin) => {
  console.log('caught', err.message, origin);
});
setTimeout(() => {
  throw new Error('from timer');
}, 5);
setTimeout(() => console.log('still running'), 10);
process.on('exit', (c) => console.log('exit', c));
