// Any .then(f) marks a rejected promise handled: the promise then() returns is the one reported.
// An unhandled rejection is raised as an uncaught exception; an 'uncaughtException' listener
// keeps the process alive (exit code 0).
const rejected = Promise.reject(new Error('boom'));
const derived = rejected.then(() => console.log('never'));
process.on('uncaughtException', (err, origin) => {
  console.log('uncaughtException:', err.message, origin);
});
process.on('exit', (code) => console.log('exit code', code));
setTimeout(() => console.log('still alive'), 5);
