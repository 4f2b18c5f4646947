// process.on('unhandledRejection') receives the reason and the promise; exit code stays 0.
process.on('unhandledRejection', (reason, p) => {
  console.log('unhandled', reason.message, p instanceof Promise);
});
Promise.reject(new Error('nobody listens'));
const late = Promise.reject(new Error('handled later'));
setTimeout(() => late.catch((e) => console.log('late catch', e.message)), 5);
process.on('exit', (c) => console.log('exit', c));
